// The editor panel's state between runs, in the settings' group "editor" (editor_panel.h says
// what is kept).

#include "ui/editor/editor_panel.h"

#include "ui/editor/file_tree.h"

#include <QFileInfo>
#include <QSettings>
#include <QSplitter>

#include <algorithm>

namespace latent::ui {

namespace {

const QString filesKey = QStringLiteral("editor/files");
const QString cursorsKey = QStringLiteral("editor/cursorOffsets");
const QString currentKey = QStringLiteral("editor/currentFile");
const QString folderKey = QStringLiteral("editor/folder");
const QString splitterKey = QStringLiteral("editor/splitterSizes");
const QString zoomKey = QStringLiteral("editor/zoomSteps");

} // namespace

void EditorPanel::saveState(QSettings& settings) const
{
    QStringList files;
    QVariantList cursors;
    QString current;
    for (CodeEditor* editor : editors()) {
        if (editor->filePath().isEmpty())
            continue;
        files.append(editor->filePath());
        cursors.append(editor->cursorOffset());
        if (editor == currentEditor())
            current = editor->filePath();
    }
    settings.setValue(filesKey, files);
    settings.setValue(cursorsKey, cursors);
    settings.setValue(currentKey, current);
    settings.setValue(folderKey, folder());
    settings.setValue(zoomKey, zoomSteps_);
    // Only while the tree shows: a hidden tree's width is 0 and would hide it once reopened.
    if (!tree_->isHidden() && splitter_->sizes().value(0) > 0) {
        QVariantList sizes;
        for (int size : splitter_->sizes())
            sizes.append(size);
        settings.setValue(splitterKey, sizes);
    }
}

void EditorPanel::restoreState(const QSettings& settings)
{
    zoomBy(settings.value(zoomKey, 0).toInt() - zoomSteps_);
    const QStringList files = settings.value(filesKey).toStringList();
    const QVariantList cursors = settings.value(cursorsKey).toList();
    const QString currentPath = settings.value(currentKey).toString();
    CodeEditor* current = nullptr;
    for (qsizetype i = 0; i < files.size(); ++i) {
        if (!QFileInfo(files[i]).isFile())
            continue; // gone since: nothing to tell the user at start
        CodeEditor* editor = openDocument(files[i]);
        if (!editor)
            continue;
        editor->setCursorOffset(std::clamp(cursors.value(i).toInt(), 0, int(editor->text().size())));
        if (files[i] == currentPath)
            current = editor;
    }
    setCurrentEditor(current);

    const QString savedFolder = settings.value(folderKey).toString();
    if (!savedFolder.isEmpty() && QFileInfo(savedFolder).isDir()) {
        openFolder(savedFolder);
        QList<int> sizes;
        for (const QVariant& size : settings.value(splitterKey).toList())
            sizes.append(size.toInt());
        if (sizes.size() == 2 && sizes[0] > 0)
            splitter_->setSizes(sizes);
    }
}

} // namespace latent::ui
