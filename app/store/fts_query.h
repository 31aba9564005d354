#pragma once

#include <QString>
#include <QStringList>

namespace latent::app {

// The user's search words, split for the trigram index (see schema_migrations.cpp). Every word
// must match. A word of three characters or more becomes an FTS5 string (quoted, so that quotes,
// operators and brackets in it are plain text) with * for a prefix; a shorter word, which the
// index cannot find, becomes a LIKE pattern over the text instead.
struct SearchTerms {
    QString ftsQuery;         // "word"* AND "other"*; empty when no word is long enough
    QStringList likePatterns; // %wo% with % _ and \ escaped by \ (for LIKE ... ESCAPE '\')
    QStringList shortWords;   // the words behind likePatterns, to mark them in a snippet

    bool isEmpty() const { return ftsQuery.isEmpty() && likePatterns.isEmpty(); }
};

SearchTerms searchTermsFor(const QString& userQuery);

// For a hit found by LIKE alone, where FTS5's snippet() has no match to work from: the text
// around the first word found, each of the words in it between [ and ].
QString snippetAround(const QString& text, const QStringList& words);

} // namespace latent::app
