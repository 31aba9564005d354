#include "app/downloads/model_downloads.h"

#include "app/downloads/download_url.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

namespace latent::app {

namespace {

const QString folderKey = QStringLiteral("downloads/folder");
const QString mirrorKey = QStringLiteral("downloads/mirror");
const QString catalogueUrlKey = QStringLiteral("downloads/catalogueUrl");
constexpr qint64 maxCatalogueDownloadBytes = 1 << 20;

QString defaultFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/models");
}

} // namespace

ModelDownloads::ModelDownloads(QNetworkAccessManager& network, const QString& catalogueFolder,
                               std::optional<qint64> availableMemory, QObject* parent)
    : QObject(parent), network_(network), catalogueFolder_(catalogueFolder), catalogue_(availableMemory),
      queue_(network, QSettings().value(folderKey, defaultFolder()).toString())
{
    loadCatalogue();
}

QString ModelDownloads::folder() const
{
    return queue_.folder();
}

void ModelDownloads::setFolder(const QString& folder)
{
    if (folder.trimmed().isEmpty() || folder == queue_.folder())
        return;
    if (!QDir().mkpath(folder)) {
        setMessage(tr("Could not create the download folder %1: choose a folder you can write to.")
                       .arg(QDir::toNativeSeparators(folder)));
        return;
    }
    QSettings().setValue(folderKey, folder);
    queue_.setFolder(folder);
    setMessage({});
    emit settingsChanged();
}

QString ModelDownloads::mirror() const
{
    return QSettings().value(mirrorKey).toString();
}

void ModelDownloads::setMirror(const QString& mirror)
{
    if (mirror == this->mirror())
        return;
    const QString problem = mirrorProblem(mirror);
    setMessage(problem);
    if (!problem.isEmpty())
        return;
    QSettings().setValue(mirrorKey, mirror.trimmed());
    emit settingsChanged();
}

QString ModelDownloads::catalogueUrl() const
{
    return QSettings().value(catalogueUrlKey).toString();
}

void ModelDownloads::setCatalogueUrl(const QString& url)
{
    if (url == catalogueUrl())
        return;
    QSettings().setValue(catalogueUrlKey, url.trimmed());
    emit settingsChanged();
}

QString ModelDownloads::refreshedCataloguePath() const
{
    return QDir(catalogueFolder_).filePath(QStringLiteral("catalogue.json"));
}

void ModelDownloads::loadCatalogue()
{
    // A refreshed copy wins while it is valid; a damaged one is reported and the shipped one used.
    QFile refreshed(refreshedCataloguePath());
    if (refreshed.open(QIODevice::ReadOnly)) {
        CatalogueParse parsed = parseCatalogue(refreshed.read(maxCatalogueDownloadBytes + 1), refreshed.fileName());
        if (parsed.error.isEmpty()) {
            catalogue_.setEntries(std::move(parsed.entries));
            catalogueSource_ = refreshed.fileName();
            emit catalogueChanged();
            return;
        }
        setMessage(parsed.error);
    }
    QFile bundled(QStringLiteral(":/models/catalogue.json"));
    bundled.open(QIODevice::ReadOnly);
    catalogue_.setEntries(parseCatalogue(bundled.readAll(), QStringLiteral("catalogue.json")).entries);
    catalogueSource_ = QStringLiteral("bundled");
    emit catalogueChanged();
}

void ModelDownloads::refreshCatalogue()
{
    const QUrl url(catalogueUrl());
    if (!url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        setMessage(tr("The catalogue address \"%1\" is not a web address: write the https:// address of a "
                      "catalogue.json.")
                       .arg(catalogueUrl()));
        return;
    }
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkReply* reply = network_.get(request);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > maxCatalogueDownloadBytes)
            reply->abort(); // not a catalogue; parseCatalogue says so
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        const QByteArray body = reply->readAll();
        if (reply->error() != QNetworkReply::NoError && reply->error() != QNetworkReply::OperationCanceledError) {
            setMessage(tr("Could not fetch the catalogue from %1: %2. The catalogue in use is kept.")
                           .arg(url.toString(), reply->errorString()));
            return;
        }
        const CatalogueParse parsed = parseCatalogue(body, url.toString());
        if (!parsed.error.isEmpty()) {
            setMessage(tr("%1. The catalogue in use is kept.").arg(parsed.error));
            return;
        }
        QDir().mkpath(catalogueFolder_);
        QSaveFile file(refreshedCataloguePath());
        if (!file.open(QIODevice::WriteOnly) || file.write(body) != body.size() || !file.commit()) {
            setMessage(tr("Could not keep the new catalogue in %1: %2.")
                           .arg(QDir::toNativeSeparators(catalogueFolder_), file.errorString()));
            return;
        }
        setMessage({});
        loadCatalogue();
    });
}

int ModelDownloads::download(const QString& entryId)
{
    const CatalogueEntry* entry = catalogue_.entry(entryId);
    if (!entry)
        return -1;
    setMessage({});
    // Only a file with a published hash has a known exact size; the others take the server's.
    return queue_.enqueue(huggingFaceFileUrl(mirror(), entry->repo, entry->file),
                          QStringLiteral("%1 %2").arg(entry->title, entry->quantization), entry->file,
                          entry->hasChecksum() ? entry->sizeBytes : 0, entry->sha256);
}

void ModelDownloads::setMessage(const QString& message)
{
    if (message == message_)
        return;
    message_ = message;
    emit messageChanged();
}

} // namespace latent::app
