#include "ui/main_window.h"

#include "app/chat/chat_controller.h"
#include "app/chat/local_server.h"
#include "app/chat/model_manager.h"
#include "app/chat/system_memory.h"
#include "app/downloads/model_downloads.h"
#include "app/remote/api_key_store.h"
#include "app/remote/remote_models.h"
#include "ui/app_types.h"
#include "ui/editor/editor_area.h"
#include "ui/uisettings.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWidget>
#include <QRegularExpression>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>

namespace latent::ui {

namespace {

const QString geometryKey = QStringLiteral("window/geometry");
const QString splitterKey = QStringLiteral("window/splitter");
const QString editorVisibleKey = QStringLiteral("window/editorVisible");

QAction* addNamedAction(QMenu* menu, const QString& text, const char* objectName, const QKeySequence& shortcut = {})
{
    QAction* action = menu->addAction(text);
    action->setObjectName(QLatin1String(objectName));
    action->setShortcut(shortcut);
    return action;
}

// A file name made of a conversation's title: the characters file systems refuse become dashes.
QString fileNameFor(const QString& title, const QString& suffix)
{
    QString name = title.trimmed();
    name.replace(QRegularExpression(QStringLiteral(R"([/\\:*?"<>|\x00-\x1f])")), QStringLiteral("-"));
    if (name.isEmpty())
        name = QStringLiteral("conversation");
    return name.left(80) + suffix;
}

QString documentsFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

} // namespace

MainWindow::MainWindow(app::ChatController& chat, app::ModelManager& models, QWidget* parent)
    : QMainWindow(parent), chat_(chat), models_(models)
{
    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->setObjectName(QStringLiteral("mainSplitter"));
    splitter_->setChildrenCollapsible(false);
    setCentralWidget(splitter_);

    chatView_ = new QQuickWidget;
    chatView_->setObjectName(QStringLiteral("chatView"));
    chatView_->setResizeMode(QQuickWidget::SizeRootObjectToView);
    chatView_->setMinimumWidth(420);
    QQmlEngine* engine = chatView_->engine();
    engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine->rootContext()->setContextProperty(QStringLiteral("chat"), &chat_);
    engine->rootContext()->setContextProperty(QStringLiteral("models"), &models_);
    downloads_ = new app::ModelDownloads(*new QNetworkAccessManager(this),
                                         QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
                                         app::availableMemoryBytes(), this);
    engine->rootContext()->setContextProperty(QStringLiteral("downloads"), downloads_);
    localServer_ = new app::LocalServer(
        models_, QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/server-key.json"),
        this);
    engine->rootContext()->setContextProperty(QStringLiteral("localServer"), localServer_);
    // Remote engines: endpoints in the settings, their keys in the secret store or a private file.
    auto* apiKeys = new app::remote::ApiKeyStore(
        QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/api-keys.json"),
        QCoreApplication::applicationName(), app::remote::ApiKeyStore::Places::SecretStoreOrFile, this);
    remoteModels_ = new app::remote::RemoteModels(models_, *new QSettings(this), *apiKeys, this);
    engine->rootContext()->setContextProperty(QStringLiteral("remoteModels"), remoteModels_);
    UiSettings::instance()->retranslateOnChange(engine);
    registerAppTypes();
    chatView_->setSource(QUrl(QStringLiteral("qrc:/qt/qml/Latent/Ui/qml/Main.qml")));
    splitter_->addWidget(chatView_);
    if (QQuickItem* scene = chatView_->rootObject())
        connect(scene, SIGNAL(openModelFileRequested()), this, SLOT(openModel()));
    editorArea_ = new EditorArea(chat_, models_);
    editorArea_->setMinimumWidth(200);
    splitter_->addWidget(editorArea_);
    splitter_->setStretchFactor(0, 2);
    splitter_->setStretchFactor(1, 3);

    createMenus();
    connect(&chat_, &app::ChatController::currentConversationChanged, this, &MainWindow::updateTitle);
    updateTitle();
    restoreLayout();
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        createMenus();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!editorArea_->maybeSaveAll()) {
        event->ignore(); // the user chose to keep working on a file
        return;
    }
    saveLayout();
    QMainWindow::closeEvent(event);
}

void MainWindow::createMenus()
{
    auto* bar = new QMenuBar(this);
    createFileMenu(bar);

    QMenu* edit = bar->addMenu(tr("&Edit"));
    QAction* find = addNamedAction(edit, tr("&Find in Conversations"), "findInConversations", QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] { callScene("focusSearch"); });
    chatOnly(find);
    // Where Linux and Windows users look for settings; on macOS the role moves it to the app menu.
    edit->addSeparator();
    QAction* preferences =
        addNamedAction(edit, tr("&Preferences..."), "preferences", QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);
    connect(preferences, &QAction::triggered, this, [this] { callScene("openSettings"); });

    createViewMenu(bar);
    editorArea_->addMenu(bar);

    QMenu* help = bar->addMenu(tr("&Help"));
    connect(addNamedAction(help, tr("&About Latent"), "about"), &QAction::triggered, this, &MainWindow::showAbout);

    setMenuBar(bar); // deletes the menus of the previous language
}

void MainWindow::createFileMenu(QMenuBar* bar)
{
    QMenu* file = bar->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    QAction* newConversation = addNamedAction(file, tr("&New Conversation"), "newConversation", QKeySequence::New);
    connect(newConversation, &QAction::triggered, &chat_, &app::ChatController::newConversation);
    chatOnly(newConversation);
    file->addSeparator();
    QAction* open = addNamedAction(file, tr("&Open Model..."), "openModel", QKeySequence::Open);
    connect(open, &QAction::triggered, this, &MainWindow::openModel);
    chatOnly(open);
    QMenu* recent = file->addMenu(tr("&Recent Models"));
    recent->setObjectName(QStringLiteral("recentModelsMenu"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] { fillRecentModels(recent); });
    file->addSeparator();
    connect(addNamedAction(file, tr("&Import Conversation..."), "importConversation"), &QAction::triggered, this,
            &MainWindow::importConversation);
    QMenu* exportMenu = file->addMenu(tr("&Export Conversation"));
    exportMenu->setObjectName(QStringLiteral("exportMenu"));
    connect(addNamedAction(exportMenu, tr("As &Markdown..."), "exportMarkdown"), &QAction::triggered, this,
            [this] { exportConversation(QStringLiteral("markdown")); });
    connect(addNamedAction(exportMenu, tr("As &JSON..."), "exportJson"), &QAction::triggered, this,
            [this] { exportConversation(QStringLiteral("json")); });
    connect(file, &QMenu::aboutToShow, this,
            [this, exportMenu] { exportMenu->setEnabled(chat_.currentConversationId() != 0); });
    file->addSeparator();
    connect(addNamedAction(file, tr("&Quit"), "quit", QKeySequence::Quit), &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createViewMenu(QMenuBar* bar)
{
    QMenu* view = bar->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    UiSettings* settings = UiSettings::instance();
    addChoiceMenu(view, tr("&Theme"), settings->themes(), "theme");
    addChoiceMenu(view, tr("&Language"), settings->languages(), "language");
    view->addSeparator();
    QAction* editor = addNamedAction(view, tr("Code &Editor"), "showEditor", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    editor->setCheckable(true);
    editor->setChecked(editorArea_->isVisibleTo(this));
    connect(editor, &QAction::triggered, editorArea_, &QWidget::setVisible);
    connect(view, &QMenu::aboutToShow, editor, [this, editor] { editor->setChecked(editorArea_->isVisibleTo(this)); });
}

// The chat's New, Open and Find take the standard keys while the focus is in the chat; in the
// editor the same keys are the editor panel's (a new file, open a file, find in it).
void MainWindow::chatOnly(QAction* action)
{
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    chatView_->addAction(action);
}

// A menu of exclusive choices ([{code, name}]) for one property of UiSettings, showing its value.
void MainWindow::addChoiceMenu(QMenu* parent, const QString& title, const QVariantList& choices, const char* property)
{
    QMenu* menu = parent->addMenu(title);
    menu->setObjectName(QLatin1String(property) + QStringLiteral("Menu"));
    auto* group = new QActionGroup(menu);
    UiSettings* settings = UiSettings::instance();
    for (const QVariant& choice : choices) {
        const QString code = choice.toMap().value(QStringLiteral("code")).toString();
        QAction* action = menu->addAction(choice.toMap().value(QStringLiteral("name")).toString());
        action->setCheckable(true);
        action->setData(code);
        group->addAction(action);
        connect(action, &QAction::triggered, settings, [settings, property, code] { settings->setProperty(property, code); });
    }
    // QML can change the settings too: the checks are read when the menu opens.
    connect(menu, &QMenu::aboutToShow, menu, [menu, settings, property] {
        for (QAction* action : menu->actions())
            action->setChecked(action->data() == settings->property(property));
    });
}

void MainWindow::fillRecentModels(QMenu* menu)
{
    menu->clear();
    const QVariantList recent = models_.recentModels();
    if (recent.isEmpty())
        menu->addAction(tr("No recent models"))->setEnabled(false);
    for (const QVariant& entry : recent) {
        const QVariantMap model = entry.toMap();
        const QString path = model.value(QStringLiteral("path")).toString();
        QStringList details;
        for (const char* key : {"parametersText", "quantization", "fileSizeText"}) {
            const QString detail = model.value(QLatin1String(key)).toString();
            if (!detail.isEmpty())
                details << detail;
        }
        QString text = model.value(QStringLiteral("name")).toString();
        if (text.isEmpty())
            text = QFileInfo(path).fileName();
        if (!details.isEmpty())
            text += QStringLiteral("  (%1)").arg(details.join(QStringLiteral(", ")));
        QAction* action = menu->addAction(text);
        action->setToolTip(path);
        action->setStatusTip(path);
        if (!model.value(QStringLiteral("exists"), true).toBool()) {
            action->setText(tr("%1 (file missing)").arg(text));
            action->setEnabled(false);
        }
        connect(action, &QAction::triggered, &models_, [this, path] { models_.loadModel(path); });
    }
    menu->setToolTipsVisible(true);
}

void MainWindow::openModel()
{
    QString folder = QFileInfo(models_.modelPath().isEmpty() ? models_.lastModelPath() : models_.modelPath()).path();
    if (folder.isEmpty() || folder == QLatin1String("."))
        folder = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), folder,
                                                      tr("GGUF models (*.gguf);;All files (*)"));
    if (!path.isEmpty())
        models_.loadModel(path);
}

void MainWindow::importConversation()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Conversation"), documentsFolder(),
                                                      tr("Conversations exported by Latent (*.json);;All files (*)"));
    if (!path.isEmpty())
        chat_.importConversation(QUrl::fromLocalFile(path));
}

void MainWindow::exportConversation(const QString& format)
{
    const qint64 id = chat_.currentConversationId();
    if (id == 0)
        return;
    const bool markdown = format == QLatin1String("markdown");
    const QString suggested = QDir(documentsFolder())
                                  .filePath(fileNameFor(chat_.currentTitle(), markdown ? QStringLiteral(".md")
                                                                                         : QStringLiteral(".json")));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Conversation"), suggested,
                                                      markdown ? tr("Markdown (*.md)") : tr("JSON (*.json)"));
    if (!path.isEmpty())
        chat_.exportConversation(id, QUrl::fromLocalFile(path), format); // failures reach the banner
}

void MainWindow::callScene(const char* function)
{
    QQuickItem* root = chatView_->rootObject();
    if (root && root->metaObject()->indexOfMethod(QByteArray(function) + "()") >= 0)
        QMetaObject::invokeMethod(root, function);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Latent"),
                       tr("<h3>Latent %1</h3><p>Chat with DeepSeek models on your own machine. "
                          "Your conversations never leave it.</p>")
                           .arg(QApplication::applicationVersion()));
}

// Qt shows the title as "<title> — Latent" (the display name), and "Latent" alone when it is empty.
void MainWindow::updateTitle()
{
    setWindowTitle(chat_.currentTitle());
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(geometryKey).toByteArray()))
        resize(1240, 760); // the chat and the code editor side by side
    splitter_->restoreState(settings.value(splitterKey).toByteArray());
    const bool editorVisible = settings.value(editorVisibleKey, true).toBool();
    editorArea_->setVisible(editorVisible);
    if (auto* toggle = findChild<QAction*>(QStringLiteral("showEditor")))
        toggle->setChecked(editorVisible);
    editorArea_->restoreState(settings);
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(geometryKey, saveGeometry());
    settings.setValue(splitterKey, splitter_->saveState());
    settings.setValue(editorVisibleKey, editorArea_->isVisibleTo(this));
    editorArea_->saveState(settings);
}

} // namespace latent::ui
