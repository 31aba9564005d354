#include "ui/editor/text_search.h"

namespace latent::ui {
namespace {

QRegularExpression expressionOf(const FindOptions& options)
{
    if (options.pattern.isEmpty())
        return QRegularExpression(QStringLiteral("(")); // invalid: an empty pattern finds nothing
    QString pattern = options.regularExpression ? options.pattern : QRegularExpression::escape(options.pattern);
    if (options.wholeWord)
        pattern = QStringLiteral("(?<!\\w)(?:%1)(?!\\w)").arg(pattern);
    // (*ANYCRLF): ^ and $ also at CRLF line ends, and . never matches the \r of a CRLF file.
    pattern.prepend(QLatin1String("(*ANYCRLF)"));
    QRegularExpression::PatternOptions flags =
        QRegularExpression::MultilineOption | QRegularExpression::UseUnicodePropertiesOption;
    if (!options.caseSensitive)
        flags |= QRegularExpression::CaseInsensitiveOption;
    return QRegularExpression(pattern, flags);
}

TextMatch matchOf(const QRegularExpressionMatch& match)
{
    return {match.capturedStart(), match.capturedLength()};
}

} // namespace

TextSearch::TextSearch(const FindOptions& options)
    : expression_(expressionOf(options))
    , regularExpression_(options.regularExpression)
{
}

bool TextSearch::isValid() const
{
    return expression_.isValid();
}

std::optional<TextMatch> TextSearch::find(const QString& text, qsizetype from, bool forward) const
{
    if (!isValid())
        return std::nullopt;
    std::optional<TextMatch> before; // backward: the last match starting before from
    std::optional<TextMatch> wrapped; // forward: the first match; backward: the last one
    for (QRegularExpressionMatchIterator it = expression_.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        if (match.capturedLength() == 0)
            continue;
        if (forward) {
            if (match.capturedStart() >= from)
                return matchOf(match);
            if (!wrapped)
                wrapped = matchOf(match);
        } else {
            if (match.capturedStart() < from)
                before = matchOf(match);
            wrapped = matchOf(match);
        }
    }
    return before ? before : wrapped;
}

std::optional<QString> TextSearch::replacementAt(const QString& text, qsizetype start, qsizetype end,
                                                 const QString& replacement) const
{
    if (!isValid())
        return std::nullopt;
    const QRegularExpressionMatch match =
        expression_.match(text, start, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
    if (!match.hasMatch() || match.capturedEnd() != end)
        return std::nullopt;
    return expand(match, replacement);
}

QList<TextReplacement> TextSearch::replaceEvery(const QString& text, const QString& replacement) const
{
    QList<TextReplacement> replacements;
    if (!isValid())
        return replacements;
    for (QRegularExpressionMatchIterator it = expression_.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        replacements.append({matchOf(match), expand(match, replacement)});
    }
    return replacements;
}

QString TextSearch::expand(const QRegularExpressionMatch& match, const QString& replacement) const
{
    if (!regularExpression_)
        return replacement;
    QString expanded;
    for (qsizetype i = 0; i < replacement.size(); ++i) {
        const QChar c = replacement[i];
        const QChar next = i + 1 < replacement.size() ? replacement[i + 1] : QChar();
        if ((c == u'\\' || c == u'$') && next.isDigit()) {
            expanded += match.captured(next.digitValue());
            ++i;
        } else if (c == u'\\' && (next == u'n' || next == u't' || next == u'\\')) {
            expanded += next == u'n' ? u'\n' : next == u't' ? u'\t' : u'\\';
            ++i;
        } else {
            expanded += c;
        }
    }
    return expanded;
}

} // namespace latent::ui
