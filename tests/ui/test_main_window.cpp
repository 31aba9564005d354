// The desktop app's window over a real store, model manager and controller: its QML scene loads
// without errors or warnings and fills the window, the menus carry the standard shortcuts and
// follow the language, the window's geometry is remembered, and the code editor beside the chat:
// shown and hidden, its files restored, unsaved work asked about at close, the standard keys the
// editor's while it has the focus, and chat code applied through the diff preview.

#include "qml_warnings.h"
#include "test_settings.h"

#include "app/chat/chat_controller.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
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

    void menusHaveStandardShortcuts()
    {
        App app;
        MainWindow window(app.chat, app.models);
        QCOMPARE(menuTitles(window), (QStringList{QStringLiteral("&File"), QStringLiteral("&Edit"),
                                                  QStringLiteral("&View"), QStringLiteral("&Code"),
                                                  QStringLiteral("&Model"), QStringLiteral("&Help")}));
        QCOMPARE(shortcutOf(window, "newConversation"), QKeySequence(QKeySequence::New));
        QCOMPARE(shortcutOf(window, "openModel"), QKeySequence(QKeySequence::Open));
        QCOMPARE(shortcutOf(window, "quit"), QKeySequence(QKeySequence::Quit));
        QCOMPARE(shortcutOf(window, "findInConversations"), QKeySequence(QKeySequence::Find));
        QCOMPARE(shortcutOf(window, "modelSettings"), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        for (const char* action : {"importConversation", "exportMarkdown", "exportJson", "about"})
            QVERIFY2(window.findChild<QAction*>(QLatin1String(action)), action);
        for (const char* menu : {"recentModelsMenu", "exportMenu", "themeMenu", "languageMenu"})
            QVERIFY2(window.findChild<QMenu*>(QLatin1String(menu)), menu);
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
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
