#pragma once

#include <QColor>

class QFont;
class QsciScintilla;
class QsciScintillaBase;

namespace latent::ui {

// The editor's colours in one theme: the chat's (ui/qml/Theme.qml) for the surfaces and the text,
// and its code blocks' (ui/code_highlighter.cpp) for the syntax, so the panel matches the chat.
struct EditorPalette {
    // The text, by what the lexer says each piece is.
    QColor paper;
    QColor text;
    QColor comment;
    QColor keyword;
    QColor type; // classes, functions, attributes, keys
    QColor string;
    QColor number;
    QColor preprocessor; // also decorators, macros, escapes, Rust lifetimes
    QColor operatorSign;
    QColor error;
    QColor added;    // diff lines
    QColor removed;
    QColor inactive; // code an #if leaves out
    // Around the text.
    QColor margin; // line numbers and folding
    QColor lineNumber;
    QColor foldMarker;
    QColor caret;
    QColor caretLine;
    QColor selection;
    QColor braceMatch; // behind a brace and its partner
    QColor indentGuide;
    QColor ghost; // suggested text that is not part of the document yet
};

const EditorPalette& editorPalette(bool dark);

// Colours the editor: every style of its lexer by what the style's description says it is
// ("comment", "string", "keyword", ...), or its plain text when it has no lexer, all in font; and
// the margins, fold markers, caret, caret line, selection, braces and indentation guides. Called
// again after every lexer change, since a lexer brings its own colours.
void applyEditorTheme(QsciScintilla& editor, const EditorPalette& palette, const QFont& font);

// Gives a Scintilla style a font (QScintilla keeps its own helper private).
void setStyleFont(QsciScintillaBase& editor, int style, const QFont& font);

} // namespace latent::ui
