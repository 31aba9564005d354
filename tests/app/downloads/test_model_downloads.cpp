// What the Downloads dialog drives: a catalogue entry becomes a download from Hugging Face or the
// mirror set, the settings are checked, and a refreshed catalogue is used only when it is valid.

#include "app/downloads/model_downloads.h"
#include "tests/support/range_file_server.h"

#include <QCoreApplication>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using latent::app::DownloadQueue;
using latent::app::ModelDownloads;
using latent::test::RangeFileServer;

namespace {
QByteArray shippedCatalogue()
{
    QFile file(QStringLiteral(":/models/catalogue.json"));
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}
} // namespace

class TestModelDownloads : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LatentTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_model_downloads"));
    }

    void init() { QSettings().clear(); }

    void theShippedCatalogueIsListed()
    {
        QTemporaryDir appData;
        ModelDownloads downloads(network_, appData.path(), qint64(8) << 30);
        QCOMPARE(downloads.catalogueSource(), QStringLiteral("bundled"));
        QVERIFY(downloads.catalogue()->rowCount() >= 14);
        const QModelIndex first = downloads.catalogue()->index(0);
        QCOMPARE(first.data(latent::app::CatalogueListModel::FitsMemoryRole).toBool(), true); // 1.3B in 8 GiB
        QCOMPARE(first.data(latent::app::CatalogueListModel::RunsHereRole).toBool(), true);
    }

    void aDownloadComesFromTheMirror()
    {
        QTemporaryDir appData, models;
        ModelDownloads downloads(network_, appData.path(), std::nullopt);
        downloads.setFolder(models.path());
        downloads.setMirror(QStringLiteral("not a url"));
        QVERIFY2(downloads.message().contains(QStringLiteral("not a url")), qPrintable(downloads.message()));
        QCOMPARE(downloads.mirror(), QString());
        downloads.setMirror(QStringLiteral("http://127.0.0.1:9/")); // a closed port: nothing is fetched
        QVERIFY(downloads.message().isEmpty());
        const int row = downloads.download(QStringLiteral("deepseek-coder-1.3b-instruct-q4_k_m"));
        QCOMPARE(row, 0);
        QVERIFY(QTest::qWaitFor([&] {
            return downloads.queue()->index(0).data(DownloadQueue::StatusRole).toString() == QLatin1String("failed");
        }, 10000));
        QCOMPARE(downloads.queue()->index(0).data(DownloadQueue::FileNameRole).toString(),
                 QStringLiteral("deepseek-coder-1.3b-instruct.Q4_K_M.gguf"));
        QVERIFY(downloads.queue()->index(0).data(DownloadQueue::HasChecksumRole).toBool());
        const auto state = latent::app::PartFileState::read(
            models.filePath(QStringLiteral("deepseek-coder-1.3b-instruct.Q4_K_M.gguf.part.json")));
        QVERIFY(state);
        QCOMPARE(state->url.toString(), QStringLiteral("http://127.0.0.1:9/TheBloke/deepseek-coder-1.3b-instruct-GGUF/"
                                                       "resolve/main/deepseek-coder-1.3b-instruct.Q4_K_M.gguf"));
    }

    void aValidRefreshedCatalogueIsUsedAndKept()
    {
        QByteArray refreshed = shippedCatalogue();
        refreshed.replace("\"DeepSeek-Coder 1.3B Instruct\"", "\"Refreshed Coder\"");
        RangeFileServer server(refreshed, QStringLiteral("/catalogue.json"));
        QTemporaryDir appData;
        {
            ModelDownloads downloads(network_, appData.path(), std::nullopt);
            downloads.setCatalogueUrl(server.url().toString());
            QSignalSpy changed(&downloads, &ModelDownloads::catalogueChanged);
            downloads.refreshCatalogue();
            QVERIFY2(changed.wait(10000), qPrintable(downloads.message()));
            QCOMPARE(downloads.catalogue()->index(0).data(Qt::DisplayRole).toString(), QStringLiteral("Refreshed Coder"));
        }
        ModelDownloads restarted(network_, appData.path(), std::nullopt);
        QCOMPARE(restarted.catalogueSource(), appData.filePath(QStringLiteral("catalogue.json")));
        QCOMPARE(restarted.catalogue()->index(0).data(Qt::DisplayRole).toString(), QStringLiteral("Refreshed Coder"));
    }

    void anInvalidRefreshedCatalogueIsRefused()
    {
        QByteArray broken = shippedCatalogue();
        broken.replace("\"sizeBytes\": 873582624", "\"sizeBytes\": -1");
        RangeFileServer server(broken, QStringLiteral("/catalogue.json"));
        QTemporaryDir appData;
        ModelDownloads downloads(network_, appData.path(), std::nullopt);
        downloads.setCatalogueUrl(server.url().toString());
        QSignalSpy message(&downloads, &ModelDownloads::messageChanged);
        downloads.refreshCatalogue();
        QVERIFY(message.wait(10000));
        QVERIFY2(downloads.message().contains(QStringLiteral("sizeBytes")) &&
                     downloads.message().contains(QStringLiteral("deepseek-coder-1.3b-instruct-q4_k_m")),
                 qPrintable(downloads.message()));
        QCOMPARE(downloads.catalogueSource(), QStringLiteral("bundled"));
        QVERIFY(!QFile::exists(appData.filePath(QStringLiteral("catalogue.json"))));
    }

private:
    QNetworkAccessManager network_;
};

QTEST_GUILESS_MAIN(TestModelDownloads)
#include "test_model_downloads.moc"
