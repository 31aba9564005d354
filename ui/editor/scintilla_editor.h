#pragma once

#include "ui/editor/code_editor.h"

#include <QByteArray>
#include <QPointer>
#include <QString>

namespace latent::ui {

class ScintillaView;

// CodeEditor over QScintilla (Scintilla 3, Qt 6.4). The widget is a ScintillaView
// (scintilla_view.h: look, colours, ghost text, keys); this class adds files, UTF-16 offsets,
// undo steps and find and replace.
//
// The document is the file's bytes as read (after a byte order mark, which is remembered):
// nothing is converted, so text() holds "\r\n" in a CRLF file and an unedited file saves byte for
// byte. New lines typed end the way the file's first line does. Offsets are UTF-16 code units of
// text(); an offset inside a surrogate pair counts as the pair's start.
//
// Edits through this interface work while the editor is read-only: read-only stops the user, so
// that a generated insertion can stream in while the user cannot type into it.
//
// cursorMoved comes when Scintilla next paints the change (its SCN_UPDATEUI), so after typed()
// and after the call that moved the cursor has returned.
class ScintillaEditor final : public CodeEditor {
    Q_OBJECT

public:
    explicit ScintillaEditor(QObject* parent = nullptr);
    // Deletes the widget too, wherever it was put.
    ~ScintillaEditor() override;

    QWidget* widget() override;

    bool open(const QString& path, QString* error) override;
    bool save(const QString& path, QString* error) override;
    QString filePath() const override { return path_; }
    void setLanguageForFile(const QString& fileName) override;
    QString languageId() const override { return languageId_; }

    QString text() const override;
    // Keeps the file path and its byte order mark; new lines end as the text's first line does.
    // Ghost text is hidden: it belonged to the text replaced.
    void setText(const QString& text) override;
    bool isModified() const override;
    void setModified(bool modified) override;

    int cursorOffset() const override;
    void setCursorOffset(int offset) override;
    int cursorLine() const override;
    int cursorColumn() const override;
    int lineCount() const override;

    bool hasSelection() const override;
    QString selectedText() const override;
    int selectionStart() const override;
    int selectionEnd() const override;
    void setSelection(int start, int end) override;

    void insertAtCursor(const QString& text) override;
    void replaceSelection(const QString& text) override;
    void replaceAll(const QString& text) override;
    void beginUndoStep() override;
    void endUndoStep() override;
    void undo() override;
    void redo() override;
    void setReadOnly(bool readOnly) override;

    void setGhostText(const QString& text) override;
    void setContextActions(const QList<QAction*>& actions) override;
    QString ghostText() const override;

    bool find(const FindOptions& options, bool forward) override;
    bool replaceAndFindNext(const FindOptions& options, const QString& replacement) override;
    int replaceEveryMatch(const FindOptions& options, const QString& replacement) override;

    void goToLine(int line) override;
    void zoomIn() override;
    void zoomOut() override;
    void resetZoom() override;
    void setDarkTheme(bool dark) override;
    void focus() override;

private:
    void loadDocument(const QByteArray& bytes);
    void reportModified();
    long positionOfOffset(int offset) const;
    int offsetOfPosition(long position) const;
    long positionInLine(long line, int column) const;
    void select(long anchor, long caret);

    QPointer<ScintillaView> view_;
    QString path_;
    QString languageId_;
    bool byteOrderMark_ = false;
    bool markedModified_ = false;   // setModified(true) with no edit since the save point
    bool reportedModified_ = false; // what modificationChanged said last
    int undoDepth_ = 0;             // beginUndoStep calls not yet ended
};

} // namespace latent::ui
