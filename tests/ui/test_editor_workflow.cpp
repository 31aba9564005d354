// The editor with the model, in the real app window on a real X server (Xvfb) with a real test
// model: completion as one types shows ghost text that Tab accepts and Ctrl+S saves to disk; a
// coding action starts a titled conversation that the model answers; Generate writes code at the
// cursor as one undo step.

#include "test_settings.h"

#include "app/chat/chat_controller.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "engine/model/test_model.h"
#include "ui/editor/editor_area.h"
#include "ui/editor/editor_panel.h"
#include "ui/editor/generate_bar.h"
#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace latent;
using latent::ui::CodeEditor;
using latent::ui::EditorArea;
using latent::ui::MainWindow;

namespace {

constexpr int kTimeoutMs = 60000;

const QByteArray kSource = "def area(width, height):\n"
                           "    return width * height\n"
                           "\n"
                           "def perimeter(width, height):\n"
                           "    \n"
                           "\n"
                           "print(area(2, 3))\n";

// What the app's main() builds, on a database and a tiny model in a temporary folder.
struct App {
    QTemporaryDir folder;
    app::ChatStore store{folder.filePath(QStringLiteral("chat.sqlite3"))};
    app::ModelManager models{store};
    app::ChatController chat{store, models};
};

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class EditorWorkflowTest : public QObject {
    Q_OBJECT

    std::unique_ptr<App> app_;
    std::unique_ptr<MainWindow> window_;
    QString sourcePath_;

    EditorArea* area() const { return window_->editorArea(); }
    CodeEditor* editor() const { return area()->panel()->currentEditor(); }

private slots:
    void initTestCase()
    {
        QVERIFY2(QGuiApplication::platformName() == QLatin1String("xcb"),
                 "this suite runs the real window on an X server: run it under xvfb-run (ctest does)");
        useTestSettings("test_editor_workflow");
        app_ = std::make_unique<App>();
        const QString model = app_->folder.filePath(QStringLiteral("coder.gguf"));
        writeTestModel({"llama", "tiny-coder", gguf::TensorType::F32, 3}, model.toStdString());
        app_->models.setBackend(QStringLiteral("cpu"));
        app_->models.setThreads(2);
        app_->models.setTemperature(0);
        app_->models.setMaxTokens(16);
        app_->models.loadModel(model);
        QTRY_COMPARE_WITH_TIMEOUT(app_->models.state(), app::ModelManager::State::Ready, kTimeoutMs);

        window_ = std::make_unique<MainWindow>(app_->chat, app_->models);
        window_->resize(1200, 760);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        window_->activateWindow(); // Xvfb runs no window manager to do it
        QVERIFY(QTest::qWaitForWindowActive(window_.get()));
        QTRY_VERIFY(area()->completionModel()->available());

        sourcePath_ = app_->folder.filePath(QStringLiteral("shapes.py"));
        QFile file(sourcePath_);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kSource);
        file.close();
        QVERIFY(area()->panel()->openFile(sourcePath_));
        area()->completionModel()->setDebounceMs(50);
    }

    void aCompletionIsAcceptedWithTabAndSaved()
    {
        CodeEditor* code = editor();
        code->focus();
        QTRY_VERIFY(code->widget()->hasFocus() || code->widget()->isAncestorOf(QApplication::focusWidget()));
        code->setCursorOffset(int(QString::fromUtf8(kSource).indexOf(QStringLiteral("    \n")) + 4));
        QSignalSpy shown(area()->completion(), &ui::InlineCompletion::ghostShown);
        QSignalSpy finished(area()->completion(), &ui::InlineCompletion::completionFinished);
        // A random-weights model may answer a blank line (no suggestion) at one place: type on
        // until it suggests something, as a person would.
        for (const QChar typed : QStringLiteral("return 2 * (width + height)")) {
            const qsizetype before = finished.size();
            QTest::keyClicks(QApplication::focusWidget(), QString(typed));
            QTRY_VERIFY_WITH_TIMEOUT(finished.size() > before || !shown.isEmpty(), kTimeoutMs);
            if (!shown.isEmpty())
                break;
        }
        QVERIFY2(!shown.isEmpty(), "no completion was shown while typing a whole line");
        const QString suggestion = code->ghostText();
        QVERIFY(!suggestion.isEmpty());
        const QString before = code->text();
        const int cursor = code->cursorOffset();

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(code->ghostText(), QString());
        QCOMPARE(code->text(), QString(before).insert(cursor, suggestion));
        QCOMPARE(code->cursorOffset(), cursor + int(suggestion.size()));

        QTest::keyClick(QApplication::focusWidget(), Qt::Key_S, Qt::ControlModifier);
        QTRY_VERIFY(!code->isModified());
        QCOMPARE(QString::fromUtf8(fileBytes(sourcePath_)), code->text());
        QVERIFY(QString::fromUtf8(fileBytes(sourcePath_)).contains(suggestion));
    }

    void explainStartsATitledConversationThatIsAnswered()
    {
        QSignalSpy generating(&app_->chat, &app::ChatController::generatingChanged);
        CodeEditor* code = editor();
        code->setCursorOffset(int(code->text().indexOf(QStringLiteral("width * height"))));
        auto* explain = window_->findChild<QAction*>(QStringLiteral("explainCode"));
        QVERIFY(explain);
        explain->trigger();
        QCOMPARE(app_->chat.currentTitle(), QStringLiteral("Explain · shapes.py"));
        QTRY_VERIFY_WITH_TIMEOUT(!app_->chat.generating() && generating.size() >= 2, kTimeoutMs);
        const QList<app::Message> messages = app_->store.messages(app_->chat.currentConversationId());
        QCOMPARE(messages.size(), 2);
        QVERIFY2(messages[0].content.contains(QStringLiteral("shapes.py")), qPrintable(messages[0].content));
        QVERIFY(messages[0].content.contains(QStringLiteral("def area(width, height):")));
        QVERIFY(messages[0].content.contains(QStringLiteral("```python")));
        QCOMPARE(messages[1].role, QStringLiteral("assistant"));
        QVERIFY(!messages[1].content.isEmpty());
    }

    void generateWritesAtTheCursorAsOneUndoStep()
    {
        CodeEditor* code = editor();
        code->setCursorOffset(int(code->text().size()));
        const QString before = code->text();
        area()->openGenerateBar();
        ui::GenerateBar* bar = area()->generateBar();
        QVERIFY(bar->isVisible());
        auto* field = bar->findChild<QLineEdit*>(QStringLiteral("generateRequest"));
        QTRY_COMPARE(QApplication::focusWidget(), field);
        QSignalSpy ended(bar, &ui::GenerateBar::closed);
        QTest::keyClicks(field, QStringLiteral("a function that prints the area"));
        QTest::keyClick(field, Qt::Key_Return);
        QTRY_VERIFY(field->isReadOnly()); // running
        QTRY_VERIFY_WITH_TIMEOUT(!field->isReadOnly(), kTimeoutMs);
        QVERIFY2(code->text() != before, "the answer's code went into the editor");
        QVERIFY(code->text().startsWith(before));
        code->undo();
        QCOMPARE(code->text(), before);
        code->setModified(false);
    }
};

QTEST_MAIN(EditorWorkflowTest)
#include "test_editor_workflow.moc"
