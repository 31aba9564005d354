#include "app/store/fts_query.h"

#include <QRegularExpression>

#include <algorithm>

namespace latent::app {

namespace {

// A query pasted from a long text gains nothing past this many words, and each short word costs
// a LIKE scan.
constexpr qsizetype kMaxWords = 32;

// The trigram tokenizer counts characters, not UTF-16 units.
qsizetype characterCount(const QString& word)
{
    return word.toUcs4().size();
}

QString quotedForFts(QString word)
{
    return QLatin1Char('"') + word.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1String("\"*");
}

QString likePatternFor(QString word)
{
    word.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('%'), QLatin1String("\\%"))
        .replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + word + QLatin1Char('%');
}

} // namespace

SearchTerms searchTermsFor(const QString& userQuery)
{
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));
    SearchTerms terms;
    QStringList ftsWords;
    const QStringList words = userQuery.split(whitespace, Qt::SkipEmptyParts).mid(0, kMaxWords);
    for (const QString& word : words) {
        if (characterCount(word) >= 3) {
            ftsWords << quotedForFts(word);
        } else {
            terms.likePatterns << likePatternFor(word);
            terms.shortWords << word;
        }
    }
    terms.ftsQuery = ftsWords.join(QLatin1String(" AND "));
    return terms;
}

QString snippetAround(const QString& text, const QStringList& words)
{
    constexpr qsizetype before = 24;
    constexpr qsizetype length = 80;
    qsizetype first = text.size();
    for (const QString& word : words) {
        const qsizetype at = text.indexOf(word, 0, Qt::CaseInsensitive);
        if (at >= 0)
            first = std::min(first, at);
    }
    if (first == text.size())
        first = 0;
    qsizetype start = std::max<qsizetype>(0, first - before);
    qsizetype end = std::min(text.size(), start + length);
    // Never cut a character outside the Basic Multilingual Plane (an emoji) in half.
    if (start > 0 && text.at(start).isLowSurrogate())
        --start;
    if (end < text.size() && text.at(end).isLowSurrogate())
        ++end;

    QString snippet = start > 0 ? QStringLiteral("…") : QString();
    for (qsizetype at = start; at < end;) {
        qsizetype matched = 0;
        for (const QString& word : words) {
            if (at + word.size() <= end && QStringView(text).mid(at, word.size()).compare(word, Qt::CaseInsensitive) == 0)
                matched = std::max(matched, word.size());
        }
        if (matched > 0) {
            snippet += QLatin1Char('[') + text.mid(at, matched) + QLatin1Char(']');
            at += matched;
        } else {
            snippet += text.at(at);
            ++at;
        }
    }
    if (end < text.size())
        snippet += QStringLiteral("…");
    return snippet;
}

} // namespace latent::app
