#include "app/coding/fim_window.h"

#include "app/coding/lines_around_cursor.h"
#include "engine/tokenizer/tokenizer.h"

#include <algorithm>

namespace latent::app {
namespace {

// One line of the document: text[start, end), its line end included.
struct LineSpan {
    qsizetype start = 0;
    qsizetype end = 0;
};

// Up to `count` whole lines that end where lineStart begins, nearest first.
std::vector<LineSpan> linesBefore(const QString& text, qsizetype lineStart, int count)
{
    std::vector<LineSpan> lines;
    qsizetype end = lineStart;
    while (end > 0 && int(lines.size()) < count) {
        // text[end - 1] is the previous line's "\n"; its start follows the "\n" before that.
        const qsizetype start = end >= 2 ? text.lastIndexOf(u'\n', end - 2) + 1 : 0;
        lines.push_back({start, end});
        end = start;
    }
    return lines;
}

// Up to `count` lines from lineEnd on, nearest first.
std::vector<LineSpan> linesAfter(const QString& text, qsizetype lineEnd, int count)
{
    std::vector<LineSpan> lines;
    qsizetype start = lineEnd;
    while (start < text.size() && int(lines.size()) < count) {
        const qsizetype newline = text.indexOf(u'\n', start);
        const qsizetype end = newline < 0 ? text.size() : newline + 1;
        lines.push_back({start, end});
        start = end;
    }
    return lines;
}

// Never splits a surrogate pair: a cursor between its halves counts as before it.
qsizetype clampedCursor(const QString& text, int cursorOffset)
{
    qsizetype cursor = std::clamp<qsizetype>(cursorOffset, 0, text.size());
    if (cursor > 0 && cursor < text.size() && text[cursor - 1].isHighSurrogate() && text[cursor].isLowSurrogate())
        --cursor;
    return cursor;
}

// The window's first line moves in steps of this many lines. Consecutive completions reuse the
// cache of the prompt they share, which is all of it up to the cursor only while the window
// starts on the same line; a start that followed the budget line by line would move with nearly
// every keystroke (the cursor's line grows by a token, a line farther out no longer fits).
constexpr int kFirstLineStep = 16;

// The lines taken before the cursor's line once the first of them is on a step (fewer lines,
// never more: the budget still holds). A window of fewer than 32 lines takes shorter steps,
// losing at most half of its lines.
int steadyLinesBefore(int cursorLine, int linesBefore)
{
    const int first = cursorLine - linesBefore;
    const int step = std::clamp(linesBefore / 2, 1, kFirstLineStep);
    const int steadyFirst = (first + step - 1) / step * step;
    return cursorLine - steadyFirst;
}

std::string_view viewOf(const QByteArray& bytes)
{
    return {bytes.constData(), size_t(bytes.size())};
}

} // namespace

FimWindow fimWindow(const QString& text, int cursorOffset, const tokenizer::Tokenizer& tokenizer,
                    const FimSettings& settings)
{
    const qsizetype cursor = clampedCursor(text, cursorOffset);
    const qsizetype lineStart = cursor > 0 ? text.lastIndexOf(u'\n', cursor - 1) + 1 : 0;
    const qsizetype newline = text.indexOf(u'\n', cursor);
    const qsizetype lineEnd = newline < 0 ? text.size() : newline + 1;
    const int cursorLine = int(QStringView(text).first(lineStart).count(u'\n'));

    const auto tokensOf = [&](LineSpan span) {
        const QByteArray utf8 = QStringView(text).sliced(span.start, span.end - span.start).toUtf8();
        return int(tokenizer.encode(viewOf(utf8), {.addBos = false, .parseSpecial = false}).size());
    };
    const std::vector<LineSpan> before = linesBefore(text, lineStart, settings.linesBefore);
    const std::vector<LineSpan> after = linesAfter(text, lineEnd, settings.linesAfter);
    LinesAroundCursor around(
        int(before.size()), int(after.size()), [&](int i) { return tokensOf(before[size_t(i)]); },
        [&](int i) { return tokensOf(after[size_t(i)]); });
    const int frame = int(tokenizer.encodeFillInMiddle({}, {}).size()); // BOS and the FIM tokens
    int room = settings.maxPromptTokens - frame - tokensOf({lineStart, cursor}) - tokensOf({cursor, lineEnd});

    FimWindow window;
    for (;;) {
        LinesAroundCursor::Choice choice = around.within(room, settings.maxSuffixTokens);
        choice.before = steadyLinesBefore(cursorLine, choice.before);
        const qsizetype first = choice.before > 0 ? before[size_t(choice.before - 1)].start : lineStart;
        const qsizetype last = choice.after > 0 ? after[size_t(choice.after - 1)].end : lineEnd;
        window.prefix = text.sliced(first, cursor - first);
        window.suffix = text.sliced(cursor, last - cursor);
        window.firstLine = cursorLine - choice.before;
        window.lastLine = cursorLine + choice.after;
        window.promptIds = tokenizer.encodeFillInMiddle(viewOf(window.prefix.toUtf8()), viewOf(window.suffix.toUtf8()));
        // Per-line counts can miss a merge across lines (a blank line's "\n\n"): with the room
        // smaller by what the exact prompt is over, lines farther out go.
        const int over = int(window.promptIds.size()) - settings.maxPromptTokens;
        if (over <= 0 || choice.before + choice.after == 0)
            return window;
        room -= over;
    }
}

} // namespace latent::app
