#pragma once

#include "ui/editor/code_editor.h"

#include <QList>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace latent::ui {

// A stretch of a text, in UTF-16 code units.
struct TextMatch {
    qsizetype start = 0;
    qsizetype length = 0;
};

// A match and the text that replaces it.
struct TextReplacement {
    TextMatch match;
    QString text;
};

// What find and replace look for (FindOptions), as one regular expression over a whole text: a
// plain pattern is escaped, whole words are bounded by non-word characters (Unicode-aware, so
// Chinese identifiers are words), ^ and $ match at every line end, LF or CRLF.
//
// A replacement for a regular expression may name groups: \0 to \9 or $0 to $9; \n, \t and \\ are
// a line feed, a tab and a backslash. A plain pattern's replacement is taken as it is.
class TextSearch {
public:
    explicit TextSearch(const FindOptions& options);

    // False for an empty pattern or an invalid regular expression: nothing is ever found then.
    bool isValid() const;

    // Forward: the first match starting at or after from; backward: the last one starting before
    // from. Either wraps around the text when there is none that way. Empty matches are skipped.
    std::optional<TextMatch> find(const QString& text, qsizetype from, bool forward) const;
    // The replacement for exactly [start, end) of text when that stretch is a match.
    std::optional<QString> replacementAt(const QString& text, qsizetype start, qsizetype end,
                                         const QString& replacement) const;
    // Every match in order, empty ones included (^ inserts at each line start), with its replacement.
    QList<TextReplacement> replaceEvery(const QString& text, const QString& replacement) const;

private:
    QString expand(const QRegularExpressionMatch& match, const QString& replacement) const;

    QRegularExpression expression_;
    bool regularExpression_ = false;
};

} // namespace latent::ui
