#pragma once

#include <QString>

namespace latent::app {

// Lines from 0 (as CodeEditor counts them), both ends included.
struct LineRange {
    int first = 0;
    int last = 0;
};

// What a coding action works on when nothing is selected: the function around `line`, found by
// a heuristic that reads no grammar (comments and strings are skipped, so braces in them do not
// count). The range includes the comment lines and decorators directly above the function.
//
// - Brace languages (C, C++, C#, Java, JavaScript, TypeScript, Rust, Go, Kotlin, Swift, QML,
//   CSS, shell): of the blocks around the line (from the first line of a block's header to its
//   closing brace), the outermost whose header is a definition: it has a parameter list ")" or
//   an arrow "=>", or fn/func/function, it is not a call's argument (its parentheses are
//   balanced), and it does not start with a control keyword (if, for, while, switch, catch,
//   ...) or declare a type (class, struct, namespace, impl, ...). A method in a class gives the
//   method; a lambda inside a function gives the function. Failing that, the innermost callback
//   (a function passed as an argument: a test's it(...) body); failing that, the innermost block
//   that is not a namespace (a class body, an object literal).
// - Python: by indentation, the outermost def around the line (a method, not its class; a
//   nested function gives the one around it), else the innermost class.
// - Elsewhere, or when nothing encloses the line: its paragraph (the lines between blank lines,
//   at most 50 either side; the paragraph above when the line is blank).
//
// languageId is CodeLanguage::id; `line` is clamped to the text.
LineRange enclosingFunction(const QString& text, int line, const QString& languageId);

} // namespace latent::app
