#pragma once

#include "ui/editor/code_editor.h"
#include "ui/editor/editor_actions.h"
#include "ui/editor/editor_dialogs.h"
#include "ui/editor/file_change_watcher.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QMenu;
class QSettings;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace latent::ui {

class FileTree;
class FindBar;

// The code editor area beside the chat: a folder's file tree, the tabs of open files, and the
// find bar under them, with what an editor's File and Edit menus offer (action()). The editors
// themselves are CodeEditors made by the factory it is given, so that the component behind them
// can change.
//
// Nothing the user typed is lost without asking: closing a modified file asks to save it, a
// failed save keeps the tab modified, and a file changed on disk is reloaded silently only when
// it has no unsaved changes here.
class EditorPanel : public QWidget {
    Q_OBJECT

public:
    using EditorFactory = std::function<CodeEditor*(QWidget* parent)>;

    explicit EditorPanel(EditorFactory createEditor, QWidget* parent = nullptr);
    ~EditorPanel() override;

    // For the main window's menus; each is enabled only while it applies.
    QAction* action(EditorAction which) const { return actions_[which]; }
    // Fills a "Recent Files" menu (connect it to the menu's aboutToShow).
    void fillRecentFilesMenu(QMenu* menu);
    QStringList recentFiles() const; // most recent first, at most 10, only files that exist

    // Replaces the standard dialogs; members left empty keep theirs.
    void setDialogs(const EditorDialogs& dialogs);

    CodeEditor* currentEditor() const;
    void setCurrentEditor(CodeEditor* editor);
    QList<CodeEditor*> editors() const; // in tab order

    CodeEditor* newFile(); // "Untitled 1", "Untitled 2", ...
    // Switches to the file's tab when it is open already. Null (with the error shown) on failure.
    CodeEditor* openFile(const QString& path);
    bool save(CodeEditor* editor);   // Save As for a file never saved; false when it failed or was cancelled
    bool saveAs(CodeEditor* editor); // asks for the path
    bool saveAll();                  // every modified file; false when one was not saved
    // Asks first when it is modified; false when the user cancelled (the tab stays).
    bool closeEditor(CodeEditor* editor);
    // Asks about every modified file, one by one; false when the user cancelled: nothing closed.
    bool closeAll();
    // What the main window's closeEvent calls: asks about every modified file, saving those the
    // user says to save; false when the user cancelled (the window should stay open).
    bool maybeSaveAll();

    void openFolder(const QString& folder); // shown in the tree beside the tabs
    void closeFolder();
    QString folder() const; // empty when none is open

    void setDarkTheme(bool dark); // every editor, and those opened later
    bool isRemovedFromDisk(CodeEditor* editor) const;

    // In the group "editor": the open files in tab order with their cursors, the current tab, the
    // folder, the tree's width and the zoom. New, never saved files are not kept (the user was
    // asked about them at close); files gone since are skipped without a word on restore.
    void saveState(QSettings& settings) const;
    void restoreState(const QSettings& settings);

    QTabWidget* tabs() const { return tabs_; }
    FileTree* fileTree() const { return tree_; }
    FindBar* findBar() const { return findBar_; }
    QSplitter* splitter() const { return splitter_; }

signals:
    void currentEditorChanged(latent::ui::CodeEditor* editor); // null when the last tab closed
    void editorOpened(latent::ui::CodeEditor* editor);         // a new or opened file, before it is current
    void editorAboutToClose(latent::ui::CodeEditor* editor);   // still whole; deleted right after

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // What the panel knows of an editor beyond the editor itself.
    struct Document {
        int untitledNumber = 0;        // "Untitled N" while it was never saved, else 0
        bool removedFromDisk = false;  // the file is gone; the text is kept, saving writes it again
    };

    void createLayout();
    void connectActions();
    CodeEditor* createEditor(int untitledNumber);
    CodeEditor* openDocument(const QString& path);
    void addTab(CodeEditor* editor);
    void removeEditor(CodeEditor* editor);
    bool writeFile(CodeEditor* editor, const QString& path);
    SaveChoice askToSave(CodeEditor* editor);
    bool saveIfWanted(CodeEditor* editor); // false when cancelled or the save failed

    void diskChanged(const QString& path, DiskChange change);
    void fileModifiedOnDisk(CodeEditor* editor);
    void reloadKeepingCursor(CodeEditor* editor);

    void openFilesChosen();
    void openFolderChosen();
    void goToLine();
    void zoomBy(int steps);
    void resetZoom();

    CodeEditor* editorAt(int index) const;
    CodeEditor* editorForPath(const QString& path) const;
    int nextUntitledNumber() const;
    QString startFolder() const; // where the file dialogs open
    QString displayName(CodeEditor* editor) const;
    void updateTab(CodeEditor* editor);
    void updateTabs();
    void updateActions();
    void syncCurrentEditor(); // tells the find bar and emits currentEditorChanged when it changed
    void retranslate();

    EditorFactory createEditor_;
    EditorDialogs dialogs_;
    EditorActions actions_;
    FileChangeWatcher watcher_;
    QHash<CodeEditor*, Document> documents_;
    QPointer<CodeEditor> shownEditor_; // the current editor as last announced
    QList<CodeEditor*> askingToReload_; // a question is open for these: later changes wait for the answer
    bool darkTheme_ = false;
    int zoomSteps_ = 0; // every editor is zoomed alike

    QSplitter* splitter_ = nullptr;
    FileTree* tree_ = nullptr;
    QStackedWidget* stack_ = nullptr; // the tabs, or the hint shown while no file is open
    QLabel* emptyHint_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    FindBar* findBar_ = nullptr;
};

} // namespace latent::ui
