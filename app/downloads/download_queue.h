#pragma once

#include "app/downloads/resumable_download.h"

#include <QAbstractListModel>
#include <QUrl>

#include <memory>
#include <vector>

class QNetworkAccessManager;

namespace latent::app {

// The downloads in the order they were asked for, as rows the Downloads dialog shows. At most
// `parallel` run at once; the next waiting one starts when one finishes, fails or is paused.
// Downloads paused or stopped in an earlier run of the app (their NAME.part.json in the folder)
// come back as paused rows.
class DownloadQueue : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int parallel READ parallel WRITE setParallel NOTIFY parallelChanged)
    Q_PROPERTY(QString folder READ folder NOTIFY folderChanged)

public:
    enum Role {
        TitleRole = Qt::UserRole + 1,
        FileNameRole,
        PathRole, // where the finished file is
        StatusRole, // "waiting", "checking", "downloading", "paused", "failed", "done"
        ReceivedRole, // bytes
        TotalRole, // bytes; 0 when unknown
        ProgressRole, // 0..1; -1 when the total is unknown
        SpeedRole, // bytes per second
        SecondsLeftRole, // -1 when unknown
        ErrorRole,
        HasChecksumRole,
    };

    DownloadQueue(QNetworkAccessManager& network, const QString& folder, QObject* parent = nullptr);
    ~DownloadQueue() override;

    int parallel() const { return parallel_; }
    void setParallel(int parallel); // 1..4
    QString folder() const { return folder_; }
    void setFolder(const QString& folder); // for new downloads; brings back the paused ones there
    void setFreeSpaceProbe(FreeSpaceProbe probe) { freeSpace_ = std::move(probe); }

    // Queues a file (the row of one already queued under that name). sha256: lower-case hex, or
    // empty when only its size can be checked; expectedBytes: 0 when only the server knows it.
    Q_INVOKABLE int enqueue(const QUrl& url, const QString& title, const QString& fileName, qint64 expectedBytes,
                            const QByteArray& sha256);
    Q_INVOKABLE void pause(int row);
    Q_INVOKABLE void resume(int row); // a paused or failed one: back in the queue, from its part
    Q_INVOKABLE void cancel(int row); // removes the row, and its part file unless it is done
    Q_INVOKABLE int rowOfFile(const QString& fileName) const; // -1 when none

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void parallelChanged();
    void folderChanged();
    void downloadFinished(const QString& path);

private:
    void restorePaused();
    void add(std::unique_ptr<ResumableDownload> download);
    void startWaiting();
    int rowOf(const ResumableDownload* download) const;
    void rowChanged(const ResumableDownload* download);

    QNetworkAccessManager& network_;
    QString folder_;
    int parallel_ = 1;
    FreeSpaceProbe freeSpace_;
    std::vector<std::unique_ptr<ResumableDownload>> downloads_;
};

} // namespace latent::app
