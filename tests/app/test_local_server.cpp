// Settings > Local server on a real tiny model: the app's loaded model answers over HTTP (the
// same text as the engine's), a model unloaded gives 503, other machines need the key (kept in
// a file only the user may read), a port in use is said, settings persist, and a chat answer and a
// server request at once both finish with their own right text.

#include "app/chat/engine_worker.h"
#include "app/chat/local_server.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace latent::app;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;

namespace {

struct HttpAnswer {
    int status = 0; // 0: no answer (connection refused)
    QJsonObject body;
};

const QString kQuestion = QStringLiteral("Hello");

} // namespace

class LocalServerTest : public QObject {
    Q_OBJECT

    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;
    QNetworkAccessManager network_;

    QString keyFile() const { return environment_->filePath(QStringLiteral("server-key.json")); }

    HttpAnswer request(const LocalServer& server, const QString& path, const QJsonObject& body = {},
                       const QString& key = {})
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(server.boundPort()).arg(path)));
        request.setTransferTimeout(kTimeoutMs);
        if (!key.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + key.toUtf8());
        QNetworkReply* reply = nullptr;
        if (body.isEmpty()) {
            reply = network_.get(request);
        } else {
            request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            reply = network_.post(request, QJsonDocument(body).toJson());
        }
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        reply->deleteLater();
        return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                QJsonDocument::fromJson(reply->readAll()).object()};
    }

    static QJsonObject chatRequest(int maxTokens = 12)
    {
        return {{"model", "tiny-f32"},
                {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", kQuestion}}}},
                {"temperature", 0},
                {"max_tokens", maxTokens}};
    }

    static QString answerText(const HttpAnswer& answer)
    {
        return answer.body["choices"].toArray().at(0)["message"]["content"].toString();
    }

    // A server on a free port, enabled.
    std::unique_ptr<LocalServer> startedServer()
    {
        auto server = std::make_unique<LocalServer>(*models_, keyFile());
        server->setPort(0);
        server->setEnabled(true);
        return server;
    }

private slots:
    void initTestCase()
    {
        environment_ = std::make_unique<AppTestEnvironment>();
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        models_ = std::make_unique<ModelManager>(*store_);
        QVERIFY(environment_->loadTinyModel(*models_, 512));
    }

    void cleanupTestCase()
    {
        models_.reset();
        store_.reset();
    }

    void offUntilTurnedOn()
    {
        LocalServer server(*models_, keyFile());
        QVERIFY(!server.enabled());
        QVERIFY(!server.running());
        QVERIFY(server.address().isEmpty());
    }

    void servesTheModelLoadedInTheApp()
    {
        const auto server = startedServer();
        QVERIFY2(server->running(), qPrintable(server->errorMessage()));
        QCOMPARE(server->address(), QStringLiteral("http://127.0.0.1:%1/v1").arg(server->boundPort()));

        const HttpAnswer models = request(*server, QStringLiteral("/v1/models"));
        QCOMPARE(models.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(request(*server, QStringLiteral("/v1/models")).body["data"].toArray().size(), 1,
                                  kTimeoutMs); // the worker hands the model over on its thread
        QCOMPARE(request(*server, QStringLiteral("/v1/models")).body["data"].toArray().at(0)["id"].toString(),
                 QStringLiteral("tiny-f32"));

        const HttpAnswer answer = request(*server, QStringLiteral("/v1/chat/completions"), chatRequest());
        QCOMPARE(answer.status, 200);
        QCOMPARE(answerText(answer), environment_->engineAnswer({{"user", kQuestion.toStdString()}}));
    }

    void aModelUnloadedAnswers503UntilOneIsLoaded()
    {
        const auto server = startedServer();
        QVERIFY(server->running());
        models_->unloadModel();
        QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::NoModel, kTimeoutMs);
        const HttpAnswer refused = request(*server, QStringLiteral("/v1/chat/completions"), chatRequest());
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.body["error"]["code"].toString(), QStringLiteral("model_not_loaded"));

        QVERIFY(environment_->loadTinyModel(*models_, 512));
        QTRY_COMPARE_WITH_TIMEOUT(request(*server, QStringLiteral("/v1/chat/completions"), chatRequest()).status, 200,
                                  kTimeoutMs);
    }

    void otherMachinesNeedTheKey()
    {
        const auto server = startedServer();
        server->setOtherMachines(true);
        QVERIFY2(server->running(), qPrintable(server->errorMessage()));
        QVERIFY(server->apiKey().size() >= 32);
        QCOMPARE(QFile::permissions(keyFile()) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QTRY_COMPARE_WITH_TIMEOUT(
            request(*server, QStringLiteral("/v1/chat/completions"), chatRequest(2), server->apiKey()).status, 200,
            kTimeoutMs);
        QCOMPARE(request(*server, QStringLiteral("/v1/chat/completions"), chatRequest(2)).status, 401);
        QCOMPARE(request(*server, QStringLiteral("/v1/models"), {}, QStringLiteral("wrong")).status, 401);

        const QString before = server->apiKey();
        server->makeNewKey();
        QVERIFY(server->apiKey() != before);
        QCOMPARE(request(*server, QStringLiteral("/v1/models"), {}, before).status, 401);

        server->forgetKey();
        QVERIFY(server->apiKey().isEmpty());
        QVERIFY(!server->otherMachines()); // without a key, this machine only
        QVERIFY(server->running());
    }

    void aPortInUseIsSaidWithWhatToDo()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        LocalServer server(*models_, keyFile());
        server.setPort(taken.serverPort());
        server.setEnabled(true);
        QVERIFY(!server.running());
        QVERIFY2(server.errorMessage().contains(QString::number(taken.serverPort())), qPrintable(server.errorMessage()));
        QVERIFY(server.errorMessage().contains(QStringLiteral("another port")));
        server.setEnabled(false); // the setting is kept for the next start otherwise
    }

    void settingsPersist()
    {
        {
            LocalServer server(*models_, keyFile());
            server.setPort(0);
            server.setParallel(3);
            server.setEnabled(true);
            QVERIFY(server.running());
        }
        LocalServer again(*models_, keyFile());
        QVERIFY(again.enabled());
        QVERIFY(again.running());
        QCOMPARE(again.parallel(), 3);
        again.setEnabled(false);
        QVERIFY(!again.running());
    }

    // The chat's answer and a server request at once take turns on the engine: both finish, each
    // with the text it has alone.
    void aChatAnswerAndAServerRequestTakeTurns()
    {
        const auto server = startedServer();
        QTRY_COMPARE_WITH_TIMEOUT(request(*server, QStringLiteral("/v1/models")).body["data"].toArray().size(), 1,
                                  kTimeoutMs);
        QSignalSpy finished(models_->worker(), &EngineWorker::finished);
        QString chatText;
        connect(models_->worker(), &EngineWorker::piecesGenerated, this,
                [&](qint64, const QString& text, const AnswerStats&) { chatText += text; });
        latent::GenerationOptions options = models_->generationOptions();
        options.maxTokens = 40;
        models_->worker()->generate({{QStringLiteral("user"), QStringLiteral("Tell me more")}}, options);

        const HttpAnswer answer = request(*server, QStringLiteral("/v1/chat/completions"), chatRequest(40));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answerText(answer), environment_->engineAnswer({{"user", kQuestion.toStdString()}}, 40));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(chatText, environment_->engineAnswer({{"user", "Tell me more"}}, 40));
    }
};

QTEST_GUILESS_MAIN(LocalServerTest)
#include "test_local_server.moc"
