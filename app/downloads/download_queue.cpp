#include "app/downloads/download_queue.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>

namespace latent::app {

namespace {

QString stateName(ResumableDownload::Phase phase)
{
    switch (phase) {
    case ResumableDownload::Phase::Waiting: return QStringLiteral("waiting");
    case ResumableDownload::Phase::Checking: return QStringLiteral("checking");
    case ResumableDownload::Phase::Transferring: return QStringLiteral("downloading");
    case ResumableDownload::Phase::Paused: return QStringLiteral("paused");
    case ResumableDownload::Phase::Failed: return QStringLiteral("failed");
    case ResumableDownload::Phase::Done: return QStringLiteral("done");
    }
    return {};
}

bool isRunning(const ResumableDownload& download)
{
    return download.phase() == ResumableDownload::Phase::Checking ||
           download.phase() == ResumableDownload::Phase::Transferring;
}

} // namespace

DownloadQueue::DownloadQueue(QNetworkAccessManager& network, const QString& folder, QObject* parent)
    : QAbstractListModel(parent), network_(network), folder_(folder), freeSpace_(freeSpaceOnDisk)
{
    restorePaused();
}

DownloadQueue::~DownloadQueue() = default; // each download aborts its request and keeps its part

void DownloadQueue::setParallel(int parallel)
{
    parallel = qBound(1, parallel, 4);
    if (parallel == parallel_)
        return;
    parallel_ = parallel;
    emit parallelChanged();
    startWaiting();
}

void DownloadQueue::setFolder(const QString& folder)
{
    if (folder == folder_)
        return;
    folder_ = folder;
    emit folderChanged();
    restorePaused();
}

void DownloadQueue::restorePaused()
{
    const QDir dir(folder_);
    for (const QString& name : dir.entryList({QStringLiteral("*.part.json")}, QDir::Files, QDir::Name)) {
        const QString partPath = dir.filePath(name.chopped(int(qstrlen(".json"))));
        const QString destination = partPath.chopped(int(qstrlen(".part")));
        const std::optional<PartFileState> state = PartFileState::read(dir.filePath(name));
        if (!state || rowOfFile(QFileInfo(destination).fileName()) >= 0)
            continue;
        add(std::make_unique<ResumableDownload>(network_, destination, *state, ResumableDownload::Phase::Paused,
                                                [this](const QString& f) { return freeSpace_(f); }));
    }
}

int DownloadQueue::enqueue(const QUrl& url, const QString& title, const QString& fileName, qint64 expectedBytes,
                           const QByteArray& sha256)
{
    const int existing = rowOfFile(fileName);
    if (existing >= 0) {
        resume(existing);
        return existing;
    }
    PartFileState state;
    state.url = url;
    state.title = title;
    state.sha256 = sha256;
    state.expectedBytes = expectedBytes;
    add(std::make_unique<ResumableDownload>(network_, QDir(folder_).filePath(fileName), state,
                                            ResumableDownload::Phase::Waiting,
                                            [this](const QString& f) { return freeSpace_(f); }));
    startWaiting();
    return rowCount() - 1;
}

void DownloadQueue::add(std::unique_ptr<ResumableDownload> download)
{
    ResumableDownload* raw = download.get();
    connect(raw, &ResumableDownload::progressed, this, [this, raw] { rowChanged(raw); });
    connect(raw, &ResumableDownload::phaseChanged, this, [this, raw] {
        rowChanged(raw);
        if (raw->phase() == ResumableDownload::Phase::Done)
            emit downloadFinished(raw->destinationPath());
        if (!isRunning(*raw))
            startWaiting();
    });
    beginInsertRows({}, rowCount(), rowCount());
    downloads_.push_back(std::move(download));
    endInsertRows();
}

void DownloadQueue::startWaiting()
{
    int running = 0;
    for (const auto& download : downloads_)
        running += isRunning(*download) ? 1 : 0;
    for (const auto& download : downloads_) {
        if (running >= parallel_)
            return;
        if (download->phase() == ResumableDownload::Phase::Waiting) {
            download->start();
            running += isRunning(*download) ? 1 : 0;
        }
    }
}

void DownloadQueue::pause(int row)
{
    if (row >= 0 && row < rowCount())
        downloads_[size_t(row)]->pause();
}

void DownloadQueue::resume(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    downloads_[size_t(row)]->requeue(); // back in line: it starts when a place is free, in list order
    startWaiting();
}

void DownloadQueue::cancel(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    downloads_[size_t(row)]->cancel();
    beginRemoveRows({}, row, row);
    downloads_.erase(downloads_.begin() + row);
    endRemoveRows();
    startWaiting();
}

int DownloadQueue::rowOfFile(const QString& fileName) const
{
    for (size_t row = 0; row < downloads_.size(); ++row)
        if (QFileInfo(downloads_[row]->destinationPath()).fileName() == fileName)
            return int(row);
    return -1;
}

int DownloadQueue::rowOf(const ResumableDownload* download) const
{
    for (size_t row = 0; row < downloads_.size(); ++row)
        if (downloads_[row].get() == download)
            return int(row);
    return -1;
}

void DownloadQueue::rowChanged(const ResumableDownload* download)
{
    const int row = rowOf(download);
    if (row >= 0)
        emit dataChanged(index(row), index(row));
}

int DownloadQueue::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(downloads_.size());
}

QVariant DownloadQueue::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const ResumableDownload& download = *downloads_[size_t(index.row())];
    const qint64 total = download.totalBytes();
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return download.state().title;
    case FileNameRole: return QFileInfo(download.destinationPath()).fileName();
    case PathRole: return download.destinationPath();
    case StatusRole: return stateName(download.phase());
    case ReceivedRole: return double(download.receivedBytes());
    case TotalRole: return double(total);
    case ProgressRole: return total > 0 ? qBound(0.0, double(download.receivedBytes()) / double(total), 1.0) : -1.0;
    case SpeedRole: return download.bytesPerSecond();
    case SecondsLeftRole: return double(download.secondsLeft());
    case ErrorRole: return download.errorText();
    case HasChecksumRole: return !download.state().sha256.isEmpty();
    }
    return {};
}

QHash<int, QByteArray> DownloadQueue::roleNames() const
{
    return {{TitleRole, "title"},
            {FileNameRole, "fileName"},
            {PathRole, "path"},
            {StatusRole, "status"},
            {ReceivedRole, "received"},
            {TotalRole, "total"},
            {ProgressRole, "progress"},
            {SpeedRole, "speed"},
            {SecondsLeftRole, "secondsLeft"},
            {ErrorRole, "error"},
            {HasChecksumRole, "hasChecksum"}};
}

} // namespace latent::app
