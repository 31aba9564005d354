#include "ui/editor/editor_panel.h"

#include "ui/editor/file_tree.h"
#include "ui/editor/find_bar.h"
#include "ui/editor/recent_files.h"

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMouseEvent>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cstdlib>

namespace latent::ui {

namespace {

constexpr int defaultTreeWidth = 220;

// One spelling per file, so that a file opened twice (by a relative path, or through a link) is
// found open. A path that does not exist (yet) is only made absolute.
QString samePathKey(const QString& path)
{
    const QFileInfo info(path);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

// Zooms by steps (negative: out), one CodeEditor step at a time.
void zoomEditor(CodeEditor* editor, int steps)
{
    for (int i = 0; i < std::abs(steps); ++i)
        steps > 0 ? editor->zoomIn() : editor->zoomOut();
}

QString menuEscaped(QString text)
{
    return text.replace(QLatin1Char('&'), QLatin1String("&&"));
}

} // namespace

EditorPanel::EditorPanel(EditorFactory createEditor, QWidget* parent)
    : QWidget(parent)
    , createEditor_(std::move(createEditor))
    , dialogs_(EditorDialogs::standard(this))
    , actions_(this)
{
    createLayout();
    connectActions();
    connect(&watcher_, &FileChangeWatcher::changed, this, &EditorPanel::diskChanged);
    retranslate();
    updateActions();
}

// The editors go before the widgets they drew into: a CodeEditor may still reach its widget
// while it is destroyed.
EditorPanel::~EditorPanel()
{
    disconnect(tabs_, nullptr, this, nullptr); // no current-tab news about editors half gone
    const QList<CodeEditor*> open = editors();
    documents_.clear();
    for (CodeEditor* editor : open) {
        editor->disconnect(this);
        QPointer<QWidget> widget = editor->widget();
        delete editor;
        delete widget.data();
    }
}

void EditorPanel::createLayout()
{
    tree_ = new FileTree(this);
    tree_->setObjectName(QStringLiteral("fileTree"));
    tree_->hide(); // until a folder is opened
    connect(tree_, &FileTree::fileActivated, this, &EditorPanel::openFile);

    tabs_ = new QTabWidget(this);
    tabs_->setObjectName(QStringLiteral("editorTabs"));
    tabs_->setDocumentMode(true);
    tabs_->setMovable(true);
    tabs_->setTabsClosable(true);
    tabs_->setUsesScrollButtons(true);
    tabs_->tabBar()->installEventFilter(this); // a middle click closes a tab
    connect(tabs_, &QTabWidget::currentChanged, this, [this] { syncCurrentEditor(); });
    connect(tabs_, &QTabWidget::tabCloseRequested, this, [this](int index) { closeEditor(editorAt(index)); });

    emptyHint_ = new QLabel(this);
    emptyHint_->setAlignment(Qt::AlignCenter);
    emptyHint_->setWordWrap(true);
    emptyHint_->setEnabled(false); // drawn in the style's quieter colour

    stack_ = new QStackedWidget(this);
    stack_->addWidget(emptyHint_);
    stack_->addWidget(tabs_);

    findBar_ = new FindBar(this);
    findBar_->setObjectName(QStringLiteral("findBar"));

    auto* files = new QWidget(this);
    auto* column = new QVBoxLayout(files);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(stack_, 1);
    column->addWidget(findBar_);

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->addWidget(tree_);
    splitter_->addWidget(files);
    splitter_->setStretchFactor(1, 1);
    splitter_->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter_);
}

void EditorPanel::connectActions()
{
    const auto on = [this](EditorAction which, auto slot) {
        connect(actions_[which], &QAction::triggered, this, slot);
    };
    on(EditorAction::New, [this] { newFile(); });
    on(EditorAction::Open, [this] { openFilesChosen(); });
    on(EditorAction::OpenFolder, [this] { openFolderChosen(); });
    on(EditorAction::CloseFolder, [this] { closeFolder(); });
    on(EditorAction::Save, [this] { save(currentEditor()); });
    on(EditorAction::SaveAs, [this] { saveAs(currentEditor()); });
    on(EditorAction::SaveAll, [this] { saveAll(); });
    on(EditorAction::Close, [this] { closeEditor(currentEditor()); });
    on(EditorAction::CloseAll, [this] { closeAll(); });
    on(EditorAction::Find, [this] { findBar_->showFind(); });
    on(EditorAction::Replace, [this] { findBar_->showReplace(); });
    // With nothing to look for yet, F3 opens the bar rather than doing nothing.
    on(EditorAction::FindNext, [this] {
        if (findBar_->findField()->text().isEmpty())
            findBar_->showFind();
        else
            findBar_->findNext();
    });
    on(EditorAction::FindPrevious, [this] {
        if (findBar_->findField()->text().isEmpty())
            findBar_->showFind();
        else
            findBar_->findPrevious();
    });
    on(EditorAction::GoToLine, [this] { goToLine(); });
    on(EditorAction::ZoomIn, [this] { zoomBy(1); });
    on(EditorAction::ZoomOut, [this] { zoomBy(-1); });
    on(EditorAction::ResetZoom, [this] { resetZoom(); });
}

void EditorPanel::setDialogs(const EditorDialogs& dialogs)
{
    const auto take = [](auto& mine, const auto& given) {
        if (given)
            mine = given;
    };
    take(dialogs_.askSaveChanges, dialogs.askSaveChanges);
    take(dialogs_.askReloadChanged, dialogs.askReloadChanged);
    take(dialogs_.warn, dialogs.warn);
    take(dialogs_.chooseFilesToOpen, dialogs.chooseFilesToOpen);
    take(dialogs_.chooseSavePath, dialogs.chooseSavePath);
    take(dialogs_.chooseFolder, dialogs.chooseFolder);
    take(dialogs_.chooseLine, dialogs.chooseLine);
}

// ---- the open editors ----

CodeEditor* EditorPanel::currentEditor() const
{
    return editorAt(tabs_->currentIndex());
}

void EditorPanel::setCurrentEditor(CodeEditor* editor)
{
    if (editor && documents_.contains(editor))
        tabs_->setCurrentWidget(editor->widget());
}

QList<CodeEditor*> EditorPanel::editors() const
{
    QList<CodeEditor*> inTabOrder;
    for (int i = 0; i < tabs_->count(); ++i)
        inTabOrder.append(editorAt(i));
    return inTabOrder;
}

CodeEditor* EditorPanel::editorAt(int index) const
{
    QWidget* widget = tabs_->widget(index);
    if (!widget)
        return nullptr;
    for (auto it = documents_.cbegin(); it != documents_.cend(); ++it) {
        if (it.key()->widget() == widget)
            return it.key();
    }
    return nullptr;
}

CodeEditor* EditorPanel::editorForPath(const QString& path) const
{
    const QString key = samePathKey(path);
    for (auto it = documents_.cbegin(); it != documents_.cend(); ++it) {
        const QString filePath = it.key()->filePath();
        if (!filePath.isEmpty() && samePathKey(filePath) == key)
            return it.key();
    }
    return nullptr;
}

bool EditorPanel::isRemovedFromDisk(CodeEditor* editor) const
{
    return documents_.value(editor).removedFromDisk;
}

CodeEditor* EditorPanel::newFile()
{
    CodeEditor* editor = createEditor(nextUntitledNumber());
    addTab(editor);
    editor->focus();
    return editor;
}

CodeEditor* EditorPanel::openFile(const QString& path)
{
    CodeEditor* editor = openDocument(path);
    if (editor) {
        addRecentFile(editor->filePath());
        editor->focus();
    }
    return editor;
}

// Open, or switch to, without touching the recent files (a restore reopens what was open).
CodeEditor* EditorPanel::openDocument(const QString& path)
{
    if (CodeEditor* open = editorForPath(path)) {
        setCurrentEditor(open);
        return open;
    }
    CodeEditor* editor = createEditor(0);
    QString error;
    if (!editor->open(samePathKey(path), &error)) {
        documents_.remove(editor);
        QPointer<QWidget> widget = editor->widget();
        delete editor;
        delete widget.data();
        dialogs_.warn(tr("Cannot Open File"), error);
        return nullptr;
    }
    watcher_.watch(editor->filePath());
    addTab(editor);
    return editor;
}

CodeEditor* EditorPanel::createEditor(int untitledNumber)
{
    CodeEditor* editor = createEditor_(tabs_);
    documents_.insert(editor, Document{untitledNumber, false});
    editor->setDarkTheme(darkTheme_);
    zoomEditor(editor, zoomSteps_);
    connect(editor, &CodeEditor::modificationChanged, this, [this, editor] {
        updateTab(editor);
        updateActions();
    });
    return editor;
}

// Announced as opened before it becomes current, so that whoever listens has set it up by the
// time it is the one on screen.
void EditorPanel::addTab(CodeEditor* editor)
{
    int index = 0;
    {
        const QSignalBlocker blocker(tabs_);
        index = tabs_->addTab(editor->widget(), QString());
    }
    stack_->setCurrentWidget(tabs_);
    updateTabs(); // a second file of the same name changes the first one's title too
    emit editorOpened(editor);
    tabs_->setCurrentIndex(index);
    syncCurrentEditor();
    updateActions();
}

void EditorPanel::removeEditor(CodeEditor* editor)
{
    emit editorAboutToClose(editor);
    if (!editor->filePath().isEmpty())
        watcher_.unwatch(editor->filePath());
    askingToReload_.removeAll(editor);
    QPointer<QWidget> widget = editor->widget();
    tabs_->removeTab(tabs_->indexOf(widget));
    documents_.remove(editor);
    syncCurrentEditor();
    editor->disconnect(this);
    delete editor;
    delete widget.data();
    if (tabs_->count() == 0)
        stack_->setCurrentWidget(emptyHint_);
    updateTabs();
    updateActions();
}

int EditorPanel::nextUntitledNumber() const
{
    int number = 1;
    for (bool taken = true; taken; ++number) {
        taken = false;
        for (const Document& document : documents_)
            taken = taken || document.untitledNumber == number;
        if (!taken)
            return number;
    }
    return number;
}

// ---- the actions' dialogs ----

void EditorPanel::openFilesChosen()
{
    const QStringList paths = dialogs_.chooseFilesToOpen(startFolder());
    for (const QString& path : paths)
        openFile(path);
}

void EditorPanel::openFolderChosen()
{
    const QString chosen = dialogs_.chooseFolder(startFolder());
    if (!chosen.isEmpty())
        openFolder(chosen);
}

void EditorPanel::goToLine()
{
    CodeEditor* editor = currentEditor();
    if (!editor)
        return;
    const std::optional<int> line = dialogs_.chooseLine(editor->cursorLine() + 1, editor->lineCount());
    if (line)
        editor->goToLine(*line - 1);
    editor->focus();
}

QString EditorPanel::startFolder() const
{
    if (CodeEditor* editor = currentEditor(); editor && !editor->filePath().isEmpty())
        return QFileInfo(editor->filePath()).absolutePath();
    if (!folder().isEmpty())
        return folder();
    return QDir::homePath();
}

void EditorPanel::zoomBy(int steps)
{
    zoomSteps_ += steps;
    for (CodeEditor* editor : editors())
        zoomEditor(editor, steps);
}

void EditorPanel::resetZoom()
{
    zoomSteps_ = 0;
    for (CodeEditor* editor : editors())
        editor->resetZoom();
}

void EditorPanel::setDarkTheme(bool dark)
{
    darkTheme_ = dark;
    for (CodeEditor* editor : editors())
        editor->setDarkTheme(dark);
}

// ---- folder, recent files ----

void EditorPanel::openFolder(const QString& folder)
{
    tree_->setRootFolder(folder);
    tree_->show();
    if (splitter_->sizes().value(0) == 0)
        splitter_->setSizes({defaultTreeWidth, std::max(splitter_->width() - defaultTreeWidth, defaultTreeWidth)});
    updateActions();
}

void EditorPanel::closeFolder()
{
    tree_->setRootFolder({});
    tree_->hide();
    updateActions();
}

QString EditorPanel::folder() const
{
    return tree_->rootFolder();
}

QStringList EditorPanel::recentFiles() const
{
    return ui::recentFiles();
}

void EditorPanel::fillRecentFilesMenu(QMenu* menu)
{
    menu->clear();
    const QStringList files = recentFiles();
    if (files.isEmpty())
        menu->addAction(tr("No recent files"))->setEnabled(false);
    for (const QString& path : files) {
        const QFileInfo info(path);
        const QString text = QStringLiteral("%1  —  %2").arg(info.fileName(), QDir::toNativeSeparators(info.path()));
        connect(menu->addAction(menuEscaped(text)), &QAction::triggered, this, [this, path] { openFile(path); });
    }
    if (!files.isEmpty()) {
        menu->addSeparator();
        connect(menu->addAction(tr("Clear Recent Files")), &QAction::triggered, this, [] { clearRecentFiles(); });
    }
}

// ---- what the panel shows ----

QString EditorPanel::displayName(CodeEditor* editor) const
{
    const Document document = documents_.value(editor);
    if (document.untitledNumber > 0)
        return tr("Untitled %1").arg(document.untitledNumber);
    return QFileInfo(editor->filePath()).fileName();
}

void EditorPanel::updateTab(CodeEditor* editor)
{
    const int index = tabs_->indexOf(editor->widget());
    if (index < 0)
        return;
    QString title = displayName(editor);
    // Two open files of the same name: each says its folder, as Kate and VS Code do.
    for (CodeEditor* other : documents_.keys()) {
        if (other != editor && !editor->filePath().isEmpty() && displayName(other) == title) {
            title = tr("%1 — %2").arg(title, QFileInfo(QFileInfo(editor->filePath()).path()).fileName());
            break;
        }
    }
    const Document document = documents_.value(editor);
    if (document.removedFromDisk)
        title = tr("%1 (deleted)").arg(title);
    if (editor->isModified())
        title += QStringLiteral(" ●");
    tabs_->setTabText(index, title);

    QString tip = editor->filePath().isEmpty() ? tr("Not saved yet") : QDir::toNativeSeparators(editor->filePath());
    if (document.removedFromDisk)
        tip += QLatin1Char('\n') + tr("Deleted from disk: saving writes it again.");
    tabs_->setTabToolTip(index, tip);
}

void EditorPanel::updateTabs()
{
    for (CodeEditor* editor : documents_.keys())
        updateTab(editor);
}

void EditorPanel::updateActions()
{
    CodeEditor* editor = currentEditor();
    const bool hasEditor = editor != nullptr;
    bool anyModified = false;
    for (CodeEditor* open : documents_.keys())
        anyModified = anyModified || open->isModified();

    const auto enable = [this](EditorAction which, bool enabled) { actions_[which]->setEnabled(enabled); };
    enable(EditorAction::Save,
           hasEditor
               && (editor->isModified() || editor->filePath().isEmpty() || documents_.value(editor).removedFromDisk));
    enable(EditorAction::SaveAll, anyModified);
    enable(EditorAction::CloseAll, hasEditor);
    enable(EditorAction::CloseFolder, !folder().isEmpty());
    for (EditorAction which : {EditorAction::SaveAs, EditorAction::Close, EditorAction::Find, EditorAction::Replace,
                               EditorAction::FindNext, EditorAction::FindPrevious, EditorAction::GoToLine,
                               EditorAction::ZoomIn, EditorAction::ZoomOut, EditorAction::ResetZoom})
        enable(which, hasEditor);
}

void EditorPanel::syncCurrentEditor()
{
    CodeEditor* editor = currentEditor();
    if (editor == shownEditor_)
        return;
    shownEditor_ = editor;
    findBar_->setEditor(editor);
    if (!editor)
        findBar_->hide();
    updateActions();
    emit currentEditorChanged(editor);
}

void EditorPanel::retranslate()
{
    actions_.retranslate();
    emptyHint_->setText(tr("No open files\n\nNew file: %1\nOpen a file: %2")
                            .arg(actions_[EditorAction::New]->shortcut().toString(QKeySequence::NativeText),
                                 actions_[EditorAction::Open]->shortcut().toString(QKeySequence::NativeText)));
    updateTabs();
}

void EditorPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

bool EditorPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == tabs_->tabBar() && event->type() == QEvent::MouseButtonRelease) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        const int index = tabs_->tabBar()->tabAt(mouse->position().toPoint());
        if (mouse->button() == Qt::MiddleButton && index >= 0) {
            closeEditor(editorAt(index));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace latent::ui
