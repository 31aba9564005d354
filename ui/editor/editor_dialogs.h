#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QWidget;

namespace latent::ui {

// The answers to "save the changes to this file before it closes?".
enum class SaveChoice { Save, Discard, Cancel };
// The answers to "this file changed on disk, and you have unsaved changes to it".
enum class ReloadChoice { Reload, KeepMine };

// Every question the editor panel asks the user, one function each. standard() answers them with
// the usual modal dialogs; tests (and scripted runs) put their own functions in their place, so
// that nothing waits for a click. An empty path or an empty list means the user cancelled.
struct EditorDialogs {
    Q_DECLARE_TR_FUNCTIONS(EditorDialogs)

public:
    std::function<SaveChoice(const QString& fileName)> askSaveChanges;
    std::function<ReloadChoice(const QString& fileName)> askReloadChanged;
    // An error the user should see; the message names the file and what to do.
    std::function<void(const QString& title, const QString& message)> warn;
    std::function<QStringList(const QString& startFolder)> chooseFilesToOpen;
    std::function<QString(const QString& suggestedPath)> chooseSavePath;
    std::function<QString(const QString& startFolder)> chooseFolder;
    // A line number from 1 to lineCount; nothing when cancelled.
    std::function<std::optional<int>(int currentLine, int lineCount)> chooseLine;

    // QMessageBox, QFileDialog and QInputDialog, modal over parent.
    static EditorDialogs standard(QWidget* parent);
};

} // namespace latent::ui
