#pragma once

#include "ui/editor/code_editor.h"

#include <Qsci/qsciscintilla.h>

#include <QByteArray>
#include <QFont>
#include <QString>

#include <memory>

class QPainter;

namespace latent::ui {

// The widget of a ScintillaEditor: a QsciScintilla set up the way Latent edits code (UTF-8, line
// numbers, folding, brace matching, the caret line, indentation guides, auto-indent, 4 spaces a
// tab, the system's monospace font), coloured by language and theme, with ghost text.
//
// Ghost text is drawn, never inserted, so the document, its undo history and its modified state
// do not see it. Its first line is painted over the viewport after Scintilla paints: from the
// cursor, the rest of the cursor's line is covered with the caret line's colour, the ghost line is
// drawn in italic grey and, for a one-line suggestion, the rest of the line after it. The other
// lines are a Scintilla annotation under the cursor's line (italic grey; the last one followed by
// the rest of the cursor's line in the text colour), so a suggestion reads as if it were inserted.
// Ghost text owns the annotations: nothing else in the editor may use them.
//
// While ghost text is shown, Tab, Ctrl+Right and Esc are taken: ghostKeyPressed, nothing else.
class ScintillaView final : public QsciScintilla {
    Q_OBJECT

public:
    explicit ScintillaView(QWidget* parent = nullptr);
    ~ScintillaView() override;

    // The document's bytes in [start, end), Scintilla positions (bytes of UTF-8), clamped to it.
    QByteArray bytesBetween(long start, long end) const;

    // Chooses the lexer by CodeLanguage id (lexer_for_language.h) and colours it.
    void setLanguage(const QString& languageId);
    void setDarkTheme(bool dark);

    void setGhostText(const QString& text); // empty hides it
    const QString& ghostText() const { return ghostText_; }
    void setContextActions(const QList<QAction*>& actions) { contextActions_ = actions; }

signals:
    void ghostKeyPressed(latent::ui::GhostKey key);
    // Printable text the user typed or composed with an input method, after it was inserted.
    void typed(const QString& text);

protected:
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void inputMethodEvent(QInputMethodEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void applyTheme();
    void styleGhostAnnotations();
    void updateLineNumberWidth();
    void placeGhostAnnotation();
    void paintGhostLine(QPainter& painter);
    void paintRestOfLine(QPainter& painter, long from, long to, qreal x, qreal baseline, qreal lineStartX);
    QFont zoomedFont(bool italic) const;
    int textAreaLeft() const;

    std::unique_ptr<QsciLexer> lexer_;
    QFont font_;
    bool dark_ = false;
    int edits_ = 0; // textChanged signals so far: whether a key press inserted anything

    QList<QAction*> contextActions_; // after QScintilla's own in the context menu
    QString ghostText_;
    int ghostStyles_ = 0;   // the first of two extended styles: ghost text, then the text after it
    long annotatedLine_ = -1; // where the ghost annotation is, -1 for none
    QByteArray annotation_;   // and what it says
};

} // namespace latent::ui
