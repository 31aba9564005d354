// The chat with a remote model: the model manager chooses it, the chat controller sends to it and
// streams its answer (thinking as R1's <think> block, the usage as the context figures), Stop
// closes the connection, the message keeps which model and endpoint answered, and errors reach
// the error banner in plain words naming the endpoint. The server is a loopback one replaying
// DeepSeek's API (tests/data/remote/).
#include "app/chat/chat_controller.h"
#include "app/chat/message_list_model.h"
#include "app/chat/model_manager.h"
#include "app/remote/remote_engine.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"
#include "tests/app/remote/replay_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace latent::app;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;
using latent::test::ReplayServer;
using latent::test::recorded;

class TestRemoteChat : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ReplayServer> server_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;
    std::unique_ptr<ChatController> chat_;

    const MessageListModel::Row& row(int i) { return chat_->messages()->rows().at(i); }

    void answerWith(const ReplayServer::Response& response) {
        server_->answer("POST", "/v1/chat/completions", response);
    }

private slots:
    void initTestCase() { environment_ = std::make_unique<AppTestEnvironment>(); }

    void init() {
        server_ = std::make_unique<ReplayServer>();
        chat_.reset();
        models_.reset();
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        models_ = std::make_unique<ModelManager>(*store_);
        AppTestEnvironment::useTestSettings(*models_);
        models_->chooseRemoteModel({QStringLiteral("Lab"), server_->baseUrl(), QStringLiteral("deepseek"),
                                    QStringLiteral("sk-lab")},
                                   {QStringLiteral("deepseek-reasoner"), 0});
        chat_ = std::make_unique<ChatController>(*store_, *models_);
    }

    void theRemoteModelIsTheChatsModel() {
        QCOMPARE(models_->state(), ModelManager::State::Ready);
        QVERIFY(models_->isRemote());
        QCOMPARE(models_->answerEngine(), static_cast<AnswerEngine*>(models_->remoteEngine()));
        const QVariantMap facts = models_->modelFacts();
        QCOMPARE(facts.value("name").toString(), QStringLiteral("deepseek-reasoner"));
        QCOMPARE(facts.value("endpoint").toString(), QStringLiteral("Lab"));
        QCOMPARE(facts.value("backend").toString(), QStringLiteral("remote"));
        QVERIFY(!facts.contains("contextSize")); // the server did not say: unknown, not invented
        QCOMPARE(chat_->contextSize(), 0);
    }

    void sendStreamsThinkingAndAnswer() {
        ReplayServer::Response response = ReplayServer::sse(recorded("deepseek-reasoner-stream.sse"));
        response.pieceSize = 50;
        response.pauseMs = 1;
        answerWith(response);
        chat_->send(QStringLiteral("Which is larger, 9.11 or 9.8?"));
        QVERIFY(chat_->generating());
        QTRY_VERIFY_WITH_TIMEOUT(!chat_->generating(), kTimeoutMs);

        const QString expected = QStringLiteral("<think>\n9.11 and 9.8: compare the tenths: 8 > 1.\n</think>\n\n"
                                                "9.8 is greater.");
        QCOMPARE(row(1).message.content, expected);
        const Message stored = store_->message(row(1).message.id).value();
        QCOMPARE(stored.content, expected);
        QCOMPARE(stored.model, QStringLiteral("deepseek-reasoner @ Lab"));
        QCOMPARE(stored.finishReason, QString()); // ended by the model
        // The usage chunk's figures; the context size stays unknown.
        QCOMPARE(chat_->contextUsed(), 60);
        QCOMPARE(chat_->contextSize(), 0);
        QVERIFY(chat_->tokensPerSecond() > 0);

        // The follow-up sends the earlier answer without its thinking.
        answerWith(ReplayServer::sse(recorded("vllm-chat-stream.sse")));
        chat_->send(QStringLiteral("Why?"));
        QTRY_VERIFY_WITH_TIMEOUT(!chat_->generating(), kTimeoutMs);
        QCOMPARE(server_->requests().size(), 2);
        const QJsonArray messages =
            QJsonDocument::fromJson(server_->requests()[1].body).object().value("messages").toArray();
        QCOMPARE(messages.size(), 3);
        QCOMPARE(messages[1].toObject().value("role").toString(), QStringLiteral("assistant"));
        QCOMPARE(messages[1].toObject().value("content").toString(), QStringLiteral("9.8 is greater."));
        QCOMPARE(server_->requests()[1].headers.value("authorization"), QByteArray("Bearer sk-lab"));
    }

    void stopClosesTheConnection() {
        ReplayServer::Response response = ReplayServer::sse(recorded("vllm-chat-stream.sse"));
        response.body = response.body.left(response.body.indexOf("data: [DONE]"));
        response.body = response.body.left(response.body.indexOf("\"finish_reason\":\"stop\"")); // still going
        response.body = response.body.left(response.body.lastIndexOf("data: "));
        response.holdOpen = true;
        answerWith(response);
        chat_->send(QStringLiteral("Write add."));
        QTRY_VERIFY_WITH_TIMEOUT(chat_->messages()->rowCount() == 2 && !row(1).message.content.isEmpty(), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(row(1).message.content, QStringLiteral("def add(a, b):\n    return a + b"),
                                  kTimeoutMs);
        QVERIFY(chat_->generating());
        chat_->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!chat_->generating(), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(server_->closedByClient(), 1, kTimeoutMs);
        const Message stored = store_->message(row(1).message.id).value();
        QCOMPARE(stored.finishReason, QStringLiteral("cancelled"));
        QCOMPARE(stored.content, QStringLiteral("def add(a, b):\n    return a + b"));
    }

    void anotherModelChosenMidAnswerEndsIt() {
        ReplayServer::Response response = ReplayServer::sse(recorded("vllm-chat-stream.sse"));
        response.body = response.body.left(response.body.indexOf("data: ", 10)); // the first chunk only
        response.holdOpen = true;
        answerWith(response);
        chat_->send(QStringLiteral("Write add."));
        QTRY_VERIFY_WITH_TIMEOUT(server_->requests().size() == 1 && chat_->messages()->rowCount() == 2, kTimeoutMs);
        models_->chooseRemoteModel({QStringLiteral("Lab"), server_->baseUrl(), QStringLiteral("deepseek"), {}},
                                   {QStringLiteral("deepseek-chat"), 0});
        QTRY_VERIFY_WITH_TIMEOUT(!chat_->generating(), kTimeoutMs);
        QCOMPARE(store_->message(row(1).message.id).value().finishReason, QStringLiteral("cancelled"));
        QTRY_COMPARE_WITH_TIMEOUT(server_->closedByClient(), 1, kTimeoutMs);
    }

    void errorsReachTheBannerNamingTheEndpoint_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("said");
        QTest::newRow("401") << 401 << "deepseek-401.json" << "Lab refused the API key";
        QTest::newRow("429") << 429 << "deepseek-429.json" << "Try again in 30 s";
        QTest::newRow("500") << 500 << "vllm-500.json" << "Lab failed with a server error (HTTP 500)";
        QTest::newRow("cut") << 200 << "stream-cut-mid-event.sse" << "The answer from Lab was cut off";
    }
    void errorsReachTheBannerNamingTheEndpoint() {
        QFETCH(int, status);
        QFETCH(QString, file);
        QFETCH(QString, said);
        ReplayServer::Response response = status == 200 ? ReplayServer::sse(recorded(file))
                                                         : ReplayServer::json(status, recorded(file));
        response.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("30")));
        answerWith(response);
        QSignalSpy errors(chat_.get(), &ChatController::errorOccurred);
        chat_->send(QStringLiteral("Hello"));
        QTRY_VERIFY_WITH_TIMEOUT(!chat_->generating(), kTimeoutMs);
        QCOMPARE(errors.size(), 1);
        const QString message = errors[0][1].toString();
        QVERIFY2(message.contains(said), qPrintable(message));
    }

    void aLocalModelTakesOverAgain() {
        models_->loadModel(environment_->modelPath());
        QVERIFY(!models_->isRemote());
        QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::Ready, kTimeoutMs);
        QCOMPARE(models_->answerEngine(), static_cast<AnswerEngine*>(models_->worker()));
        QCOMPARE(models_->answeringModel(), QStringLiteral("tiny-f32.gguf"));
        chat_->send(QStringLiteral("Hello"));
        QTRY_VERIFY_WITH_TIMEOUT(!chat_->generating(), kTimeoutMs);
        QCOMPARE(store_->message(row(1).message.id).value().model, QStringLiteral("tiny-f32.gguf"));
        QVERIFY(server_->requests().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRemoteChat)
#include "test_remote_chat.moc"
