#include "ui/editor/editor_dialogs.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

namespace latent::ui {

namespace {

SaveChoice askSaveChanges(QWidget* parent, const QString& fileName)
{
    QMessageBox box(QMessageBox::Warning, EditorDialogs::tr("Unsaved Changes"),
                    EditorDialogs::tr("Save the changes to “%1” before closing it?").arg(fileName),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, parent);
    box.setInformativeText(EditorDialogs::tr("Your changes will be lost if you don't save them."));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return SaveChoice::Save;
    case QMessageBox::Discard:
        return SaveChoice::Discard;
    default: // Cancel, Esc and the window's close button: nothing is lost
        return SaveChoice::Cancel;
    }
}

ReloadChoice askReloadChanged(QWidget* parent, const QString& fileName)
{
    QMessageBox box(QMessageBox::Question, EditorDialogs::tr("File Changed on Disk"),
                    EditorDialogs::tr("“%1” was changed by another program, and you have unsaved changes to it.")
                        .arg(fileName),
                    QMessageBox::NoButton, parent);
    box.setInformativeText(EditorDialogs::tr("Reload it from disk and lose your changes, or keep your version "
                                             "(saving it then overwrites the file on disk)?"));
    QPushButton* reload = box.addButton(EditorDialogs::tr("&Reload (Lose My Changes)"), QMessageBox::DestructiveRole);
    QPushButton* keep = box.addButton(EditorDialogs::tr("&Keep Mine"), QMessageBox::RejectRole);
    box.setDefaultButton(keep); // the safe answer for a stray Enter
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() == reload ? ReloadChoice::Reload : ReloadChoice::KeepMine;
}

} // namespace

EditorDialogs EditorDialogs::standard(QWidget* parent)
{
    EditorDialogs dialogs;
    dialogs.askSaveChanges = [parent](const QString& fileName) { return ui::askSaveChanges(parent, fileName); };
    dialogs.askReloadChanged = [parent](const QString& fileName) { return ui::askReloadChanged(parent, fileName); };
    dialogs.warn = [parent](const QString& title, const QString& message) {
        QMessageBox::warning(parent, title, message);
    };
    dialogs.chooseFilesToOpen = [parent](const QString& startFolder) {
        return QFileDialog::getOpenFileNames(parent, tr("Open Files"), startFolder);
    };
    dialogs.chooseSavePath = [parent](const QString& suggestedPath) {
        return QFileDialog::getSaveFileName(parent, tr("Save As"), suggestedPath);
    };
    dialogs.chooseFolder = [parent](const QString& startFolder) {
        return QFileDialog::getExistingDirectory(parent, tr("Open Folder"), startFolder);
    };
    dialogs.chooseLine = [parent](int currentLine, int lineCount) -> std::optional<int> {
        bool ok = false;
        const int line = QInputDialog::getInt(parent, tr("Go to Line"), tr("Line (1 to %1):").arg(lineCount),
                                              currentLine, 1, lineCount, 1, &ok);
        return ok ? std::optional<int>(line) : std::nullopt;
    };
    return dialogs;
}

} // namespace latent::ui
