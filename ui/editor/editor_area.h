#pragma once

#include "app/chat/completion_model.h"
#include "app/coding/coding_prompts.h"
#include "ui/editor/code_generation.h"
#include "ui/editor/coding_actions.h"
#include "ui/editor/inline_completion.h"

#include <QWidget>

#include <functional>

class QLabel;
class QMenu;
class QMenuBar;
class QSettings;

namespace latent::app {
class ChatController;
class ModelManager;
} // namespace latent::app

namespace latent::ui {

class DiffPreviewDialog;
class EditorPanel;
class GenerateBar;

// The editor side of the main window: the editor panel (tabs, file tree, find bar) with what the
// model does there: completion as one types (ghost text), Generate at the cursor (GenerateBar over
// the panel), the coding actions that start a chat, and chat code blocks applied to the editor
// through a diff preview (EditorLink). Its "Code" menu holds all of it.
class EditorArea : public QWidget {
    Q_OBJECT

public:
    EditorArea(app::ChatController& chat, app::ModelManager& models, QWidget* parent = nullptr);
    ~EditorArea() override;

    EditorPanel* panel() const { return panel_; }
    InlineCompletion* completion() { return &completion_; }
    app::CompletionModel* completionModel() { return &completionModel_; }
    GenerateBar* generateBar() const { return generateBar_; }

    void addMenu(QMenuBar* bar); // "Code", again on every language change

    // The user's unsaved work first: false when they cancelled closing.
    bool maybeSaveAll();
    void saveState(QSettings& settings) const;
    void restoreState(const QSettings& settings);

    // A chat code block into the current editor at the cursor, or over the selection (the whole
    // file when nothing is selected), after the diff preview says yes.
    void applyCode(const QString& code, bool replace);
    // How the diff preview is confirmed (tests answer without a modal dialog): exec() by default.
    void setDiffConfirmation(std::function<bool(DiffPreviewDialog&)> confirm) { confirmDiff_ = std::move(confirm); }

    void runAction(app::CodingAction action);
    void openGenerateBar();

private:
    void createModelActions();
    void retranslateModelActions();
    void fillCompletionModelMenu(QMenu* menu);
    void chooseCompletionModelFile();
    void onCurrentEditorChanged(CodeEditor* editor);
    void updateLink();
    void updateCompletion();
    void showNote(const QString& text);

    app::ChatController& chat_;
    app::ModelManager& models_;
    app::CompletionModel completionModel_;
    EditorPanel* panel_ = nullptr;
    GenerateBar* generateBar_ = nullptr;
    QLabel* note_ = nullptr;
    InlineCompletion completion_;
    CodingActions actions_;
    CodeGeneration generation_;
    std::function<bool(DiffPreviewDialog&)> confirmDiff_;
    QList<QAction*> modelActions_; // Explain, Review, Write docs, Write tests, Generate, Suggest
    QMetaObject::Connection cursorConnection_;
};

} // namespace latent::ui
