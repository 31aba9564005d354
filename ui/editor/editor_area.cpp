#include "ui/editor/editor_area.h"

#include "app/chat/model_manager.h"
#include "app/coding/line_diff.h"
#include "ui/editor/diff_preview_dialog.h"
#include "ui/editor/editor_panel.h"
#include "ui/editor/generate_bar.h"
#include "ui/editor/scintilla_editor.h"
#include "ui/editor_link.h"
#include "ui/uisettings.h"

#include <QActionGroup>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QVBoxLayout>

namespace latent::ui {
namespace {

// Code from the chat written with the document's line ends ("\n" from the model; "\r\n" in a
// CRLF file), so that applying it does not mix them.
QString withLineEndsOf(const QString& document, QString code)
{
    if (document.contains(QLatin1String("\r\n"))) {
        code.replace(QLatin1String("\r\n"), QLatin1String("\n"));
        code.replace(u'\n', QLatin1String("\r\n"));
    }
    return code;
}

} // namespace

EditorArea::EditorArea(app::ChatController& chat, app::ModelManager& models, QWidget* parent)
    : QWidget(parent),
      chat_(chat),
      models_(models),
      completionModel_(models),
      completion_(*models.worker()),
      actions_(chat, models),
      generation_(models),
      confirmDiff_([](DiffPreviewDialog& dialog) { return dialog.exec() == QDialog::Accepted; })
{
    setObjectName(QStringLiteral("editorArea"));
    panel_ = new EditorPanel([](QWidget* parent) { return new ScintillaEditor(parent); }, this);
    generateBar_ = new GenerateBar(this);
    note_ = new QLabel(this);
    note_->setObjectName(QStringLiteral("completionNote"));
    note_->setWordWrap(true);
    note_->setForegroundRole(QPalette::PlaceholderText);
    note_->setContentsMargins(8, 2, 8, 4);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(generateBar_);
    layout->addWidget(panel_, 1);
    layout->addWidget(note_);

    UiSettings* settings = UiSettings::instance();
    panel_->setDarkTheme(settings->darkMode());
    connect(settings, &UiSettings::darkModeChanged, this, [this, settings] { panel_->setDarkTheme(settings->darkMode()); });
    createModelActions();
    connect(panel_, &EditorPanel::currentEditorChanged, this, &EditorArea::onCurrentEditorChanged);
    connect(panel_, &EditorPanel::editorOpened, this,
            [this](CodeEditor* editor) { editor->setContextActions(modelActions_); });
    onCurrentEditorChanged(panel_->currentEditor());

    connect(&completionModel_, &app::CompletionModel::changed, this, &EditorArea::updateCompletion);
    connect(&completion_, &InlineCompletion::failed, this, &EditorArea::showNote);
    updateCompletion();

    connect(generateBar_, &GenerateBar::generateRequested, this, [this](const QString& request) {
        generateBar_->setStatus({});
        generation_.start(panel_->currentEditor(), request, UiSettings::instance()->uiLanguage());
    });
    connect(generateBar_, &GenerateBar::stopRequested, &generation_, &CodeGeneration::stop);
    connect(generateBar_, &GenerateBar::closed, this, [this] {
        if (CodeEditor* editor = panel_->currentEditor())
            editor->focus();
    });
    connect(&generation_, &CodeGeneration::runningChanged, generateBar_, &GenerateBar::setRunning);
    connect(&generation_, &CodeGeneration::runningChanged, this, [this](bool running) {
        if (running)
            generateBar_->setStatus(tr("Writing…"));
    });
    connect(&generation_, &CodeGeneration::finished, this, [this](const QString& reason) {
        generateBar_->setStatus(reason == QLatin1String("cancelled") ? tr("Stopped") : tr("Done: Ctrl+Z undoes it"));
    });
    connect(&generation_, &CodeGeneration::failed, generateBar_, &GenerateBar::setStatus);

    EditorLink* link = EditorLink::instance();
    connect(link, &EditorLink::insertRequested, this, [this](const QString& code) { applyCode(code, false); });
    connect(link, &EditorLink::replaceRequested, this, [this](const QString& code) { applyCode(code, true); });
    updateLink();
}

EditorArea::~EditorArea()
{
    EditorLink::instance()->setState(false, false);
}

void EditorArea::addMenu(QMenuBar* bar)
{
    QMenu* code = bar->addMenu(tr("&Code"));
    code->setObjectName(QStringLiteral("codeMenu"));
    for (const EditorAction which : {EditorAction::New, EditorAction::Open, EditorAction::OpenFolder,
                                     EditorAction::CloseFolder})
        code->addAction(panel_->action(which));
    QMenu* recent = code->addMenu(tr("Recent &Files"));
    recent->setObjectName(QStringLiteral("recentFilesMenu"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] { panel_->fillRecentFilesMenu(recent); });
    code->addSeparator();
    for (const EditorAction which : {EditorAction::Save, EditorAction::SaveAs, EditorAction::SaveAll,
                                     EditorAction::Close, EditorAction::CloseAll})
        code->addAction(panel_->action(which));
    code->addSeparator();
    for (const EditorAction which : {EditorAction::Find, EditorAction::Replace, EditorAction::FindNext,
                                     EditorAction::FindPrevious, EditorAction::GoToLine})
        code->addAction(panel_->action(which));
    code->addSeparator();
    for (const EditorAction which : {EditorAction::ZoomIn, EditorAction::ZoomOut, EditorAction::ResetZoom})
        code->addAction(panel_->action(which));
    code->addSeparator();

    retranslateModelActions();
    code->addActions(modelActions_);
    code->addSeparator();
    QMenu* completionMenu = code->addMenu(tr("Completion &Model"));
    completionMenu->setObjectName(QStringLiteral("completionModelMenu"));
    connect(completionMenu, &QMenu::aboutToShow, this, [this, completionMenu] { fillCompletionModelMenu(completionMenu); });
}

// What the model does with the code: in the Code menu and the editor's context menu, enabled while
// a file is open. They live as long as the area; the menus that show them are rebuilt per language.
void EditorArea::createModelActions()
{
    const auto add = [this](const char* objectName, const QKeySequence& shortcut, auto slot) {
        auto* action = new QAction(this);
        action->setObjectName(QLatin1String(objectName));
        action->setShortcut(shortcut);
        connect(action, &QAction::triggered, this, slot);
        modelActions_ << action;
        return action;
    };
    add("explainCode", QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E), [this] { runAction(app::CodingAction::Explain); });
    add("reviewCode", QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R), [this] { runAction(app::CodingAction::Review); });
    add("writeDocs", QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_D), [this] { runAction(app::CodingAction::WriteDocs); });
    add("writeTests", QKeySequence(), [this] { runAction(app::CodingAction::WriteTests); });
    add("generateCode", QKeySequence(Qt::CTRL | Qt::Key_I), [this] { openGenerateBar(); });
    QAction* suggest = add("suggestCompletion", QKeySequence(Qt::CTRL | Qt::Key_Space), [this] { completion_.suggestNow(); });
    suggest->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(suggest); // the editor area's key, not the chat's
    retranslateModelActions();
}

void EditorArea::retranslateModelActions()
{
    const QString language = UiSettings::instance()->uiLanguage();
    const app::CodingAction coding[] = {app::CodingAction::Explain, app::CodingAction::Review,
                                        app::CodingAction::WriteDocs, app::CodingAction::WriteTests};
    for (int i = 0; i < 4; ++i)
        modelActions_[i]->setText(app::codingActionName(coding[i], language));
    modelActions_[4]->setText(tr("&Generate at Cursor…"));
    modelActions_[5]->setText(tr("&Suggest Completion"));
}

void EditorArea::fillCompletionModelMenu(QMenu* menu)
{
    menu->clear();
    auto* group = new QActionGroup(menu);
    const auto addChoice = [&](const QString& text, const QString& choice) {
        QAction* action = menu->addAction(text);
        action->setCheckable(true);
        action->setChecked(completionModel_.choice() == choice);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, choice] { completionModel_.setChoice(choice); });
    };
    addChoice(tr("The Chat's Model"), app::CompletionModel::chatModel);
    addChoice(tr("Off"), app::CompletionModel::noModel);
    const QString choice = completionModel_.choice();
    if (choice != app::CompletionModel::chatModel && choice != app::CompletionModel::noModel)
        addChoice(QFileInfo(choice).fileName(), choice);
    menu->addSeparator();
    connect(menu->addAction(tr("Choose a Model File…")), &QAction::triggered, this,
            &EditorArea::chooseCompletionModelFile);
    connect(menu->addAction(tr("Pause Before Completing (%1 ms)…").arg(completionModel_.debounceMs())),
            &QAction::triggered, this, [this] {
                bool ok = false;
                const int delay = QInputDialog::getInt(this, tr("Completion"),
                                                       tr("Ask for a completion after a pause in typing of (ms):"),
                                                       completionModel_.debounceMs(), 50, 2000, 50, &ok);
                if (ok)
                    completionModel_.setDebounceMs(delay);
            });
}

void EditorArea::chooseCompletionModelFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Completion Model"), QFileInfo(models_.modelPath()).path(),
                                                      tr("GGUF models (*.gguf);;All files (*)"));
    if (!path.isEmpty())
        completionModel_.setChoice(path);
}

bool EditorArea::maybeSaveAll()
{
    return panel_->maybeSaveAll();
}

void EditorArea::saveState(QSettings& settings) const
{
    panel_->saveState(settings);
}

void EditorArea::restoreState(const QSettings& settings)
{
    panel_->restoreState(settings);
}

void EditorArea::runAction(app::CodingAction action)
{
    if (CodeEditor* editor = panel_->currentEditor())
        actions_.run(action, *editor, UiSettings::instance()->uiLanguage());
}

void EditorArea::openGenerateBar()
{
    if (panel_->currentEditor())
        generateBar_->open();
}

void EditorArea::applyCode(const QString& code, bool replace)
{
    CodeEditor* editor = panel_->currentEditor();
    if (!editor)
        return;
    const QString before = editor->text();
    QString text = withLineEndsOf(before, code);
    const bool selection = replace && editor->hasSelection();
    int start = 0;
    int end = int(before.size());
    QString title;
    const QString file = QFileInfo(editor->filePath()).fileName();
    if (!replace) {
        start = end = editor->cursorOffset();
        // Code inserted at the start of a line is whole lines: it ends with a line end.
        const bool lineStart = start == 0 || before.at(start - 1) == u'\n';
        if (lineStart && !text.endsWith(u'\n'))
            text += withLineEndsOf(before, QStringLiteral("\n"));
        title = tr("Insert at cursor · %1").arg(file);
    } else if (selection) {
        start = editor->selectionStart();
        end = editor->selectionEnd();
        title = tr("Replace selection · %1").arg(file);
    } else {
        title = tr("Replace file · %1").arg(file);
    }
    DiffPreviewDialog preview(title, before, app::applyEdit(before, start, end, text),
                              UiSettings::instance()->darkMode(), this);
    if (!confirmDiff_(preview))
        return;
    if (!replace)
        editor->insertAtCursor(text);
    else if (selection)
        editor->replaceSelection(text);
    else
        editor->replaceAll(text);
    editor->focus();
}

void EditorArea::onCurrentEditorChanged(CodeEditor* editor)
{
    for (QAction* action : std::as_const(modelActions_))
        action->setEnabled(editor != nullptr);
    disconnect(cursorConnection_);
    if (editor)
        cursorConnection_ = connect(editor, &CodeEditor::cursorMoved, this, &EditorArea::updateLink);
    completion_.setEditor(editor);
    updateLink();
}

void EditorArea::updateLink()
{
    CodeEditor* editor = panel_->currentEditor();
    EditorLink::instance()->setState(editor != nullptr, editor && editor->hasSelection());
}

void EditorArea::updateCompletion()
{
    completion_.setEnabled(completionModel_.available());
    completion_.setDebounceMs(completionModel_.debounceMs());
    showNote(completionModel_.note());
}

void EditorArea::showNote(const QString& text)
{
    note_->setText(text);
    note_->setVisible(!text.isEmpty());
}

} // namespace latent::ui
