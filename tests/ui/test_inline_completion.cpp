// Completion as one types (ui/editor/inline_completion.h) on a real ScintillaEditor, shown, and a
// real engine worker with a tiny test model: the pause before a request, a keystroke cancelling
// the request in flight, ghost text when a completion comes, Tab accepting it as one undo step,
// Esc dismissing it, typing through it, asking at once, switching completion off, and switching
// editors. The clock is the test's own (frozen unless a test moves it), so that whether a request
// is due never depends on the machine's speed.

#include "app/chat/engine_worker.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"
#include "ui/editor/inline_completion.h"
#include "ui/editor/scintilla_editor.h"

#include <QApplication>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

using namespace latent;
using namespace latent::app;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;
using latent::app::test::WorkerGate;
using latent::ui::InlineCompletion;
using latent::ui::ScintillaEditor;

namespace {

const QString kSource = QStringLiteral("def area(width, height):\n"
                                       "    return width * height\n"
                                       "\n"
                                       "def perimeter(width, height):\n"
                                       "    \n"
                                       "\n"
                                       "print(area(2, 3))\n");

// Where typing starts: the end of the blank, indented line in perimeter().
int startOffset()
{
    return int(kSource.indexOf(QStringLiteral("    \n\nprint"))) + 4;
}

// What a person might type there, one character at a time, until a suggestion shows.
const QString kTyping = QStringLiteral("return 2 * (width + height) if width > 0 else height + width * 3 - 1");

// Characters that QTest types as themselves into Scintilla: printable ASCII.
bool typeable(QChar c)
{
    return c.unicode() >= 0x20 && c.unicode() < 0x7f;
}

} // namespace

class InlineCompletionTest : public QObject {
    Q_OBJECT

    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;

    qint64 now_ = 1000; // the completion's clock, in milliseconds
    std::unique_ptr<ScintillaEditor> editor_;
    std::unique_ptr<InlineCompletion> completion_;

    EngineWorker* worker() const { return models_->worker(); }
    QWidget* view() const { return editor_->widget(); }

    std::unique_ptr<ScintillaEditor> shownEditor()
    {
        auto editor = std::make_unique<ScintillaEditor>();
        editor->setText(kSource);
        editor->widget()->resize(640, 360);
        editor->widget()->show();
        [&] { QVERIFY(QTest::qWaitForWindowExposed(editor->widget())); }();
        editor->setCursorOffset(startOffset());
        return editor;
    }

    // Until the worker has run everything queued so far, and its answers have arrived here.
    void drainWorker()
    {
        QSemaphore ran;
        QMetaObject::invokeMethod(worker(), [&ran] { ran.release(); }, Qt::QueuedConnection);
        ran.acquire();
        QCoreApplication::processEvents();
    }

    // Until the editor's events of this keystroke have reached the state machine (the turn of
    // the event loop after it); the request timer, armed then, fires no sooner than a later turn.
    void settle()
    {
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
    }

    // Types kTyping one character at a time (each a request at once: the pause is 0) until the
    // completion shows a suggestion that `wanted` accepts. Returns it, or nothing.
    std::optional<QString> typeUntilSuggested(const std::function<bool(const QString&)>& wanted = {})
    {
        QSignalSpy finished(completion_.get(), &InlineCompletion::completionFinished);
        QSignalSpy failed(completion_.get(), &InlineCompletion::failed);
        for (const QChar typed : kTyping) {
            const qsizetype before = finished.size();
            QTest::keyClicks(view(), QString(typed));
            bool answered = false;
            [&] {
                QTRY_VERIFY_WITH_TIMEOUT(finished.size() > before || !failed.isEmpty(), kTimeoutMs);
                answered = true;
            }();
            if (!answered || !failed.isEmpty()) {
                qWarning("no completion: %s", failed.isEmpty() ? "timed out" : qPrintable(failed.first().first().toString()));
                return std::nullopt;
            }
            const QString suggestion = editor_->ghostText();
            if (suggestion.isEmpty())
                continue;
            if (!wanted || wanted(suggestion))
                return suggestion;
            QTest::keyClick(view(), Qt::Key_Escape); // not the kind wanted: type on
        }
        return std::nullopt;
    }

private slots:
    void initTestCase()
    {
        environment_ = std::make_unique<AppTestEnvironment>();
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        models_ = std::make_unique<ModelManager>(*store_);
        QVERIFY(environment_->loadTinyModel(*models_, 512));
        QVERIFY(models_->modelFacts().value(QStringLiteral("fillInMiddle")).toBool());
    }

    void init()
    {
        now_ = 1000;
        editor_ = shownEditor();
        QVERIFY(editor_);
        completion_ = std::make_unique<InlineCompletion>(*worker(), nullptr, [this] { return now_; });
        FimSettings window;
        window.maxPromptTokens = 400; // the tiny model holds 512
        completion_->setRequestSettings(window, 6);
        completion_->setDebounceMs(0);
        completion_->setEditor(editor_.get());
        QCOMPARE(completion_->editor(), editor_.get());
        settle(); // the cursor move of setCursorOffset, painted
    }

    void cleanup()
    {
        completion_.reset();
        editor_.reset();
        drainWorker();
    }

    void aRequestIsDueAPauseAfterTyping()
    {
        completion_->setDebounceMs(300);
        QSignalSpy completed(worker(), &EngineWorker::completed);
        QSignalSpy skipped(worker(), &EngineWorker::completionSkipped);
        QSignalSpy finished(completion_.get(), &InlineCompletion::completionFinished);

        QTest::keyClicks(view(), QStringLiteral("r"));
        settle();
        QCOMPARE(completion_->state().requestDueAt(), std::optional<qint64>(1300));
        QVERIFY(!completion_->state().requestInFlight());

        // More typing before the pause ends moves the request on: one request for both keys.
        now_ = 1200;
        QTest::keyClicks(view(), QStringLiteral("e"));
        settle();
        QCOMPARE(completion_->state().requestDueAt(), std::optional<qint64>(1500));
        QVERIFY(!completion_->state().requestInFlight());
        QCOMPARE(completed.count() + skipped.count(), 0);

        now_ = 1500; // the pause is over when the timer fires
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(completed.count(), 1);
        QCOMPARE(skipped.count(), 0);
        QVERIFY(!completion_->state().requestInFlight());
        QVERIFY(!completion_->state().requestDueAt());
        const CompletionStats stats = finished.first().first().value<CompletionStats>();
        QVERIFY(stats.promptTokens > 0);
    }

    // Timers may fire before the completion's clock says the pause is over (Qt's coarse timers
    // fire up to 5% early): the request waits for its time instead of being lost.
    void aTimerThatFiresEarlyWaitsForTheRequest()
    {
        completion_->setDebounceMs(100);
        QSignalSpy finished(completion_.get(), &InlineCompletion::completionFinished);
        QTest::keyClicks(view(), QStringLiteral("r"));
        settle();
        QCOMPARE(completion_->state().requestDueAt(), std::optional<qint64>(1100));
        QTest::qWait(350); // the timer fires, more than once, with the clock still at 1000
        QVERIFY(!completion_->state().requestInFlight());
        QCOMPARE(finished.count(), 0);
        now_ = 1100;
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
    }

    void aKeystrokeCancelsTheRequestInFlight()
    {
        QSignalSpy completed(worker(), &EngineWorker::completed);
        QSignalSpy skipped(worker(), &EngineWorker::completionSkipped);
        QSignalSpy finished(completion_.get(), &InlineCompletion::completionFinished);
        {
            WorkerGate gate(worker()); // the first request waits in the worker's queue
            QTest::keyClicks(view(), QStringLiteral("r"));
            QTRY_VERIFY(completion_->state().requestInFlight());
            const quint64 first = *completion_->state().requestInFlight();
            QTest::keyClicks(view(), QStringLiteral("e"));
            settle();
            QVERIFY(completion_->state().requestInFlight() != std::optional<quint64>(first));
        }
        // Spies on the worker hear it on its own thread: wait for what arrives here.
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(completed.count(), 1);
        QCOMPARE(skipped.count(), 1); // the first, cancelled: never run
        const qint64 cancelledId = skipped.first().first().toLongLong();
        const qint64 completedId = completed.first().first().toLongLong();
        QVERIFY2(cancelledId < completedId, "the request skipped is the older one");
        drainWorker();
        QCOMPARE(finished.count(), 1); // only the newer request's answer counts
        QVERIFY(!completion_->state().requestInFlight());
    }

    void ghostTextShowsAndTabAcceptsItAsOneUndoStep()
    {
        QSignalSpy shown(completion_.get(), &InlineCompletion::ghostShown);
        const std::optional<QString> suggestion = typeUntilSuggested();
        QVERIFY2(suggestion, "no completion was shown while typing a whole line");
        QCOMPARE(completion_->state().suggestion(), *suggestion);
        QVERIFY(!shown.isEmpty());
        QCOMPARE(shown.last().first().toString(), *suggestion);
        // Ghost text is drawn, not inserted: the document holds only what was typed.
        const int typed = editor_->cursorOffset() - startOffset();
        QCOMPARE(editor_->text(), QString(kSource).insert(startOffset(), kTyping.left(typed)));

        const QString before = editor_->text();
        const int cursor = editor_->cursorOffset();
        QTest::keyClick(view(), Qt::Key_Tab);
        QCOMPARE(editor_->ghostText(), QString());
        QCOMPARE(editor_->text(), QString(before).insert(cursor, *suggestion));
        QCOMPARE(editor_->cursorOffset(), cursor + int(suggestion->size()));
        QCOMPARE(completion_->state().suggestion(), QString());

        completion_->setEnabled(false); // no new suggestion while the undo is checked
        editor_->undo();
        QCOMPARE(editor_->text(), before); // the whole suggestion, and nothing typed before it
        QCOMPARE(editor_->cursorOffset(), cursor);
    }

    void escDismissesWithoutANewRequest()
    {
        const std::optional<QString> suggestion = typeUntilSuggested();
        QVERIFY2(suggestion, "no completion was shown while typing a whole line");
        const QString text = editor_->text();
        QSignalSpy completed(worker(), &EngineWorker::completed);
        QSignalSpy skipped(worker(), &EngineWorker::completionSkipped);
        QTest::keyClick(view(), Qt::Key_Escape);
        QCOMPARE(editor_->ghostText(), QString());
        QCOMPARE(editor_->text(), text); // the key is taken: nothing inserted
        settle();
        QVERIFY(!completion_->state().requestDueAt());
        QVERIFY(!completion_->state().requestInFlight());
        drainWorker();
        QCOMPARE(completed.count() + skipped.count(), 0);
        // Esc with nothing shown is the editor's again, and still asks for nothing.
        QTest::keyClick(view(), Qt::Key_Escape);
        settle();
        QVERIFY(!completion_->state().requestDueAt());
    }

    void typingTheSuggestionKeepsTheRest()
    {
        const std::optional<QString> suggestion = typeUntilSuggested(
            [](const QString& text) { return text.size() >= 2 && typeable(text[0]); });
        QVERIFY2(suggestion, "the model suggested nothing that starts with a character to type");
        QSignalSpy completed(worker(), &EngineWorker::completed);
        QSignalSpy skipped(worker(), &EngineWorker::completionSkipped);
        const QString text = editor_->text();
        const int cursor = editor_->cursorOffset();
        QTest::keyClicks(view(), QString(suggestion->at(0)));
        settle();
        QCOMPARE(editor_->text(), QString(text).insert(cursor, suggestion->at(0)));
        QCOMPARE(editor_->ghostText(), suggestion->mid(1));
        QCOMPARE(completion_->state().suggestion(), suggestion->mid(1));
        QVERIFY(!completion_->state().requestDueAt());
        QVERIFY(!completion_->state().requestInFlight());
        drainWorker();
        QCOMPARE(completed.count() + skipped.count(), 0);

        // Another character than the suggestion's next dismisses it and asks again.
        const QChar other = suggestion->at(1) == u'#' ? u'@' : u'#';
        QTest::keyClicks(view(), QString(other));
        settle();
        QCOMPARE(editor_->ghostText(), QString());
        QVERIFY(completion_->state().requestDueAt() || completion_->state().requestInFlight());
    }

    void suggestNowAsksAtOnce()
    {
        completion_->setDebounceMs(2000); // typing alone would wait
        QSignalSpy finished(completion_.get(), &InlineCompletion::completionFinished);
        QTest::keyClicks(view(), QStringLiteral("r"));
        settle();
        QCOMPARE(completion_->state().requestDueAt(), std::optional<qint64>(3000));
        completion_->suggestNow(); // Ctrl+Space
        QCOMPARE(completion_->state().requestDueAt(), std::optional<qint64>(1000)); // now
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QVERIFY(!completion_->state().requestInFlight());
        QVERIFY(!completion_->state().requestDueAt());
    }

    void switchedOffItHidesAndAsksNothing()
    {
        const std::optional<QString> suggestion = typeUntilSuggested();
        QVERIFY2(suggestion, "no completion was shown while typing a whole line");
        completion_->setEnabled(false);
        QVERIFY(!completion_->isEnabled());
        QCOMPARE(editor_->ghostText(), QString());
        drainWorker();

        QSignalSpy completed(worker(), &EngineWorker::completed);
        QSignalSpy skipped(worker(), &EngineWorker::completionSkipped);
        QTest::keyClicks(view(), QStringLiteral("x"));
        settle();
        completion_->suggestNow();
        settle();
        QVERIFY(!completion_->state().requestDueAt());
        QVERIFY(!completion_->state().requestInFlight());
        QTest::qWait(100); // a request, had one been made, would be on its way
        drainWorker();
        QCOMPARE(completed.count() + skipped.count(), 0);
        QCOMPARE(editor_->ghostText(), QString());

        // On again: typing asks again.
        completion_->setEnabled(true);
        QSignalSpy finished(completion_.get(), &InlineCompletion::completionFinished);
        QTest::keyClicks(view(), QStringLiteral("y"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
    }

    void switchingEditorsHidesTheOldGhostText()
    {
        const std::optional<QString> suggestion = typeUntilSuggested();
        QVERIFY2(suggestion, "no completion was shown while typing a whole line");
        std::unique_ptr<ScintillaEditor> other = shownEditor();
        QVERIFY(other);
        completion_->setEditor(other.get());
        QCOMPARE(completion_->editor(), other.get());
        QCOMPARE(editor_->ghostText(), QString());
        QCOMPARE(completion_->state().suggestion(), QString());
        drainWorker();

        // The old editor's typing asks for nothing; the new one's does.
        QSignalSpy finished(completion_.get(), &InlineCompletion::completionFinished);
        QSignalSpy completed(worker(), &EngineWorker::completed);
        QTest::keyClicks(editor_->widget(), QStringLiteral("z"));
        settle();
        QVERIFY(!completion_->state().requestDueAt());
        QVERIFY(!completion_->state().requestInFlight());
        QTest::qWait(100);
        drainWorker();
        QCOMPARE(completed.count(), 0);

        QTest::keyClicks(other->widget(), QStringLiteral("r"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(editor_->ghostText(), QString());

        // None: the last one's ghost text goes too, and an editor destroyed is let go.
        completion_->setEditor(nullptr);
        QCOMPARE(completion_->editor(), nullptr);
        QCOMPARE(other->ghostText(), QString());
        completion_->setEditor(other.get());
        other.reset();
        QCOMPARE(completion_->editor(), nullptr);
    }
};

QTEST_MAIN(InlineCompletionTest)
#include "test_inline_completion.moc"
