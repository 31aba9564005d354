#include "ui/user_text.h"

#include <QRegularExpression>

#include <algorithm>

namespace latent::ui {

namespace {

bool isBlank(QStringView line)
{
    return line.trimmed().isEmpty();
}

// Leading spaces and tabs (only those: U+3000 indents Chinese prose), a tab counting as four.
int indentWidth(QStringView line)
{
    int width = 0;
    for (QChar c : line) {
        if (c == u' ')
            width += 1;
        else if (c == u'\t')
            width += 4;
        else
            break;
    }
    return width;
}

bool isListItem(QStringView line)
{
    static const QRegularExpression item(QStringLiteral("^[ \\t]*([-*+]|\\d{1,9}[.)])[ \\t]"));
    return item.match(line).hasMatch();
}

// A line of a snippet's body: indented two spaces or more, and no list item.
bool isIndentedCode(QStringView line)
{
    return !isBlank(line) && indentWidth(line) >= 2 && !isListItem(line);
}

bool startsWithClosingBracket(QStringView line)
{
    const QStringView text = line.trimmed();
    return !text.isEmpty() && (text[0] == u'}' || text[0] == u')' || text[0] == u']');
}

// Rule 2: the paragraph that starts at `first` is indented four spaces or more throughout.
bool opensIndentedParagraph(const QList<QStringView>& lines, qsizetype first)
{
    if (isBlank(lines[first]) || (first > 0 && !isBlank(lines[first - 1])))
        return false;
    for (qsizetype i = first; i < lines.size() && !isBlank(lines[i]); ++i)
        if (indentWidth(lines[i]) < 4)
            return false;
    return true;
}

// Rule 3: the line at `first` heads an indented body.
bool headsSnippet(const QList<QStringView>& lines, qsizetype first)
{
    return !isBlank(lines[first]) && !isListItem(lines[first]) && first + 1 < lines.size()
        && isIndentedCode(lines[first + 1]);
}

// Where the code that starts at `first` ends (one past its last line).
qsizetype codeEnd(const QList<QStringView>& lines, qsizetype first)
{
    qsizetype end = first + 1;
    while (end < lines.size()) {
        if (isIndentedCode(lines[end]) || startsWithClosingBracket(lines[end])) {
            ++end;
            continue;
        }
        qsizetype next = end;
        while (next < lines.size() && isBlank(lines[next]))
            ++next;
        if (next == end || next == lines.size() || !isIndentedCode(lines[next]))
            break;
        end = next;
    }
    return end;
}

// Whether the snippet in [first, end) reads as code rather than a signature or an indented
// greeting ("Thanks,\n  Ann"): its body goes four spaces deep, has two lines or more, or closes a
// bracket.
bool looksLikeCode(const QList<QStringView>& lines, qsizetype first, qsizetype end)
{
    qsizetype bodyLines = 0;
    for (qsizetype i = first + 1; i < end; ++i) {
        if (startsWithClosingBracket(lines[i]) || (isIndentedCode(lines[i]) && indentWidth(lines[i]) >= 4))
            return true;
        bodyLines += isIndentedCode(lines[i]) ? 1 : 0;
    }
    return bodyLines >= 2;
}

// The lines without the indentation they all share (Markdown's indented code loses its four spaces).
QString dedented(const QList<QStringView>& lines, qsizetype first, qsizetype end)
{
    qsizetype common = -1;
    for (qsizetype i = first; i < end; ++i) {
        if (isBlank(lines[i]))
            continue;
        qsizetype leading = 0;
        while (leading < lines[i].size() && (lines[i][leading] == u' ' || lines[i][leading] == u'\t'))
            ++leading;
        common = common < 0 ? leading : std::min(common, leading);
    }
    QStringList code;
    for (qsizetype i = first; i < end; ++i)
        code << lines[i].mid(std::min(std::max<qsizetype>(common, 0), lines[i].size())).toString();
    return code.join(u'\n');
}

void splitPastedCode(QList<MarkdownSegment>& segments, const QString& prose)
{
    const QList<QStringView> lines = QStringView(prose).split(u'\n');
    QStringList text; // the prose lines since the last code
    bool afterCode = false;
    for (qsizetype i = 0; i < lines.size();) {
        const bool indentedParagraph = opensIndentedParagraph(lines, i);
        const qsizetype end = indentedParagraph || headsSnippet(lines, i) ? codeEnd(lines, i) : i;
        if (!indentedParagraph && (end == i || !looksLikeCode(lines, i, end))) {
            text << lines[i++].toString();
            continue;
        }
        const QString code = dedented(lines, i, end);
        if (afterCode && std::all_of(text.cbegin(), text.cend(), [](const QString& line) { return isBlank(line); })) {
            // The next function of the same paste, perhaps after blank lines: one block.
            segments.last().text += u'\n' + (text + QStringList{code}).join(u'\n');
        } else {
            appendProse(segments, text.join(u'\n'));
            segments.append({MarkdownSegment::Kind::Code, code, {}});
        }
        text.clear();
        afterCode = true;
        i = end;
    }
    appendProse(segments, text.join(u'\n'));
}

} // namespace

QList<MarkdownSegment> splitUserText(const QString& text)
{
    QList<MarkdownSegment> segments;
    for (const MarkdownSegment& segment : splitFencedCode(text)) {
        if (segment.kind == MarkdownSegment::Kind::Code)
            segments.append(segment);
        else
            splitPastedCode(segments, segment.text);
    }
    return segments;
}

} // namespace latent::ui
