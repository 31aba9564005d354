#include "ui/block_quotes.h"

#include <QRegularExpression>
#include <QStringList>

#include <optional>

namespace latent::ui {

namespace {

// The line without its quote marker, or nothing if it has none.
std::optional<QStringView> quotedPart(QStringView line)
{
    qsizetype at = 0;
    while (at < line.size() && at < 3 && line[at] == u' ')
        ++at;
    if (at == line.size() || line[at] != u'>')
        return std::nullopt;
    ++at;
    if (at < line.size() && line[at] == u' ')
        ++at;
    return line.sliced(at);
}

// A line that may continue a quoted paragraph without a marker.
bool isLazyContinuation(QStringView line)
{
    static const QRegularExpression startsABlock(QStringLiteral("^ {0,3}([-*+] |\\d{1,9}[.)] |#|\\||```|~~~)"));
    return !line.trimmed().isEmpty() && !startsABlock.match(line).hasMatch();
}

void splitProse(QList<MarkdownSegment>& segments, const QString& prose)
{
    QStringList text;
    QStringList quote;
    const auto endQuote = [&] {
        if (!quote.isEmpty())
            segments.append({MarkdownSegment::Kind::Quote, quote.join(u'\n'), {}});
        quote.clear();
    };
    for (QStringView line : QStringView(prose).split(u'\n')) {
        const std::optional<QStringView> quoted = quotedPart(line);
        const bool continues = !quote.isEmpty() && !quote.last().trimmed().isEmpty() && isLazyContinuation(line);
        if (quoted || continues) {
            if (quote.isEmpty()) {
                appendProse(segments, text.join(u'\n'));
                text.clear();
            }
            quote << (quoted ? *quoted : line).toString();
        } else {
            endQuote();
            text << line.toString();
        }
    }
    endQuote();
    appendProse(segments, text.join(u'\n'));
}

} // namespace

QList<MarkdownSegment> splitBlockQuotes(const QList<MarkdownSegment>& segments)
{
    QList<MarkdownSegment> split;
    for (const MarkdownSegment& segment : segments) {
        if (segment.kind == MarkdownSegment::Kind::Text)
            splitProse(split, segment.text);
        else
            split.append(segment);
    }
    return split;
}

} // namespace latent::ui
