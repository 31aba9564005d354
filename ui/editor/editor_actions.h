#pragma once

#include <QCoreApplication>

#include <array>

class QAction;
class QWidget;

namespace latent::ui {

// What the editor panel offers the main window's menus.
enum class EditorAction {
    New,
    Open,
    OpenFolder,
    CloseFolder,
    Save,
    SaveAs,
    SaveAll,
    Close,
    CloseAll,
    Find,
    Replace,
    FindNext,
    FindPrevious,
    GoToLine,
    ZoomIn,
    ZoomOut,
    ResetZoom,
};
inline constexpr int editorActionCount = static_cast<int>(EditorAction::ResetZoom) + 1;

// The panel's actions with their texts, icons and standard shortcuts. The shortcuts act while the
// focus is inside the panel (Qt::WidgetWithChildrenShortcut): the chat beside it has its own
// New, Open and Find on the same standard keys.
class EditorActions {
    Q_DECLARE_TR_FUNCTIONS(EditorActions)

public:
    explicit EditorActions(QWidget* panel); // the actions are the panel's children, added to it

    QAction* operator[](EditorAction which) const { return actions_[static_cast<int>(which)]; }
    void retranslate(); // the texts again, in the language now in use

private:
    std::array<QAction*, editorActionCount> actions_{};
};

} // namespace latent::ui
