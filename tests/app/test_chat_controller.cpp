// The chat controller on a real tiny model and a real chat store: streaming answers into the list
// and the store, the same text the engine gives, stop, regenerate, edit, versions, the
// conversations list, search, system prompts, refusals, a full context, export and import.

#include "app/chat/chat_controller.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"

#include <QAbstractItemModelTester>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <sqlite3.h>

#include <memory>

using namespace latent::app;
using latent::chat::ChatMessage;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;
using latent::app::test::WorkerGate;

class ChatControllerTest : public QObject {
    Q_OBJECT

    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;
    std::unique_ptr<ChatController> chat_;
    std::unique_ptr<QAbstractItemModelTester> conversationsTester_;
    std::unique_ptr<QAbstractItemModelTester> messagesTester_;

    // A manager with the test model loaded (or none), and a controller on it.
    void start(bool loadModel = true, int contextSize = 4096)
    {
        conversationsTester_.reset();
        messagesTester_.reset();
        chat_.reset();
        models_ = std::make_unique<ModelManager>(*store_);
        AppTestEnvironment::useTestSettings(*models_);
        models_->setContextSize(contextSize);
        if (loadModel) {
            models_->loadModel(environment_->modelPath());
            QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::Ready, kTimeoutMs);
        }
        chat_ = std::make_unique<ChatController>(*store_, *models_);
        // Every insert, move, reset and change the views see is checked for consistency.
        conversationsTester_ = std::make_unique<QAbstractItemModelTester>(
            chat_->conversations(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        messagesTester_ = std::make_unique<QAbstractItemModelTester>(
            chat_->messages(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    MessageListModel& rows() { return *chat_->messages(); }
    const MessageListModel::Row& row(int i) { return rows().rows().at(i); }
    QString storedText(qint64 messageId) { return store_->message(messageId).value().content; }

    void waitForAnswer() { QTRY_VERIFY_WITH_TIMEOUT(!chat_->generating(), kTimeoutMs); }

    void sendAndWait(const QString& text)
    {
        chat_->send(text);
        QVERIFY(chat_->generating());
        waitForAnswer();
    }

private slots:
    void initTestCase() { environment_ = std::make_unique<AppTestEnvironment>(); }

    void init()
    {
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        start();
    }

    void cleanup()
    {
        conversationsTester_.reset();
        messagesTester_.reset();
        chat_.reset();
        models_.reset();
        store_.reset();
    }

    void sendStreamsTheAnswer()
    {
        QSignalSpy generating(chat_.get(), &ChatController::generatingChanged);
        bool streamedBeforeTheEnd = false;
        connect(&rows(), &QAbstractItemModel::dataChanged, this, [&](const QModelIndex& index) {
            const MessageListModel::Row& changed = rows().rows().at(index.row());
            if (changed.streaming && chat_->generating() && !changed.message.content.isEmpty())
                streamedBeforeTheEnd = true;
        });
        chat_->send("Write a function that adds two numbers.");
        QVERIFY(chat_->generating());
        QVERIFY(chat_->currentConversationId() != 0);
        QCOMPARE(rows().rowCount(), 1); // the user's message at once; the answer's row when it starts
        QCOMPARE(row(0).message.role, QString("user"));
        waitForAnswer();
        QCOMPARE(generating.count(), 2);
        QVERIFY(streamedBeforeTheEnd);

        QCOMPARE(rows().rowCount(), 2);
        const MessageListModel::Row& answer = row(1);
        QCOMPARE(answer.message.role, QString("assistant"));
        QCOMPARE(answer.message.parentId, row(0).message.id);
        QVERIFY(!answer.message.content.isEmpty());
        QVERIFY(answer.message.complete);
        QVERIFY(!answer.streaming);
        QCOMPARE(answer.message.model, QString("tiny-f32.gguf"));
        const Message stored = store_->message(answer.message.id).value();
        QCOMPARE(stored.content, answer.message.content);
        QVERIFY(stored.complete);
        QCOMPARE(chat_->currentTitle(), QString("Write a function that adds two numbers."));
        QVERIFY(chat_->contextUsed() > 0);
        QCOMPARE(chat_->contextSize(), 512);
    }

    // The worker keeps the session's cache between answers; the follow-up must still be exactly
    // what a fresh evaluation of the whole conversation gives.
    void answersAreTheEnginesOwn()
    {
        const QString question = "What is a closure?";
        sendAndWait(question);
        const QString first = row(1).message.content;
        QCOMPARE(first, environment_->engineAnswer({{"user", question.toStdString()}}));

        const QString followUp = "Show an example in Python.";
        sendAndWait(followUp);
        QCOMPARE(rows().rowCount(), 4);
        QCOMPARE(row(3).message.content,
                 environment_->engineAnswer({{"user", question.toStdString()},
                                             {"assistant", first.toStdString()},
                                             {"user", followUp.toStdString()}}));
    }

    void stopKeepsTheText()
    {
        models_->setMaxTokens(-1); // until the context is full, unless stopped
        QSignalSpy errors(chat_.get(), &ChatController::errorOccurred);
        // Stopped from the worker's thread as its first piece leaves (the stop flag is thread-safe),
        // so that the answer is cut short however fast this machine writes it.
        EngineWorker* worker = models_->worker();
        QString firstPiece;
        connect(
            worker, &EngineWorker::piecesGenerated, worker,
            [&, worker](qint64 requestId, const QString& text) {
                if (firstPiece.isEmpty())
                    firstPiece = text;
                worker->stop(requestId);
            },
            Qt::DirectConnection);
        chat_->send("Tell me a long story.");
        waitForAnswer();
        const MessageListModel::Row& answer = row(1);
        QVERIFY(!answer.message.content.isEmpty());
        QVERIFY(answer.message.content.startsWith(firstPiece));
        QVERIFY(answer.message.complete);
        QVERIFY(!answer.streaming);
        const Message stored = store_->message(answer.message.id).value();
        QCOMPARE(stored.content, answer.message.content);
        QVERIFY(stored.complete);
        QCOMPARE(errors.count(), 0); // stopped, not full
        // Marked as stopped, on screen and in the store.
        QCOMPARE(answer.message.finishReason, QString("cancelled"));
        QCOMPARE(rows().data(rows().index(1), MessageListModel::FinishReasonRole).toString(), QString("cancelled"));
        QCOMPARE(stored.finishReason, QString("cancelled"));
    }

    // An answer cut by the limit of an answer says so with the limit, and still does after a
    // restart (a new controller over the same store).
    void anAnswerCutAtTheLimitIsMarkedAndRemembered()
    {
        models_->setMaxTokens(3);
        sendAndWait("Tell me a long story.");
        const qint64 conversation = chat_->currentConversationId();
        QCOMPARE(row(1).message.finishReason, QString("maxTokens"));
        QCOMPARE(row(1).message.generatedTokens, 3);
        const QModelIndex answer = rows().index(1);
        QCOMPARE(rows().data(answer, MessageListModel::GeneratedTokensRole).toInt(), 3);
        const Message stored = store_->message(row(1).message.id).value();
        QCOMPARE(stored.finishReason, QString("maxTokens"));
        QCOMPARE(stored.generatedTokens, 3);

        start(false);
        chat_->selectConversation(conversation);
        QCOMPARE(rows().rowCount(), 2);
        QCOMPARE(rows().data(rows().index(1), MessageListModel::FinishReasonRole).toString(), QString("maxTokens"));
        QCOMPARE(rows().data(rows().index(1), MessageListModel::GeneratedTokensRole).toInt(), 3);
        QCOMPARE(rows().data(rows().index(0), MessageListModel::FinishReasonRole).toString(), QString());
    }

    void stopBeforeTheAnswerStarts()
    {
        {
            WorkerGate gate(models_->worker()); // the worker sees the stop before the request
            chat_->send("Hello");
            chat_->stop();
        }
        waitForAnswer();
        QCOMPARE(rows().rowCount(), 1); // no empty answer left behind
        QCOMPARE(store_->messages(chat_->currentConversationId()).size(), 1);
    }

    // Another program holds the database's write lock while an answer streams: the text stays on
    // screen, the failure is reported once, and the text reaches the store when the lock goes.
    void aStoreErrorWhileStreamingKeepsTheText()
    {
        sqlite3* other = nullptr;
        QCOMPARE(sqlite3_open(store_->path().toUtf8().constData(), &other), SQLITE_OK);
        const auto closeOther = qScopeGuard([&] { sqlite3_close_v2(other); });
        // Queued after the controller's own slot, so the answer's message exists before the lock.
        connect(models_->worker(), &EngineWorker::answerStarted, this,
                [&] { QCOMPARE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK); });
        QSignalSpy errors(chat_.get(), &ChatController::errorOccurred);
        chat_->send("Keep this answer");
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, kTimeoutMs);
        QVERIFY2(errors.first().at(1).toString().contains("stays on screen"),
                 qPrintable(errors.first().at(1).toString()));
        waitForAnswer();
        const MessageListModel::Row& answer = row(1);
        QVERIFY(!answer.message.content.isEmpty());
        QVERIFY(answer.message.complete);
        QVERIFY(!store_->message(answer.message.id)->complete); // not saved yet

        QCOMPARE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
        QTRY_VERIFY_WITH_TIMEOUT(store_->message(answer.message.id)->complete, kTimeoutMs);
        QCOMPARE(storedText(answer.message.id), answer.message.content);
        QCOMPARE(errors.count(), 1); // once, not at every retry
    }

    void regenerateKeepsTheOldAnswer()
    {
        sendAndWait("Name a sorting algorithm.");
        const qint64 oldId = row(1).message.id;
        const QString oldText = row(1).message.content;
        chat_->regenerate(oldId);
        QVERIFY(chat_->generating());
        waitForAnswer();
        QCOMPARE(rows().rowCount(), 2);
        QVERIFY(row(1).message.id != oldId);
        QCOMPARE(row(1).message.parentId, row(0).message.id);
        QCOMPARE(row(1).versionIndex, 2);
        QCOMPARE(row(1).versionCount, 2);
        QCOMPARE(storedText(oldId), oldText);
        QCOMPARE(store_->children(row(0).message.id).size(), 2);

        chat_->switchVersion(row(1).message.id, -1);
        QCOMPARE(row(1).message.id, oldId);
        QCOMPARE(row(1).versionIndex, 1);
        chat_->switchVersion(oldId, -1); // no version before the first: nothing changes
        QCOMPARE(row(1).message.id, oldId);
        chat_->switchVersion(oldId, +1);
        QVERIFY(row(1).message.id != oldId);
        QCOMPARE(row(1).versionIndex, 2);
    }

    void editAndResendKeepsTheOldBranch()
    {
        sendAndWait("First question");
        sendAndWait("Second question");
        const qint64 originalId = row(2).message.id;
        const qint64 originalAnswerId = row(3).message.id;
        chat_->editAndResend(originalId, "Second question, edited");
        waitForAnswer();
        QCOMPARE(rows().rowCount(), 4);
        QCOMPARE(row(2).message.content, QString("Second question, edited"));
        QCOMPARE(row(2).message.parentId, row(1).message.id);
        QCOMPARE(row(2).versionIndex, 2);
        QCOMPARE(row(2).versionCount, 2);
        QCOMPARE(row(3).message.parentId, row(2).message.id);
        const qint64 editedId = row(2).message.id;

        chat_->switchVersion(editedId, -1);
        QCOMPARE(row(2).message.id, originalId);
        QCOMPARE(row(3).message.id, originalAnswerId);
        QCOMPARE(row(2).versionIndex, 1);
        QCOMPARE(store_->conversation(chat_->currentConversationId())->currentLeafId, originalAnswerId);
        chat_->switchVersion(originalId, +1);
        QCOMPARE(row(2).message.id, editedId);
    }

    void conversationsList()
    {
        ConversationListModel& list = *chat_->conversations();
        sendAndWait("About trees");
        const qint64 trees = chat_->currentConversationId();
        chat_->newConversation();
        QCOMPARE(chat_->currentConversationId(), qint64(0));
        QCOMPARE(rows().rowCount(), 0);
        sendAndWait("About graphs");
        const qint64 graphs = chat_->currentConversationId();
        QCOMPARE(list.rowCount(), 2);
        QCOMPARE(list.rowOf(graphs), 0); // newest first
        QCOMPARE(list.rowOf(trees), 1);

        chat_->selectConversation(trees);
        QCOMPARE(rows().rowCount(), 2);
        QCOMPARE(row(0).message.content, QString("About trees"));
        sendAndWait("More about trees");
        QCOMPARE(list.rowOf(trees), 0);

        chat_->renameConversation(graphs, "Graph theory");
        const QModelIndex graphRow = list.index(list.rowOf(graphs));
        QCOMPARE(list.data(graphRow, ConversationListModel::TitleRole).toString(), QString("Graph theory"));
        QVERIFY(!list.data(graphRow, ConversationListModel::UpdatedTextRole).toString().isEmpty());

        chat_->deleteConversation(trees);
        QCOMPARE(list.rowCount(), 1);
        QCOMPARE(chat_->currentConversationId(), qint64(0)); // it was open
        QVERIFY(chat_->canUndoDelete());
        QCOMPARE(chat_->deletedTitle(), QString("About trees"));
        chat_->undoDelete();
        QCOMPARE(list.rowCount(), 2);
        QVERIFY(!chat_->canUndoDelete());

        // Only the last delete can be undone: the one before is purged by the next.
        chat_->deleteConversation(trees);
        chat_->deleteConversation(graphs);
        QCOMPARE(chat_->deletedTitle(), QString("Graph theory"));
        chat_->undoDelete();
        QCOMPARE(list.rowCount(), 1);
        QCOMPARE(list.rowOf(graphs), 0);
        QVERIFY(!store_->conversation(trees));
    }

    void searchOpensTheMessage()
    {
        sendAndWait("Explain binary search");
        const qint64 first = chat_->currentConversationId();
        chat_->newConversation();
        sendAndWait("Explain quicksort partitions");
        const qint64 userId = row(0).message.id;
        chat_->editAndResend(userId, "Explain mergesort instead");
        waitForAnswer();

        const QVariantList hits = chat_->search("quicksort");
        QCOMPARE(hits.size(), 1);
        const QVariantMap hit = hits.first().toMap();
        QCOMPARE(hit.value("messageId").toLongLong(), userId);
        QCOMPARE(hit.value("title").toString(), QString("Explain quicksort partitions"));
        QVERIFY(hit.value("snippet").toString().contains("quicksort"));

        chat_->selectConversation(first);
        QSignalSpy opened(chat_.get(), &ChatController::messageOpened);
        chat_->openMessage(hit.value("conversationId").toLongLong(), userId);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.first().first().toInt(), 0);
        QCOMPARE(row(0).message.id, userId); // the old branch, where the hit is
        QCOMPARE(rows().rowCount(), 2);
    }

    void systemPromptIsStoredAndSentFirst()
    {
        QSignalSpy changed(chat_.get(), &ChatController::currentConversationChanged);
        chat_->setSystemPrompt("Answer in one line.");
        QCOMPARE(chat_->systemPrompt(), QString("Answer in one line."));
        QVERIFY(changed.count() >= 1);
        sendAndWait("What is Rust?");
        const qint64 id = chat_->currentConversationId();
        QCOMPARE(store_->conversation(id)->systemPrompt, QString("Answer in one line."));
        QCOMPARE(row(1).message.content,
                 environment_->engineAnswer({{"system", "Answer in one line."}, {"user", "What is Rust?"}}));

        chat_->newConversation();
        QVERIFY(chat_->systemPrompt().isEmpty());
        chat_->selectConversation(id);
        QCOMPARE(chat_->systemPrompt(), QString("Answer in one line."));
        chat_->setSystemPrompt("Answer in French.");
        QCOMPARE(store_->conversation(id)->systemPrompt, QString("Answer in French."));
    }

    void refusals()
    {
        QSignalSpy errors(chat_.get(), &ChatController::errorOccurred);
        models_->setMaxTokens(-1);
        chat_->send("A long answer, please");
        chat_->send("And another");
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.first().first().toString().contains("still being written"),
                 qPrintable(errors.first().first().toString()));
        chat_->stop();
        waitForAnswer();
        for (const Message& message : store_->messages(chat_->currentConversationId()))
            QVERIFY(message.content != "And another"); // refused, so not stored

        start(false);
        QSignalSpy noModel(chat_.get(), &ChatController::errorOccurred);
        chat_->send("Hello?");
        QCOMPARE(noModel.count(), 1);
        QVERIFY2(noModel.first().at(0).toString().contains("No model"), qPrintable(noModel.first().at(0).toString()));
        QVERIFY(!chat_->generating());
        QCOMPARE(store_->conversations().size(), 1); // the one before; nothing new
    }

    void aFullContextIsRefusedWithTheCounts()
    {
        start(true, 32);
        QSignalSpy errors(chat_.get(), &ChatController::errorOccurred);
        chat_->send("This message and the chat format around it take more than thirty-two tokens of "
                    "context, which is all this session has room for, so no answer can start.");
        waitForAnswer();
        QCOMPARE(errors.count(), 1);
        const QString message = errors.first().at(1).toString();
        QVERIFY2(message.contains("the context holds 32") && message.contains("Start a new conversation") &&
                     message.contains("context size"),
                 qPrintable(message));
        QCOMPARE(rows().rowCount(), 1); // the question stays; no empty answer
    }

    void contextFillsDuringTheAnswer()
    {
        // DeepSeek-Coder's default system prompt takes about 200 of the tiny vocabulary's tokens.
        start(true, 256);
        models_->setMaxTokens(-1);
        QSignalSpy errors(chat_.get(), &ChatController::errorOccurred);
        sendAndWait("Hi");
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.first().at(0).toString().contains("context is full"),
                 qPrintable(errors.first().at(0).toString()));
        QCOMPARE(chat_->contextUsed(), 256);
        QVERIFY(chat_->contextNearlyFull());
        QVERIFY(row(1).message.complete);
        QCOMPARE(storedText(row(1).message.id), row(1).message.content);
        QCOMPARE(row(1).message.finishReason, QString("contextFull"));
        QCOMPARE(store_->message(row(1).message.id)->finishReason, QString("contextFull"));
    }

    void contextIsCountedWhenAConversationOpens()
    {
        sendAndWait("Count me");
        const qint64 id = chat_->currentConversationId();
        const std::string answer = row(1).message.content.toStdString();
        chat_->newConversation();
        QCOMPARE(chat_->contextUsed(), 0);
        QSignalSpy stats(chat_.get(), &ChatController::statsChanged);
        chat_->selectConversation(id);
        // Counted by the model's tokenizer on the worker: the prompt the next answer would continue.
        const int expected = environment_->engineTokenCount({{"user", "Count me"}, {"assistant", answer}});
        QTRY_COMPARE_WITH_TIMEOUT(chat_->contextUsed(), expected, kTimeoutMs);
        QVERIFY(stats.count() > 0);
    }

    void exportAndImport()
    {
        chat_->setSystemPrompt("Be brief.");
        sendAndWait("Export me");
        const qint64 id = chat_->currentConversationId();
        const QUrl json = QUrl::fromLocalFile(environment_->filePath("export.json"));
        const QUrl markdown = QUrl::fromLocalFile(environment_->filePath("export.md"));
        QVERIFY(chat_->exportConversation(id, json, "json"));
        QVERIFY(chat_->exportConversation(id, markdown, "markdown"));
        QFile text(markdown.toLocalFile());
        QVERIFY(text.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(text.readAll()).contains("Export me"));

        QSignalSpy errors(chat_.get(), &ChatController::errorOccurred);
        QVERIFY(!chat_->exportConversation(id, json, "pdf"));
        QVERIFY(!chat_->importConversation(QUrl::fromLocalFile(environment_->filePath("missing.json"))));
        QCOMPARE(errors.count(), 2);

        QVERIFY(chat_->importConversation(json));
        const qint64 imported = chat_->currentConversationId();
        QVERIFY(imported != id);
        QCOMPARE(chat_->conversations()->rowCount(), 2);
        QCOMPARE(chat_->systemPrompt(), QString("Be brief."));
        QCOMPARE(rows().rowCount(), 2);
        QCOMPARE(row(0).message.content, QString("Export me"));
        QCOMPARE(row(1).message.content, storedText(store_->conversation(id)->currentLeafId));
    }
};

QTEST_GUILESS_MAIN(ChatControllerTest)
#include "test_chat_controller.moc"
