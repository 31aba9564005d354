#pragma once

#include "app/downloads/catalogue_list_model.h"
#include "app/downloads/download_queue.h"

#include <QObject>

#include <optional>

class QNetworkAccessManager;

namespace latent::app {

// What the Downloads dialog drives (the context property `downloads`): the catalogue (the shipped
// one, or a newer copy fetched from the URL the user sets, validated, kept in the app-data folder),
// the queue, and their settings in QSettings: the download folder and the Hugging Face mirror.
class ModelDownloads : public QObject {
    Q_OBJECT
    Q_PROPERTY(QAbstractListModel* catalogue READ catalogue CONSTANT)
    Q_PROPERTY(QAbstractListModel* queue READ queue CONSTANT)
    Q_PROPERTY(QString folder READ folder WRITE setFolder NOTIFY settingsChanged)
    Q_PROPERTY(QString mirror READ mirror WRITE setMirror NOTIFY settingsChanged)
    Q_PROPERTY(QString catalogueUrl READ catalogueUrl WRITE setCatalogueUrl NOTIFY settingsChanged)
    Q_PROPERTY(QString catalogueSource READ catalogueSource NOTIFY catalogueChanged) // "bundled" or a path
    Q_PROPERTY(QString message READ message NOTIFY messageChanged) // the last setting or refresh problem

public:
    // catalogueFolder: where a refreshed catalogue is kept (the app-data folder).
    ModelDownloads(QNetworkAccessManager& network, const QString& catalogueFolder,
                   std::optional<qint64> availableMemory, QObject* parent = nullptr);

    CatalogueListModel* catalogue() { return &catalogue_; }
    DownloadQueue* queue() { return &queue_; }
    QString folder() const;
    void setFolder(const QString& folder);
    QString mirror() const;
    void setMirror(const QString& mirror);
    QString catalogueUrl() const;
    void setCatalogueUrl(const QString& url);
    QString catalogueSource() const { return catalogueSource_; }
    QString message() const { return message_; }

    Q_INVOKABLE int download(const QString& entryId); // the queue's row; -1 with a message
    Q_INVOKABLE void refreshCatalogue(); // from catalogueUrl; catalogueChanged or a message

signals:
    void settingsChanged();
    void catalogueChanged();
    void messageChanged();

private:
    QString refreshedCataloguePath() const;
    void loadCatalogue();
    void setMessage(const QString& message);

    QNetworkAccessManager& network_;
    QString catalogueFolder_;
    CatalogueListModel catalogue_;
    DownloadQueue queue_;
    QString catalogueSource_;
    QString message_;
};

} // namespace latent::app
