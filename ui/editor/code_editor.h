#pragma once

#include <QList>
#include <QObject>
#include <QString>

class QAction;
class QWidget;

namespace latent::ui {

// What find and replace look for.
struct FindOptions {
    QString pattern;
    bool regularExpression = false;
    bool caseSensitive = false;
    bool wholeWord = false;
};

// The keys that act on ghost text while it is shown (and do nothing else then).
enum class GhostKey {
    AcceptAll,  // Tab
    AcceptWord, // Ctrl+Right
    Dismiss,    // Esc
};

// One editor of one file, as the editor panel uses it. The panel, the coding actions and the ghost
// text see only this interface, so that the component behind it can change: QScintilla today
// (scintilla_editor.h, Qt 6.4), KTextEditor where KDE Frameworks 6 can be built (Qt >= 6.5).
//
// Text crosses this interface as QString; offsets are in UTF-16 code units of text(); lines count
// from 0. Files are UTF-8 on disk and are saved back byte for byte as they were read, apart from
// the edits: line endings (LF or CRLF) and a byte order mark are kept.
class CodeEditor : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    ~CodeEditor() override = default;

    virtual QWidget* widget() = 0;

    // Reads the file (and chooses the syntax colouring by its name). On failure returns false,
    // leaves the editor as it was and puts into *error a sentence naming the file and what to do
    // (a file that is not UTF-8 text is refused, never shown damaged).
    virtual bool open(const QString& path, QString* error) = 0;
    // Writes the text to path (atomically: a failed save leaves the old file whole), makes path
    // the editor's file and clears the modified state. On failure returns false with *error set.
    virtual bool save(const QString& path, QString* error) = 0;
    virtual QString filePath() const = 0; // empty for a new, never saved file
    // Chooses the syntax colouring for a file name (open does it; a new file saved under a name too).
    virtual void setLanguageForFile(const QString& fileName) = 0;
    virtual QString languageId() const = 0; // CodeLanguage::id (app/coding/code_language.h)

    virtual QString text() const = 0;
    virtual void setText(const QString& text) = 0; // a fresh document: no undo history, unmodified
    virtual bool isModified() const = 0;
    virtual void setModified(bool modified) = 0;

    virtual int cursorOffset() const = 0;
    virtual void setCursorOffset(int offset) = 0;
    virtual int cursorLine() const = 0;
    virtual int cursorColumn() const = 0; // in UTF-16 code units from the start of the line
    virtual int lineCount() const = 0;

    virtual bool hasSelection() const = 0;
    virtual QString selectedText() const = 0;
    virtual int selectionStart() const = 0; // offsets; both the cursor's when nothing is selected
    virtual int selectionEnd() const = 0;
    virtual void setSelection(int start, int end) = 0;

    // Edits, each one undo step: the text inserted at the cursor (which moves after it), the
    // selection replaced, the whole text replaced (the cursor kept on its line where it can be).
    virtual void insertAtCursor(const QString& text) = 0;
    virtual void replaceSelection(const QString& text) = 0;
    virtual void replaceAll(const QString& text) = 0;
    // Groups every edit between the two calls into one undo step (a generated insertion that
    // streams in over many event-loop turns). Calls nest.
    virtual void beginUndoStep() = 0;
    virtual void endUndoStep() = 0;
    virtual void undo() = 0;
    virtual void redo() = 0;
    // Stops the user's edits; the edits of this interface still apply (a generated insertion
    // streams in while the user cannot type into it).
    virtual void setReadOnly(bool readOnly) = 0;

    // Grey text shown at the cursor as if typed, which is not part of text(): the first line
    // inline after the cursor, the others below it. Empty text hides it. Moving the cursor or
    // editing does not hide it; the caller decides (app/coding/ghost_text.h).
    virtual void setGhostText(const QString& text) = 0;
    virtual QString ghostText() const = 0;

    // Find from the cursor (forward or backward, wrapping around), selecting the match; false when
    // there is none (or the regular expression is invalid).
    virtual bool find(const FindOptions& options, bool forward) = 0;
    // Replaces the selection when it is a match, then finds the next one.
    virtual bool replaceAndFindNext(const FindOptions& options, const QString& replacement) = 0;
    // Every match, as one undo step; returns how many.
    virtual int replaceEveryMatch(const FindOptions& options, const QString& replacement) = 0;

    virtual void goToLine(int line) = 0; // from 0, clamped
    virtual void zoomIn() = 0;
    virtual void zoomOut() = 0;
    virtual void resetZoom() = 0;
    virtual void setDarkTheme(bool dark) = 0; // colours follow the app's theme, switched live
    virtual void focus() = 0;
    // Shown in the editor's context menu after its own (cut, copy, paste...): the coding actions.
    virtual void setContextActions(const QList<QAction*>& actions) = 0;

signals:
    void textChanged();
    void modificationChanged(bool modified);
    void cursorMoved();
    // Printable text the user typed at the cursor (after it was inserted).
    void typed(const QString& text);
    // Tab, Ctrl+Right or Esc while ghost text is shown: the key is taken, not passed to the editor.
    void ghostKeyPressed(latent::ui::GhostKey key);
};

} // namespace latent::ui
