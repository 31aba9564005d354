// What Settings > Remote models and the model picker drive (RemoteModels): adding an endpoint keeps its
// key out of the settings and lists its models with that key, a bad endpoint is refused, a list
// that fails says why, choosing a model makes it the chat's with the context size its list gave,
// and removing an endpoint removes its key.
#include "app/chat/model_manager.h"
#include "app/remote/api_key_file.h"
#include "app/remote/remote_engine.h"
#include "app/remote/remote_models.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"
#include "tests/app/remote/replay_server.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace latent::app;
using namespace latent::app::remote;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;
using latent::test::ReplayServer;

class TestRemoteModels : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<AppTestEnvironment> environment_;

    static QVariantMap endpointNamed(const RemoteModels& remote, const QString& name) {
        for (const QVariant& endpoint : remote.endpoints()) {
            if (endpoint.toMap().value("name").toString() == name) {
                return endpoint.toMap();
            }
        }
        return {};
    }

private slots:
    void initTestCase() { environment_ = std::make_unique<AppTestEnvironment>(); }

    void addListChooseRemove() {
        ReplayServer server;
        server.answer("GET", "/v1/models", ReplayServer::json(200, latent::test::recorded("vllm-models.json")));

        ChatStore store(environment_->newDatabasePath());
        ModelManager manager(store);
        const QString settingsPath = environment_->filePath(QStringLiteral("remote-settings.ini"));
        QSettings settings(settingsPath, QSettings::IniFormat);
        const QString keyFile = environment_->filePath(QStringLiteral("remote-keys.json"));
        ApiKeyStore keys(keyFile, QStringLiteral("LatentTest"), ApiKeyStore::Places::FileOnly);
        RemoteModels remote(manager, settings, keys);

        QCOMPARE(remote.presets().size(), 5);
        QVERIFY(remote.addEndpoint(QStringLiteral("Lab"), QStringLiteral("ftp://nowhere"), QStringLiteral("vllm"), {})
                    .contains(QStringLiteral("http://")));
        QVERIFY(remote.endpoints().isEmpty());

        QCOMPARE(remote.addEndpoint(QStringLiteral("Lab"), server.baseUrl(), QStringLiteral("vllm"), QStringLiteral("sk-lab")),
                 QString());
        QTRY_VERIFY_WITH_TIMEOUT(!endpointNamed(remote, "Lab").value("models").toList().isEmpty(), kTimeoutMs);
        const QVariantMap model = endpointNamed(remote, "Lab").value("models").toList().first().toMap();
        QCOMPARE(model.value("id").toString(), QStringLiteral("deepseek-ai/deepseek-coder-6.7b-instruct"));
        QCOMPARE(model.value("contextSize").toInt(), 16384);
        QVERIFY(endpointNamed(remote, "Lab").value("keyInFile").toBool());
        QCOMPARE(server.requests()[0].headers.value("authorization"), QByteArray("Bearer sk-lab"));
        settings.sync();
        QFile settingsFile(settingsPath);
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        QVERIFY(!settingsFile.readAll().contains("sk-lab"));

        remote.chooseModel(QStringLiteral("Lab"), model.value("id").toString());
        QTRY_VERIFY_WITH_TIMEOUT(manager.isRemote(), kTimeoutMs);
        QCOMPARE(manager.modelFacts().value("contextSize").toInt(), 16384);
        QCOMPARE(manager.answeringModel(), QStringLiteral("deepseek-ai/deepseek-coder-6.7b-instruct @ Lab"));
        QCOMPARE(manager.remoteEngine()->endpoint().apiKey, QStringLiteral("sk-lab"));

        remote.removeEndpoint(QStringLiteral("Lab"));
        QVERIFY(remote.endpoints().isEmpty());
        QCOMPARE(ApiKeyFile(keyFile).read(QStringLiteral("Lab")), QString());
    }

    void aListThatFailsSaysWhy() {
        ReplayServer server; // answers nothing but 404
        ChatStore store(environment_->newDatabasePath());
        ModelManager manager(store);
        QSettings settings(environment_->filePath(QStringLiteral("remote-settings-2.ini")), QSettings::IniFormat);
        ApiKeyStore keys(environment_->filePath(QStringLiteral("remote-keys-2.json")), QStringLiteral("LatentTest"),
                         ApiKeyStore::Places::FileOnly);
        RemoteModels remote(manager, settings, keys);
        QCOMPARE(remote.addEndpoint(QStringLiteral("Box"), server.baseUrl() + QStringLiteral("/wrong"),
                                    QStringLiteral("custom"), {}),
                 QString());
        QTRY_VERIFY_WITH_TIMEOUT(!endpointNamed(remote, "Box").value("error").toString().isEmpty(), kTimeoutMs);
        const QString error = endpointNamed(remote, "Box").value("error").toString();
        QVERIFY2(error.contains(QStringLiteral("Box has no such model or address (HTTP 404")), qPrintable(error));
        QVERIFY(!endpointNamed(remote, "Box").value("listing").toBool());
    }

    // The app chooses the remote model of the last session again at start, until a local file is
    // loaded, and not once its endpoint is gone.
    void theLastRemoteChoiceComesBack() {
        QSettings settings(environment_->filePath(QStringLiteral("remote-settings-3.ini")), QSettings::IniFormat);
        ApiKeyStore keys(environment_->filePath(QStringLiteral("remote-keys-3.json")), QStringLiteral("LatentTest"),
                         ApiKeyStore::Places::FileOnly);
        ChatStore store(environment_->newDatabasePath());
        {
            ModelManager manager(store);
            RemoteModels remote(manager, settings, keys);
            QVERIFY(!remote.chooseLastModel());
            QCOMPARE(remote.addEndpoint(QStringLiteral("Lab"), QStringLiteral("http://127.0.0.1:9/v1"),
                                        QStringLiteral("vllm"), QStringLiteral("sk-lab")),
                     QString());
            remote.chooseModel(QStringLiteral("Lab"), QStringLiteral("deepseek-chat"));
            QTRY_VERIFY_WITH_TIMEOUT(manager.isRemote(), kTimeoutMs);
        }
        {
            ModelManager manager(store);
            RemoteModels remote(manager, settings, keys);
            QVERIFY(remote.chooseLastModel());
            QTRY_VERIFY_WITH_TIMEOUT(manager.isRemote(), kTimeoutMs);
            QCOMPARE(manager.answeringModel(), QStringLiteral("deepseek-chat @ Lab"));
            QVERIFY(environment_->loadTinyModel(manager, 512));
        }
        {
            ModelManager manager(store);
            RemoteModels remote(manager, settings, keys);
            QVERIFY(manager.lastRemoteModel().isEmpty()); // a local file was loaded after it
            QVERIFY(!remote.chooseLastModel());
            remote.chooseModel(QStringLiteral("Lab"), QStringLiteral("deepseek-chat"));
            QTRY_VERIFY_WITH_TIMEOUT(manager.isRemote(), kTimeoutMs);
            remote.removeEndpoint(QStringLiteral("Lab"));
            QVERIFY(!remote.chooseLastModel());
        }
    }
};

QTEST_GUILESS_MAIN(TestRemoteModels)
#include "test_remote_models.moc"
