#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace latent::ui {

// Syntax colouring for the code blocks of answers: one pass over the text (linear time, so a long
// block streaming in stays cheap), a small table of keywords and types per language (C, C++,
// Python, JavaScript/TypeScript, Rust, Go, Java, shell, JSON, SQL). Text of a language it does
// not know stays plain. Good enough to read code at a glance; not a parser.

enum class CodeTokenKind { Plain, Keyword, Type, String, Comment, Number, Preprocessor };

struct CodeToken {
    CodeTokenKind kind = CodeTokenKind::Plain;
    qsizetype start = 0; // in the code, in UTF-16 units
    qsizetype length = 0;
};

// The tokens of code, in order and covering all of it. Adjacent plain text is one token.
// language is a fence's info word ("cpp", "c++", "py", "ts", "bash", ...), in any case.
QList<CodeToken> tokenizeCode(QStringView code, QStringView language);

// Whether tokenizeCode knows the language (under any of its names).
bool isKnownCodeLanguage(QStringView language);

// The code as rich text for a Qt Quick Text (textFormat: Text.RichText): one <pre> in a monospace
// font, each token a coloured <span>, every character of the code HTML-escaped. dark picks the
// colours that read on the dark theme's code background.
QString highlightCodeHtml(QStringView code, QStringView language, bool dark);

} // namespace latent::ui
