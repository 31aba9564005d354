#pragma once

#include <QString>

#include <memory>

class QsciLexer;

namespace latent::ui {

// The QScintilla lexer that colours a language, by its CodeLanguage id (app/coding/code_language.h);
// null for plain text and for a language none fits. Languages QScintilla has no class for get the
// nearest one with their own keywords: Go, Kotlin and Swift the C++ lexer, TypeScript and QML the
// JavaScript lexer, Rust Scintilla's own Rust lexer (lifetimes are not character literals).
// language() names the language ("Go", "Rust"), whichever lexer serves it.
std::unique_ptr<QsciLexer> lexerForLanguage(const QString& languageId);

} // namespace latent::ui
