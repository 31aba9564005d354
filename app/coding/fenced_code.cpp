#include "app/coding/fenced_code.h"

namespace latent::app {
namespace {

bool isIndentation(QChar c) { return c == u' ' || c == u'\t'; }

QStringView withoutCarriageReturn(QStringView line)
{
    return line.endsWith(u'\r') ? line.chopped(1) : line;
}

// An answer without a fence, as code: "\n" line ends, no blank lines before it, no whitespace after.
QString unfencedCode(QString answer)
{
    answer.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    qsizetype firstContent = 0;
    while (firstContent < answer.size() && answer[firstContent].isSpace())
        ++firstContent;
    if (firstContent == answer.size())
        return {};
    const qsizetype start = firstContent > 0 ? answer.lastIndexOf(u'\n', firstContent - 1) + 1 : 0;
    qsizetype end = answer.size();
    while (answer[end - 1].isSpace())
        --end;
    return answer.sliced(start, end - start);
}

} // namespace

std::optional<CodeFence> openingFence(QStringView line, QString* info)
{
    qsizetype indent = 0;
    while (indent < line.size() && isIndentation(line[indent]))
        ++indent;
    if (indent == line.size() || (line[indent] != u'`' && line[indent] != u'~'))
        return std::nullopt;
    const QChar marker = line[indent];
    qsizetype end = indent;
    while (end < line.size() && line[end] == marker)
        ++end;
    const QStringView rest = line.sliced(end).trimmed();
    if (end - indent < 3 || (marker == u'`' && rest.contains(u'`')))
        return std::nullopt;
    if (info)
        *info = rest.toString();
    return CodeFence{marker, end - indent, indent};
}

QStringView withoutFenceIndent(QStringView line, const CodeFence& fence)
{
    qsizetype removed = 0;
    while (removed < fence.indent && removed < line.size() && isIndentation(line[removed]))
        ++removed;
    return line.sliced(removed);
}

bool closesFence(QStringView line, const CodeFence& fence)
{
    const QStringView trimmed = line.trimmed();
    if (trimmed.size() < fence.length)
        return false;
    for (QChar c : trimmed)
        if (c != fence.marker)
            return false;
    return true;
}

QString FencedCodeStream::add(const QString& piece)
{
    if (state_ == State::BeforeFence)
        answer_ += piece;
    QString code;
    qsizetype start = 0;
    while (state_ != State::AfterFence) {
        const qsizetype newline = piece.indexOf(u'\n', start);
        if (newline < 0) {
            line_ += QStringView(piece).sliced(start);
            break;
        }
        line_ += QStringView(piece).sliced(start, newline - start);
        code += takeLine();
        start = newline + 1;
    }
    if (state_ == State::InFence)
        code += partialLine();
    return code;
}

QString FencedCodeStream::finish()
{
    QString code;
    switch (state_) {
    case State::BeforeFence:
        if (!openingFence(withoutCarriageReturn(line_)))
            code = unfencedCode(answer_);
        break; // else the answer ended on its opening fence: no code
    case State::InFence:
        if (!closesFence(line_, fence_))
            code = restOfLine(withoutCarriageReturn(line_));
        break;
    case State::AfterFence:
        break;
    }
    state_ = State::AfterFence;
    return code;
}

// line_ is complete (its "\n" received).
QString FencedCodeStream::takeLine()
{
    const QStringView line = withoutCarriageReturn(line_);
    QString code;
    if (state_ == State::BeforeFence) {
        if (const auto fence = openingFence(line)) {
            fence_ = *fence;
            state_ = State::InFence;
            answer_.clear();
        }
    } else if (closesFence(line, fence_)) {
        state_ = State::AfterFence;
    } else {
        code = restOfLine(line);
        if (code.isEmpty() && lineEndPending_)
            code = QStringLiteral("\n"); // an empty line: the previous line's end is due now
        lineEndPending_ = true;
    }
    line_.clear();
    emitted_ = 0;
    return code;
}

// What of the line being received can go out before its end: nothing while it could still be
// the closing fence (whitespace and markers so far), and never a last "\r" (half of a "\r\n").
QString FencedCodeStream::partialLine()
{
    if (emitted_ == 0) {
        bool couldClose = true;
        for (QChar c : line_)
            couldClose = couldClose && (c.isSpace() || c == fence_.marker);
        if (couldClose)
            return {};
    }
    return restOfLine(withoutCarriageReturn(line_));
}

// The part of a code line not written yet, after the previous line's end when it is the first.
QString FencedCodeStream::restOfLine(QStringView line)
{
    const QStringView content = withoutFenceIndent(line, fence_);
    if (content.size() <= emitted_)
        return {};
    QString code;
    if (emitted_ == 0 && lineEndPending_)
        code += u'\n';
    code += content.sliced(emitted_);
    emitted_ = content.size();
    lineEndPending_ = false;
    return code;
}

} // namespace latent::app
