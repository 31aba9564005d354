// The editor panel's promise that nothing the user typed is lost without asking: saving, closing
// with the question to save, and files changed or removed on disk while open.

#include "ui/editor/editor_panel.h"

#include "ui/editor/recent_files.h"

#include <QDir>

#include <algorithm>

namespace latent::ui {

namespace {

// The offset on the line the cursor is on, clamped to the line's end (a CR of CRLF excluded).
int offsetInLine(const QString& text, int lineStart, int column)
{
    int lineEnd = text.indexOf(QLatin1Char('\n'), lineStart);
    if (lineEnd < 0)
        lineEnd = text.size();
    if (lineEnd > lineStart && text.at(lineEnd - 1) == QLatin1Char('\r'))
        --lineEnd;
    return std::min(lineStart + column, lineEnd);
}

} // namespace

bool EditorPanel::save(CodeEditor* editor)
{
    if (!editor)
        return false;
    if (editor->filePath().isEmpty())
        return saveAs(editor);
    return writeFile(editor, editor->filePath());
}

bool EditorPanel::saveAs(CodeEditor* editor)
{
    if (!editor)
        return false;
    const QString suggested = editor->filePath().isEmpty()
        ? QDir(startFolder()).filePath(displayName(editor))
        : editor->filePath();
    const QString path = dialogs_.chooseSavePath(suggested);
    if (path.isEmpty())
        return false;
    CodeEditor* other = editorForPath(path);
    if (other && other != editor) {
        dialogs_.warn(tr("Cannot Save File"),
                      tr("“%1” is open in another tab. Close that tab first, or choose another name.")
                          .arg(QDir::toNativeSeparators(path)));
        return false;
    }
    return writeFile(editor, path);
}

bool EditorPanel::writeFile(CodeEditor* editor, const QString& path)
{
    const QString oldPath = editor->filePath();
    QString error;
    if (!editor->save(path, &error)) {
        dialogs_.warn(tr("Cannot Save File"), error);
        return false;
    }
    const QString newPath = editor->filePath();
    if (newPath != oldPath) {
        if (!oldPath.isEmpty())
            watcher_.unwatch(oldPath);
        editor->setLanguageForFile(newPath);
    }
    // Our own write is the known content now, so its change events are not reported back.
    watcher_.acknowledge(newPath);
    Document& document = documents_[editor];
    document.untitledNumber = 0;
    document.removedFromDisk = false;
    addRecentFile(newPath);
    updateTabs();
    updateActions();
    return true;
}

bool EditorPanel::saveAll()
{
    bool allSaved = true;
    for (CodeEditor* editor : editors()) {
        if (editor->isModified() || documents_.value(editor).removedFromDisk)
            allSaved = save(editor) && allSaved;
    }
    return allSaved;
}

SaveChoice EditorPanel::askToSave(CodeEditor* editor)
{
    setCurrentEditor(editor); // the question is about the file on screen
    return dialogs_.askSaveChanges(displayName(editor));
}

bool EditorPanel::saveIfWanted(CodeEditor* editor)
{
    if (!editor->isModified())
        return true;
    switch (askToSave(editor)) {
    case SaveChoice::Save:
        return save(editor);
    case SaveChoice::Discard:
        return true;
    case SaveChoice::Cancel:
        return false;
    }
    return false;
}

bool EditorPanel::closeEditor(CodeEditor* editor)
{
    if (!editor || !saveIfWanted(editor))
        return false;
    removeEditor(editor);
    return true;
}

bool EditorPanel::maybeSaveAll()
{
    for (CodeEditor* editor : editors()) {
        if (!saveIfWanted(editor))
            return false;
    }
    return true;
}

bool EditorPanel::closeAll()
{
    if (!maybeSaveAll())
        return false;
    for (CodeEditor* editor : editors())
        removeEditor(editor);
    return true;
}

// Changes on disk: a removed file's tab says so and keeps its text; a modified one reloads when
// nothing here is unsaved, else the user is asked.
void EditorPanel::diskChanged(const QString& path, DiskChange change)
{
    CodeEditor* editor = editorForPath(path);
    if (!editor)
        return;
    documents_[editor].removedFromDisk = change == DiskChange::Removed;
    updateTab(editor);
    updateActions();
    if (change == DiskChange::Modified)
        fileModifiedOnDisk(editor);
}

void EditorPanel::fileModifiedOnDisk(CodeEditor* editor)
{
    if (!editor->isModified()) {
        reloadKeepingCursor(editor);
        return;
    }
    // A second change while the question is open is covered by its answer: a reload then reads
    // the file as it is at that moment.
    if (askingToReload_.contains(editor))
        return;
    askingToReload_.append(editor);
    const ReloadChoice choice = dialogs_.askReloadChanged(displayName(editor));
    const bool stillOpen = askingToReload_.removeAll(editor) > 0; // not closed while asking
    if (stillOpen && choice == ReloadChoice::Reload)
        reloadKeepingCursor(editor);
}

void EditorPanel::reloadKeepingCursor(CodeEditor* editor)
{
    const int line = editor->cursorLine();
    const int column = editor->cursorColumn();
    QString error;
    if (!editor->open(editor->filePath(), &error)) {
        dialogs_.warn(tr("Cannot Reload File"), error);
        return;
    }
    editor->goToLine(line);
    editor->setCursorOffset(offsetInLine(editor->text(), editor->cursorOffset(), column));
    watcher_.acknowledge(editor->filePath());
    updateTab(editor);
}

} // namespace latent::ui
