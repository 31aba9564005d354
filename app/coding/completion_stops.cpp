#include "app/coding/completion_stops.h"

#include <QList>

#include <utility>

namespace latent::app {
namespace {

// Whitespace within a line: what a blank line may hold besides its line end.
bool isBlankInLine(QChar c) { return c != u'\n' && c.isSpace(); }

QString firstNonEmptyLineTrimmed(const QString& text)
{
    for (QStringView line : QStringView(text).split(u'\n')) {
        const QStringView trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            return trimmed.toString();
    }
    return {};
}

} // namespace

CompletionStops::CompletionStops(QString suffix) : suffix_(std::move(suffix)) {}

bool CompletionStops::add(std::string_view piece)
{
    if (stopped_)
        return true;
    text_ += QString::fromUtf8(piece.data(), qsizetype(piece.size()));
    if (contentStart_ < 0) {
        qsizetype i = scanFrom_;
        while (i < text_.size() && text_[i].isSpace())
            ++i;
        scanFrom_ = i;
        if (i == text_.size())
            return false; // only line ends and indentation so far: not yet "after content"
        contentStart_ = i;
    }
    // A blank line: "\n", blanks, "\n". A "\n" followed by blanks only may still be one.
    for (qsizetype newline = text_.indexOf(u'\n', scanFrom_); newline >= 0;) {
        qsizetype next = newline + 1;
        while (next < text_.size() && isBlankInLine(text_[next]))
            ++next;
        if (next == text_.size()) {
            scanFrom_ = newline;
            return false;
        }
        if (text_[next] == u'\n') {
            text_.truncate(newline);
            stopped_ = true;
            return true;
        }
        newline = text_.indexOf(u'\n', next);
    }
    scanFrom_ = text_.size();
    return false;
}

QString CompletionStops::text() const
{
    qsizetype lastContent = text_.size() - 1;
    while (lastContent >= 0 && text_[lastContent].isSpace())
        --lastContent;
    if (lastContent < 0)
        return {};
    // Up to the end of the last line with content, without its line end.
    const qsizetype newline = text_.indexOf(u'\n', lastContent);
    QString completion = text_.first(newline < 0 ? text_.size() : newline);
    if (completion.endsWith(u'\r'))
        completion.chop(1);
    const QString repeated = firstNonEmptyLineTrimmed(suffix_);
    if (!repeated.isEmpty() && completion.trimmed() == repeated)
        return {};
    return completion;
}

} // namespace latent::app
