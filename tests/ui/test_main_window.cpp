// The desktop app's window over a real store, model manager and controller: its QML scene loads
// without errors or warnings and fills the window, the menus carry the standard shortcuts and
// follow the language (settings under Edit > Preferences), the settings dialog shows its own
// errors, an error leaves the chat on screen, the menu bar and the editor panel follow the dark
// theme, Esc stops an answer, the window's geometry is remembered, and the code editor beside
// the chat: shown and hidden, its files restored, unsaved work asked about at close, the standard
// keys the editor's while it has the focus, and chat code applied through the diff preview.

#include "qml_warnings.h"
#include "test_settings.h"

#include "app/chat/chat_controller.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"
#include "ui/editor/diff_preview_dialog.h"
#include "ui/editor/editor_area.h"
#include "ui/editor/editor_panel.h"
#include "ui/editor_link.h"
#include "ui/main_window.h"
#include "ui/uisettings.h"

#include <QCloseEvent>
#include <QFile>
#include <QTabWidget>

#include <QAction>
#include <QApplication>
#include <QMenuBar>
#include <QQuickItem>
#include <QQuickWidget>
#include <QSettings>
#include <QSplitter>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using latent::app::ChatController;
using latent::app::ChatStore;
using latent::app::ModelManager;
using latent::ui::MainWindow;

namespace {

// What the app's main() builds, on a database in a temporary folder.
struct App {
    QTemporaryDir folder;
    ChatStore store{folder.filePath(QStringLiteral("chat.sqlite3"))};
    ModelManager models{store};
    ChatController chat{store, models};
};

QStringList menuTitles(const MainWindow& window)
{
    QStringList titles;
    for (const QAction* menu : window.menuBar()->actions())
        titles << menu->text();
    return titles;
}

QKeySequence shortcutOf(const MainWindow& window, const char* action)
{
    const auto* found = window.findChild<QAction*>(QLatin1String(action));
    return found ? found->shortcut() : QKeySequence(QStringLiteral("Missing+Action"));
}

// Shows the window and returns its scene's root item; null when the window never showed.
QQuickItem* showScene(MainWindow& window)
{
    window.show();
    return QTest::qWaitForWindowExposed(&window) ? window.chatView()->rootObject() : nullptr;
}

} // namespace

class MainWindowTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        useTestSettings("test_main_window");
        collectQmlWarnings();
    }

    void cleanupTestCase() { QSettings().clear(); }

    void sceneLoadsWithoutWarnings()
    {
        App app;
        MainWindow window(app.chat, app.models);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QQuickWidget* view = window.chatView();
        QTRY_COMPARE(view->status(), QQuickWidget::Ready);
        QVERIFY(view->errors().isEmpty());
        QVERIFY(view->rootObject());
        QCOMPARE(view->parentWidget(), window.splitter()); // where the editor panel joins
        QTRY_COMPARE(view->rootObject()->size(), QSizeF(view->size())); // the scene fills the window
        QTest::qWait(200); // bindings that run after the first frames
        const QStringList warnings = takeQmlWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    }

    // With no model loaded but a recent one known, an open conversation fills the pane above the
    // composer (the composer, a layout itself, once took half the height).
    void messagesFillThePaneAboveTheComposer()
    {
        App app;
        latent::app::ModelRecord recent;
        recent.path = QStringLiteral("/nonexistent/model.gguf");
        recent.name = QStringLiteral("model");
        app.store.recordModel(recent);
        const qint64 id = app.store.createConversation(QStringLiteral("A conversation"));
        const qint64 question = app.store.addMessage(id, 0, QStringLiteral("user"), QStringLiteral("Hello?"));
        app.store.addMessage(id, question, QStringLiteral("assistant"), QStringLiteral("Hello."));
        app.chat.selectConversation(id);
        MainWindow window(app.chat, app.models);
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QQuickItem* root = window.chatView()->rootObject();
        QVERIFY(root);
        auto* list = root->findChild<QQuickItem*>(QStringLiteral("messageList"));
        auto* composer = root->findChild<QQuickItem*>(QStringLiteral("composer"));
        QVERIFY(list && composer);
        QTRY_VERIFY(list->height() > root->height() / 2);
        QVERIFY(composer->height() < root->height() / 4);
        const QPointF listBottom = list->mapToItem(root, QPointF(0, list->height()));
        QVERIFY(composer->mapToItem(root, QPointF(0, 0)).y() >= listBottom.y() - 1);
    }

    // A model file that cannot be loaded shows its error in a banner as tall as a few lines, with
    // the conversation and the composer still on screen (the banner once took three quarters of
    // the window, with a layout's polish loop).
    void anErrorLeavesTheChatOnScreen()
    {
        App app;
        QFile bad(app.folder.filePath(QStringLiteral("not-a-model.gguf")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(QByteArray("this is not a GGUF file ").repeated(100));
        bad.close();
        latent::app::ModelRecord recent; // past the first-run screen, to the chat
        recent.path = bad.fileName();
        recent.name = QStringLiteral("not-a-model");
        app.store.recordModel(recent);
        app.chat.selectConversation(app.store.createConversation(QStringLiteral("A conversation")));
        MainWindow window(app.chat, app.models);
        window.resize(800, 600);
        QQuickItem* root = showScene(window);
        QVERIFY(root);
        auto* banner = root->findChild<QQuickItem*>(QStringLiteral("errorBanner"));
        auto* composer = root->findChild<QQuickItem*>(QStringLiteral("composer"));
        QVERIFY(banner && composer);
        takeQmlWarnings();

        app.models.loadModel(bad.fileName());
        QTRY_VERIFY(banner->isVisible());
        QTest::qWait(200); // the layouts settle over a few frames
        QVERIFY2(banner->height() < root->height() / 4, qPrintable(QString::number(banner->height())));
        QVERIFY(composer->mapToItem(root, QPointF(0, composer->height())).y() <= root->height());
        const QStringList warnings = takeQmlWarnings();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    }

    void menusHaveStandardShortcuts()
    {
        App app;
        MainWindow window(app.chat, app.models);
        QCOMPARE(menuTitles(window), (QStringList{QStringLiteral("&File"), QStringLiteral("&Edit"),
                                                  QStringLiteral("&View"), QStringLiteral("&Code"),
                                                  QStringLiteral("&Help")}));
        QCOMPARE(shortcutOf(window, "newConversation"), QKeySequence(QKeySequence::New));
        QCOMPARE(shortcutOf(window, "openModel"), QKeySequence(QKeySequence::Open));
        QCOMPARE(shortcutOf(window, "quit"), QKeySequence(QKeySequence::Quit));
        QCOMPARE(shortcutOf(window, "findInConversations"), QKeySequence(QKeySequence::Find));
        QCOMPARE(shortcutOf(window, "preferences"), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        for (const char* action : {"importConversation", "exportMarkdown", "exportJson", "about"})
            QVERIFY2(window.findChild<QAction*>(QLatin1String(action)), action);
        for (const char* menu : {"recentModelsMenu", "exportMenu", "themeMenu", "languageMenu"})
            QVERIFY2(window.findChild<QMenu*>(QLatin1String(menu)), menu);
    }

    // Settings are where each platform's users look: Edit > Preferences on Linux and Windows, the
    // application menu on macOS (the role moves it there).
    void preferencesAreInTheEditMenu()
    {
        App app;
        MainWindow window(app.chat, app.models);
        auto* preferences = window.findChild<QAction*>(QStringLiteral("preferences"));
        QVERIFY(preferences);
        QCOMPARE(preferences->menuRole(), QAction::PreferencesRole);
        const QList<QAction*> editMenu = window.menuBar()->actions().value(1)->menu()->actions();
        QVERIFY(editMenu.contains(preferences));
        QVERIFY(!menuTitles(window).contains(QStringLiteral("&Model")));
    }

    void menusFollowTheLanguage()
    {
        App app;
        MainWindow window(app.chat, app.models);
        const qsizetype menus = window.findChildren<QMenu*>().size();
        latent::ui::UiSettings::instance()->setLanguage(QStringLiteral("zh_CN"));
        QTRY_COMPARE(menuTitles(window).value(0), QStringLiteral("文件(&F)")); // the change is posted
        latent::ui::UiSettings::instance()->setLanguage(QStringLiteral("en"));
        QTRY_COMPARE(menuTitles(window).value(0), QStringLiteral("&File"));
        QCOMPARE(shortcutOf(window, "quit"), QKeySequence(QKeySequence::Quit)); // the rebuilt menus keep them
        QCOMPARE(window.findChildren<QMenu*>().size(), menus); // and replace the old ones
        QCOMPARE(window.findChildren<QAction*>(QStringLiteral("suggestCompletion")).size(), 1); // one key, not one per language
    }

    void geometryIsRemembered()
    {
        App app;
        const QSize size(640, 480); // within the offscreen screen, which restoring clamps to
        {
            MainWindow window(app.chat, app.models);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(size);
            QTRY_COMPARE(window.size(), size);
            window.close();
        }
        MainWindow reopened(app.chat, app.models);
        reopened.show();
        QVERIFY(QTest::qWaitForWindowExposed(&reopened));
        QCOMPARE(reopened.size(), size);
    }

    void editorSitsBesideTheChatAndIsRemembered()
    {
        App app;
        QTemporaryDir files;
        const QString path = files.filePath(QStringLiteral("main.py"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("print('hi')\n");
        file.close();
        {
            MainWindow window(app.chat, app.models);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            latent::ui::EditorArea* area = window.editorArea();
            QCOMPARE(area->parentWidget(), window.splitter());
            QVERIFY(area->isVisible());
            QVERIFY(area->panel()->openFile(path));
            QVERIFY(latent::ui::EditorLink::instance()->available());
            auto* toggle = window.findChild<QAction*>(QStringLiteral("showEditor"));
            QVERIFY(toggle && toggle->isChecked());
            toggle->trigger();
            QVERIFY(!area->isVisible());
            window.close();
        }
        MainWindow reopened(app.chat, app.models);
        reopened.show();
        QVERIFY(QTest::qWaitForWindowExposed(&reopened));
        QVERIFY(!reopened.editorArea()->isVisible());
        QCOMPARE(reopened.editorArea()->panel()->editors().size(), 1);
        QCOMPARE(reopened.editorArea()->panel()->currentEditor()->filePath(), path);
        reopened.findChild<QAction*>(QStringLiteral("showEditor"))->trigger();
        QVERIFY(reopened.editorArea()->isVisible());
        reopened.editorArea()->panel()->closeAll();
        reopened.close();
    }

    void closingAsksAboutUnsavedFiles()
    {
        App app;
        MainWindow window(app.chat, app.models);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        latent::ui::EditorPanel* panel = window.editorArea()->panel();
        int asked = 0;
        latent::ui::EditorDialogs dialogs;
        dialogs.askSaveChanges = [&](const QString&) {
            ++asked;
            return asked == 1 ? latent::ui::SaveChoice::Cancel : latent::ui::SaveChoice::Discard;
        };
        panel->setDialogs(dialogs);
        panel->newFile()->insertAtCursor(QStringLiteral("unsaved work"));
        QVERIFY(!window.close()); // Cancel: the window stays, with the text
        QVERIFY(window.isVisible());
        QCOMPARE(panel->currentEditor()->text(), QStringLiteral("unsaved work"));
        QVERIFY(window.close()); // Discard
        QCOMPARE(asked, 2);
    }

    void standardKeysBelongToWhereTheFocusIs()
    {
        App app;
        MainWindow window(app.chat, app.models);
        window.editorArea()->show();
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        latent::ui::EditorPanel* panel = window.editorArea()->panel();
        panel->newFile();
        panel->currentEditor()->focus();
        QTRY_VERIFY(panel->isAncestorOf(QApplication::focusWidget()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(panel->editors().size(), 2); // the editor's New: another file
        panel->closeAll();
    }

    void chatCodeIsAppliedAfterThePreview()
    {
        App app;
        MainWindow window(app.chat, app.models);
        latent::ui::EditorArea* area = window.editorArea();
        latent::ui::CodeEditor* editor = area->panel()->newFile();
        editor->setText(QStringLiteral("def f():\n    pass\n"));
        editor->setCursorOffset(int(editor->text().size()));
        bool confirm = false;
        int previews = 0;
        area->setDiffConfirmation([&](latent::ui::DiffPreviewDialog& preview) {
            ++previews;
            return confirm && preview.addedLines() > 0;
        });
        latent::ui::EditorLink* link = latent::ui::EditorLink::instance();
        link->insertAtCursor(QStringLiteral("def g():\n    return 1"));
        QCOMPARE(previews, 1);
        QCOMPARE(editor->text(), QStringLiteral("def f():\n    pass\n")); // not confirmed: unchanged
        confirm = true;
        link->insertAtCursor(QStringLiteral("def g():\n    return 1"));
        QCOMPARE(editor->text(), QStringLiteral("def f():\n    pass\ndef g():\n    return 1\n"));
        link->replaceSelectionOrFile(QStringLiteral("x = 1\n")); // nothing selected: the file
        QCOMPARE(editor->text(), QStringLiteral("x = 1\n"));
        editor->undo(); // one step each
        QCOMPARE(editor->text(), QStringLiteral("def f():\n    pass\ndef g():\n    return 1\n"));
        editor->undo();
        QCOMPARE(editor->text(), QStringLiteral("def f():\n    pass\n"));
        editor->setModified(false);
    }

    // The widgets around the chat (the menu bar, the editor panel) follow the dark theme.
    void widgetsFollowTheTheme()
    {
        App app;
        MainWindow window(app.chat, app.models);
        QVERIFY(showScene(window));
        auto* settings = latent::ui::UiSettings::instance();
        const QString themeBefore = settings->theme();
        settings->setTheme(QStringLiteral("dark"));
        // The widgets take the application palette from a posted event.
        QTRY_VERIFY(window.menuBar()->palette().color(QPalette::Window).lightness() < 64);
        QVERIFY(window.menuBar()->palette().color(QPalette::WindowText).lightness() > 192);
        QVERIFY(window.editorArea()->palette().color(QPalette::Base).lightness() < 64);
        settings->setTheme(QStringLiteral("light"));
        QTRY_VERIFY(window.menuBar()->palette().color(QPalette::Window).lightness() > 192);
        settings->setTheme(themeBefore);
    }

    // A theme chosen before the window exists (the one remembered from the last run) colours the
    // widgets too.
    void widgetsTakeTheThemeChosenBeforeTheWindow()
    {
        auto* settings = latent::ui::UiSettings::instance();
        const QString themeBefore = settings->theme();
        settings->setTheme(QStringLiteral("dark"));
        App app;
        MainWindow window(app.chat, app.models);
        QVERIFY(showScene(window));
        QTRY_VERIFY(window.menuBar()->palette().color(QPalette::Window).lightness() < 64);
        QVERIFY(window.menuBar()->palette().color(QPalette::WindowText).lightness() > 192);
        QVERIFY(window.editorArea()->palette().color(QPalette::Base).lightness() < 64);
        settings->setTheme(themeBefore);
    }

    // The first-run screen's main button shows without scrolling in an 800x600 window.
    void theWelcomeButtonShowsInASmallWindow()
    {
        App app; // no model yet: the first-run screen
        MainWindow window(app.chat, app.models);
        window.resize(800, 600);
        QQuickItem* root = showScene(window);
        QVERIFY(root);
        auto* button = root->findChild<QQuickItem*>(QStringLiteral("openModelButton"));
        QVERIFY(button);
        QTRY_VERIFY(button->isVisible());
        QTest::qWait(200); // the layouts settle over a few frames
        const qreal bottom = button->mapToItem(root, QPointF(0, button->height())).y();
        QVERIFY2(bottom > 0 && bottom <= root->height(),
                 qPrintable(QStringLiteral("%1 of %2").arg(bottom).arg(root->height())));
    }

    // An error caused inside the settings dialog (a built-in preset refused) shows in the dialog,
    // not in the window's banner behind it.
    void errorsInTheSettingsShowThere()
    {
        App app;
        MainWindow window(app.chat, app.models);
        QQuickItem* root = showScene(window);
        QVERIFY(root);
        auto* windowBanner = root->findChild<QQuickItem*>(QStringLiteral("errorBanner"));
        QVERIFY(windowBanner);
        window.findChild<QAction*>(QStringLiteral("preferences"))->trigger();
        QQuickItem* dialogBanner = nullptr;
        QTRY_VERIFY((dialogBanner = root->findChild<QQuickItem*>(QStringLiteral("settingsErrorBanner"))));
        app.models.deletePreset(QStringLiteral("Balanced"));
        QTRY_VERIFY(dialogBanner->isVisible());
        QVERIFY(!windowBanner->isVisible());
    }

    // Esc stops an answer while the focus is in the chat. Last: its environment has settings of
    // its own.
    void escapeStopsTheAnswer()
    {
        latent::app::test::AppTestEnvironment environment; // the tiny model
        App app;
        QVERIFY(environment.loadTinyModel(app.models, 512));
        MainWindow window(app.chat, app.models);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QQuickItem* root = window.chatView()->rootObject();
        QVERIFY(root);
        window.chatView()->setFocus();
        QMetaObject::invokeMethod(root->findChild<QQuickItem*>(QStringLiteral("composer")), "focusInput");
        {
            latent::app::test::WorkerGate gate(app.models.worker()); // the answer waits for the key
            app.chat.send(QStringLiteral("Hello"));
            QVERIFY(app.chat.generating());
            QTest::keyClick(window.chatView(), Qt::Key_Escape);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!app.chat.generating(), latent::app::test::kTimeoutMs);
        QCOMPARE(app.store.messages(app.chat.currentConversationId()).size(), 1); // stopped before a word
    }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
