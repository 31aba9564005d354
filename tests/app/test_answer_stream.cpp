// The answer being written (app/chat/answer_stream.h) on a real tiny model and chat store: its
// message is added when the worker starts it, its text is the engine's own, a stop before the
// start leaves no message, a store that cannot take the message stops the answer, and another
// request's signals are not its.

#include "app/chat/answer_stream.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <sqlite3.h>

#include <memory>

using namespace latent::app;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;
using latent::app::test::WorkerGate;

class AnswerStreamTest : public QObject {
    Q_OBJECT

    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;
    qint64 conversation_ = 0, question_ = 0;

    QList<ChatTurn> turns() const { return {{"user", "Write hello world in C"}}; }

private slots:
    void initTestCase()
    {
        environment_ = std::make_unique<AppTestEnvironment>();
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        models_ = std::make_unique<ModelManager>(*store_);
        AppTestEnvironment::useTestSettings(*models_);
        models_->loadModel(environment_->modelPath());
        QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::Ready, kTimeoutMs);
    }

    void init()
    {
        conversation_ = store_->createConversation("Hello");
        question_ = store_->addMessage(conversation_, 0, "user", "Write hello world in C");
    }

    void streamsTheEnginesAnswerIntoTheStore()
    {
        AnswerStream stream(*store_, *models_);
        QSignalSpy started(&stream, &AnswerStream::started), grew(&stream, &AnswerStream::grew),
            ended(&stream, &AnswerStream::ended);
        stream.start(conversation_, question_, turns());
        QVERIFY(stream.current());
        QCOMPARE(stream.current()->messageId, qint64(0));
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kTimeoutMs);
        QCOMPARE(started.count(), 1);
        QVERIFY(grew.count() >= 1);
        QVERIFY(!stream.current());
        const auto answer = ended.first().at(0).value<AnswerStream::Answer>();
        QCOMPARE(answer.text, environment_->engineAnswer({{"user", "Write hello world in C"}}));
        const std::optional<Message> message = store_->message(answer.messageId);
        QVERIFY(message);
        QCOMPARE(message->role, QString("assistant"));
        QCOMPARE(message->parentId, question_);
        QCOMPARE(message->model, QString("tiny-f32.gguf"));
        QCOMPARE(ended.first().at(1).toString(), QString("maxTokens"));
    }

    void aStopBeforeTheStartLeavesNoMessage()
    {
        AnswerStream stream(*store_, *models_);
        QSignalSpy ended(&stream, &AnswerStream::ended);
        {
            WorkerGate gate(models_->worker()); // the answer cannot start before the stop
            stream.start(conversation_, question_, turns());
            stream.stop();
        }
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kTimeoutMs);
        QCOMPARE(ended.first().at(0).value<AnswerStream::Answer>().messageId, qint64(0));
        QCOMPARE(ended.first().at(1).toString(), QString("cancelled"));
        QCOMPARE(store_->children(question_).size(), 0);
    }

    void aStoreThatCannotTakeTheMessageStopsTheAnswer()
    {
        sqlite3* other = nullptr;
        QCOMPARE(sqlite3_open(store_->path().toUtf8().constData(), &other), SQLITE_OK);
        const auto closeOther = qScopeGuard([&] { sqlite3_close_v2(other); });
        AnswerStream stream(*store_, *models_);
        QSignalSpy errors(&stream, &AnswerStream::errorOccurred), ended(&stream, &AnswerStream::ended);
        QCOMPARE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
        stream.start(conversation_, question_, turns());
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kTimeoutMs);
        QCOMPARE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.first().at(0).toString(), QString("The answer could not be started"));
        QCOMPARE(ended.first().at(0).value<AnswerStream::Answer>().messageId, qint64(0));
        QCOMPARE(store_->children(question_).size(), 0);
    }

    void anotherRequestIsNotItsOwn()
    {
        AnswerStream stream(*store_, *models_);
        QSignalSpy started(&stream, &AnswerStream::started), ended(&stream, &AnswerStream::ended);
        QSignalSpy finished(models_->worker(), &EngineWorker::finished);
        latent::GenerationOptions options;
        options.maxTokens = 2;
        models_->worker()->generate(turns(), options);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(started.count(), 0);
        QCOMPARE(ended.count(), 0);
        QCOMPARE(store_->children(question_).size(), 0);
    }

    // Only an answer cut short is marked: one the model (or a stop string) ended is whole, and a
    // failure is reported as an error rather than noted under the text.
    void onlyAnAnswerCutShortKeepsWhyItEnded()
    {
        QCOMPARE(latent::app::recordedFinishReason("cancelled"), QString("cancelled"));
        QCOMPARE(latent::app::recordedFinishReason("maxTokens"), QString("maxTokens"));
        QCOMPARE(latent::app::recordedFinishReason("contextFull"), QString("contextFull"));
        QCOMPARE(latent::app::recordedFinishReason("endOfGeneration"), QString());
        QCOMPARE(latent::app::recordedFinishReason("stopString"), QString());
        QCOMPARE(latent::app::recordedFinishReason("failed"), QString());
    }
};

QTEST_GUILESS_MAIN(AnswerStreamTest)
#include "test_answer_stream.moc"
