#include "app/chat/thinking_text.h"

namespace latent::app {
namespace {

const QString open = QStringLiteral("<think>");
const QString close = QStringLiteral("</think>");

} // namespace

ThinkingParts splitThinking(const QString& text) {
    ThinkingParts parts;
    // R1's chat template ends the prompt with "<think>\n", so a local answer may begin inside the
    // block without its opening tag; a remote one begins with it.
    const qsizetype start = text.startsWith(open) ? open.size() : 0;
    const qsizetype end = text.indexOf(close, start);
    if (start == 0 && end < 0) {
        parts.answer = text;
        return parts;
    }
    parts.hasThinking = true;
    if (end < 0) {
        parts.thinking = text.mid(start).trimmed();
        parts.thinkingOpen = true;
        return parts;
    }
    parts.thinking = text.mid(start, end - start).trimmed();
    parts.answer = text.mid(end + close.size()).trimmed();
    return parts;
}

} // namespace latent::app
