// The endpoints the user adds and where their API keys go: the presets, the settings (never the
// key), the key file only the user may read, and the secret store with its fallback to that file
// on a machine without one (CI) -- robust where a keyring answers.
#include "app/remote/api_key_file.h"
#include "app/remote/api_key_store.h"
#include "app/remote/endpoint_presets.h"
#include "app/remote/endpoint_store.h"

#include <QCoreApplication>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <stdexcept>

using namespace latent::app::remote;

class TestEndpoints : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    QString keyFile() const { return dir_.filePath(QStringLiteral("api-keys.json")); }

    // Runs store.load and returns the key it answered with (or the failure, prefixed "failed: ").
    static QString loadedKey(ApiKeyStore& store, const QString& name) {
        QSignalSpy loaded(&store, &ApiKeyStore::loaded);
        QSignalSpy failed(&store, &ApiKeyStore::failed);
        store.load(name);
        if (!QTest::qWaitFor([&] { return loaded.size() + failed.size() > 0; }, 30000)) {
            return QStringLiteral("failed: no answer");
        }
        return failed.isEmpty() ? loaded[0][1].toString() : QStringLiteral("failed: ") + failed[0][1].toString();
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }
    void cleanup() { QFile::remove(keyFile()); }

    void presets() {
        const auto& presets = endpointPresets();
        const auto find = [&](const QString& kind) {
            for (const EndpointPreset& preset : presets) {
                if (preset.kind == kind) {
                    return preset;
                }
            }
            return EndpointPreset{};
        };
        QCOMPARE(find(QStringLiteral("deepseek")).baseUrl, QStringLiteral("https://api.deepseek.com/v1"));
        QVERIFY(find(QStringLiteral("deepseek")).needsKey);
        QCOMPARE(find(QStringLiteral("deepseek")).models,
                 (QStringList{QStringLiteral("deepseek-chat"), QStringLiteral("deepseek-reasoner")}));
        QCOMPARE(find(QStringLiteral("vllm")).baseUrl, QStringLiteral("http://localhost:8000/v1"));
        QCOMPARE(find(QStringLiteral("sglang")).baseUrl, QStringLiteral("http://localhost:30000/v1"));
        QCOMPARE(find(QStringLiteral("ollama")).baseUrl, QStringLiteral("http://localhost:11434/v1"));
        QCOMPARE(find(QStringLiteral("llamacpp")).baseUrl, QStringLiteral("http://localhost:8080/v1"));
        for (const EndpointPreset& preset : presets) {
            QVERIFY2(EndpointStore::problemOf({preset.name, preset.baseUrl, preset.kind, {}}).isEmpty(),
                     qPrintable(preset.name));
        }
    }

    void endpointsKeptInSettingsWithoutTheirKey() {
        const QString path = dir_.filePath(QStringLiteral("settings.ini"));
        {
            QSettings settings(path, QSettings::IniFormat);
            EndpointStore store(settings);
            QCOMPARE(store.save({QStringLiteral("DeepSeek API"), QStringLiteral("https://api.deepseek.com/v1"),
                                 QStringLiteral("deepseek"), QStringLiteral("sk-never-in-settings")}),
                     QString());
            QCOMPARE(store.save({QStringLiteral("Lab"), QStringLiteral(" http://gpu-box:8000/v1 "),
                                 QStringLiteral("vllm"), {}}),
                     QString());
            // Saving under a name again replaces it, in place.
            QCOMPARE(store.save({QStringLiteral("DeepSeek API"), QStringLiteral("https://api.deepseek.com"),
                                 QStringLiteral("deepseek"), {}}),
                     QString());
        }
        QSettings settings(path, QSettings::IniFormat);
        EndpointStore store(settings);
        const QList<RemoteEndpoint> endpoints = store.endpoints();
        QCOMPARE(endpoints.size(), 2);
        QCOMPARE(endpoints[0].name, QStringLiteral("DeepSeek API"));
        QCOMPARE(endpoints[0].baseUrl, QStringLiteral("https://api.deepseek.com"));
        QCOMPARE(endpoints[1].baseUrl, QStringLiteral("http://gpu-box:8000/v1"));
        QCOMPARE(endpoints[1].kind, QStringLiteral("vllm"));
        QVERIFY(endpoints[0].apiKey.isEmpty());
        QVERIFY(store.find(QStringLiteral("Lab")).has_value());
        store.remove(QStringLiteral("Lab"));
        QVERIFY(!store.find(QStringLiteral("Lab")).has_value());
        settings.sync();
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("sk-never-in-settings"));
    }

    void badEndpointsAreRefusedInPlainWords_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QString>("said");
        QTest::newRow("no name") << "  " << "http://localhost:8000/v1" << "name";
        QTest::newRow("no scheme") << "Box" << "localhost:8000/v1" << "http:// or https://";
        QTest::newRow("ftp") << "Box" << "ftp://box/v1" << "http:// or https://";
        QTest::newRow("no host") << "Box" << "http:///v1" << "with a host";
    }
    void badEndpointsAreRefusedInPlainWords() {
        QFETCH(QString, name);
        QFETCH(QString, baseUrl);
        QFETCH(QString, said);
        QSettings settings(dir_.filePath(QStringLiteral("bad.ini")), QSettings::IniFormat);
        EndpointStore store(settings);
        const QString problem = store.save({name, baseUrl, QStringLiteral("custom"), {}});
        QVERIFY2(problem.contains(said), qPrintable(problem));
        QVERIFY(store.endpoints().isEmpty());
    }

    void keyFileIsPrivate() {
        ApiKeyFile file(keyFile());
        QCOMPARE(file.read(QStringLiteral("DeepSeek API")), QString()); // no file yet: no key
        file.write(QStringLiteral("DeepSeek API"), QStringLiteral("sk-one"));
        file.write(QStringLiteral("Lab"), QStringLiteral("sk-two"));
        QCOMPARE(file.read(QStringLiteral("DeepSeek API")), QStringLiteral("sk-one"));
        QCOMPARE(file.read(QStringLiteral("Lab")), QStringLiteral("sk-two"));
#ifndef Q_OS_WIN
        QCOMPARE(QFile::permissions(keyFile()) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        // Made readable by others behind our back: refused, naming the file and what to do.
        QVERIFY(QFile::setPermissions(keyFile(), QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        try {
            file.read(QStringLiteral("Lab"));
            QFAIL("a key file others can read was used");
        } catch (const std::runtime_error& error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(keyFile()) && message.contains(QStringLiteral("chmod 600")), error.what());
        }
        QVERIFY(QFile::setPermissions(keyFile(), QFile::ReadOwner | QFile::WriteOwner));
#endif
        file.remove(QStringLiteral("Lab"));
        QCOMPARE(file.read(QStringLiteral("Lab")), QString());
        QCOMPARE(file.read(QStringLiteral("DeepSeek API")), QStringLiteral("sk-one"));
    }

    void aDamagedKeyFileIsReported() {
        QFile damaged(keyFile());
        QVERIFY(damaged.open(QIODevice::WriteOnly, QFile::ReadOwner | QFile::WriteOwner));
        damaged.write("{not json");
        damaged.close();
        try {
            ApiKeyFile(keyFile()).read(QStringLiteral("Lab"));
            QFAIL("a damaged key file was read");
        } catch (const std::runtime_error& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("damaged")), error.what());
        }
    }

    void fileOnlyStore() {
        ApiKeyStore store(keyFile(), QStringLiteral("LatentTest"), ApiKeyStore::Places::FileOnly);
        QSignalSpy saved(&store, &ApiKeyStore::saved);
        store.save(QStringLiteral("DeepSeek API"), QStringLiteral("sk-file"));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved[0][1].toBool(), false);
        QCOMPARE(ApiKeyFile(keyFile()).read(QStringLiteral("DeepSeek API")), QStringLiteral("sk-file"));
        QCOMPARE(loadedKey(store, QStringLiteral("DeepSeek API")), QStringLiteral("sk-file"));
        QSignalSpy removed(&store, &ApiKeyStore::removed);
        store.remove(QStringLiteral("DeepSeek API"));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(loadedKey(store, QStringLiteral("DeepSeek API")), QString());
    }

    // The secret store where one answers, the file where none does (CI): either way the key comes
    // back, it is in exactly one place, and removing it removes it.
    void secretStoreOrFile() {
        const QString service = QStringLiteral("LatentTest-%1").arg(QCoreApplication::applicationPid());
        ApiKeyStore store(keyFile(), service);
        QSignalSpy saved(&store, &ApiKeyStore::saved);
        store.save(QStringLiteral("Lab"), QStringLiteral("sk-secret"));
        QVERIFY(saved.size() == 1 || saved.wait(30000));
        const bool inSecretStore = saved[0][1].toBool();
        QCOMPARE(ApiKeyFile(keyFile()).read(QStringLiteral("Lab")),
                 inSecretStore ? QString() : QStringLiteral("sk-secret"));
        QCOMPARE(loadedKey(store, QStringLiteral("Lab")), QStringLiteral("sk-secret"));
        QSignalSpy removed(&store, &ApiKeyStore::removed);
        store.remove(QStringLiteral("Lab"));
        QVERIFY(removed.size() == 1 || removed.wait(30000));
        QCOMPARE(loadedKey(store, QStringLiteral("Lab")), QString());
    }
};

QTEST_GUILESS_MAIN(TestEndpoints)
#include "test_endpoints.moc"
