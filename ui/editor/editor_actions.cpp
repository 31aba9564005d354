#include "ui/editor/editor_actions.h"

#include <QAction>
#include <QIcon>
#include <QKeySequence>
#include <QWidget>

namespace latent::ui {

namespace {

struct ActionLook {
    const char* objectName; // for scripted runs and tests
    const char* iconName;   // freedesktop icon naming
    QList<QKeySequence> shortcuts;
};

ActionLook lookOf(EditorAction which)
{
    using Keys = QList<QKeySequence>;
    switch (which) {
    case EditorAction::New:
        return {"editorNew", "document-new", QKeySequence::keyBindings(QKeySequence::New)};
    case EditorAction::Open:
        return {"editorOpen", "document-open", QKeySequence::keyBindings(QKeySequence::Open)};
    case EditorAction::OpenFolder:
        return {"editorOpenFolder", "folder-open", {}};
    case EditorAction::CloseFolder:
        return {"editorCloseFolder", "folder", {}};
    case EditorAction::Save:
        return {"editorSave", "document-save", QKeySequence::keyBindings(QKeySequence::Save)};
    case EditorAction::SaveAs: {
        // Some platforms bind nothing to SaveAs; Ctrl+Shift+S is what every editor uses there.
        Keys keys = QKeySequence::keyBindings(QKeySequence::SaveAs);
        if (keys.isEmpty())
            keys = {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)};
        return {"editorSaveAs", "document-save-as", keys};
    }
    case EditorAction::SaveAll:
        return {"editorSaveAll", "document-save-all", {}};
    case EditorAction::Close:
        return {"editorClose", "document-close", QKeySequence::keyBindings(QKeySequence::Close)};
    case EditorAction::CloseAll:
        return {"editorCloseAll", "document-close", Keys{QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W)}};
    case EditorAction::Find:
        return {"editorFind", "edit-find", QKeySequence::keyBindings(QKeySequence::Find)};
    case EditorAction::Replace:
        return {"editorReplace", "edit-find-replace", QKeySequence::keyBindings(QKeySequence::Replace)};
    // F3, not QKeySequence::FindNext: on some platforms that is Ctrl+G, which is Go to Line here.
    case EditorAction::FindNext:
        return {"editorFindNext", "go-down-search", Keys{QKeySequence(Qt::Key_F3)}};
    case EditorAction::FindPrevious:
        return {"editorFindPrevious", "go-up-search", Keys{QKeySequence(Qt::SHIFT | Qt::Key_F3)}};
    case EditorAction::GoToLine:
        return {"editorGoToLine", "go-jump", Keys{QKeySequence(Qt::CTRL | Qt::Key_G)}};
    case EditorAction::ZoomIn:
        // Ctrl+= as well as Ctrl++: on most keyboards + needs Shift on the same key as =.
        return {"editorZoomIn", "zoom-in", Keys{QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence::ZoomIn}};
    case EditorAction::ZoomOut:
        return {"editorZoomOut", "zoom-out", Keys{QKeySequence(Qt::CTRL | Qt::Key_Minus)}};
    case EditorAction::ResetZoom:
        return {"editorResetZoom", "zoom-original", Keys{QKeySequence(Qt::CTRL | Qt::Key_0)}};
    }
    return {};
}

} // namespace

EditorActions::EditorActions(QWidget* panel)
{
    for (int i = 0; i < editorActionCount; ++i) {
        const ActionLook look = lookOf(static_cast<EditorAction>(i));
        auto* action = new QAction(panel);
        action->setObjectName(QLatin1String(look.objectName));
        action->setIcon(QIcon::fromTheme(QLatin1String(look.iconName)));
        action->setShortcuts(look.shortcuts);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        panel->addAction(action);
        actions_[i] = action;
    }
    retranslate();
}

void EditorActions::retranslate()
{
    const auto setText = [this](EditorAction which, const QString& text) { (*this)[which]->setText(text); };
    setText(EditorAction::New, tr("&New File"));
    setText(EditorAction::Open, tr("&Open File..."));
    setText(EditorAction::OpenFolder, tr("Open &Folder..."));
    setText(EditorAction::CloseFolder, tr("Close Fol&der"));
    setText(EditorAction::Save, tr("&Save"));
    setText(EditorAction::SaveAs, tr("Save &As..."));
    setText(EditorAction::SaveAll, tr("Save A&ll"));
    setText(EditorAction::Close, tr("&Close File"));
    setText(EditorAction::CloseAll, tr("Close All Fi&les"));
    setText(EditorAction::Find, tr("&Find..."));
    setText(EditorAction::Replace, tr("&Replace..."));
    setText(EditorAction::FindNext, tr("Find &Next"));
    setText(EditorAction::FindPrevious, tr("Find &Previous"));
    setText(EditorAction::GoToLine, tr("&Go to Line..."));
    setText(EditorAction::ZoomIn, tr("Zoom &In"));
    setText(EditorAction::ZoomOut, tr("Zoom &Out"));
    setText(EditorAction::ResetZoom, tr("&Reset Zoom"));
}

} // namespace latent::ui
