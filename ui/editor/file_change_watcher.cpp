#include "ui/editor/file_change_watcher.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

#include <utility>

namespace latent::ui {

namespace {

// Long enough to gather the several events of one save by another program (write, truncate,
// rename), short enough to feel immediate.
constexpr int settleMilliseconds = 150;

// Empty when the file cannot be read (it is gone, or unreadable for now).
QByteArray contentHash(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(&file);
    return hash.result();
}

QString folderOf(const QString& path)
{
    return QFileInfo(path).absolutePath();
}

} // namespace

FileChangeWatcher::FileChangeWatcher(QObject* parent)
    : QObject(parent)
{
    settle_.setSingleShot(true);
    settle_.setInterval(settleMilliseconds);
    connect(&settle_, &QTimer::timeout, this, &FileChangeWatcher::judgePending);
    connect(&watcher_, &QFileSystemWatcher::fileChanged, this, &FileChangeWatcher::schedule);
    connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, &FileChangeWatcher::folderChanged);
}

void FileChangeWatcher::watch(const QString& path)
{
    acknowledge(path);
}

void FileChangeWatcher::unwatch(const QString& path)
{
    knownHashes_.remove(path);
    pending_.remove(path);
    removed_.remove(path);
    watcher_.removePath(path);
    unwatchFolderIfUnneeded(folderOf(path));
}

void FileChangeWatcher::acknowledge(const QString& path)
{
    knownHashes_.insert(path, contentHash(path));
    pending_.remove(path);
    if (QFileInfo::exists(path)) {
        removed_.remove(path);
        unwatchFolderIfUnneeded(folderOf(path));
        if (!watcher_.files().contains(path))
            watcher_.addPath(path);
    } else {
        removed_.insert(path);
        watchFolderOf(path);
    }
}

void FileChangeWatcher::schedule(const QString& path)
{
    if (!knownHashes_.contains(path))
        return;
    pending_.insert(path);
    settle_.start();
}

void FileChangeWatcher::judgePending()
{
    const QSet<QString> paths = std::exchange(pending_, {});
    for (const QString& path : paths) {
        if (knownHashes_.contains(path)) // unwatched meanwhile, by a handler of an earlier path
            judge(path);
    }
}

void FileChangeWatcher::judge(const QString& path)
{
    if (!QFileInfo::exists(path)) {
        if (removed_.contains(path))
            return;
        removed_.insert(path);
        watchFolderOf(path);
        emit changed(path, DiskChange::Removed);
        return;
    }
    // The file is there: watch it again (an atomic save ended the old watch) before anything is
    // emitted, so that a change made while a handler asks the user is not missed.
    if (!watcher_.files().contains(path))
        watcher_.addPath(path);
    const bool wasRemoved = removed_.remove(path);
    if (wasRemoved)
        unwatchFolderIfUnneeded(folderOf(path));
    const QByteArray hash = contentHash(path);
    if (hash == knownHashes_.value(path)) {
        if (wasRemoved)
            emit changed(path, DiskChange::Restored);
        return;
    }
    // The new content counts as known from now on: one change is reported once, whatever the
    // handler decides, and the next change is reported again.
    knownHashes_.insert(path, hash);
    emit changed(path, DiskChange::Modified);
}

void FileChangeWatcher::folderChanged(const QString& folder)
{
    for (const QString& path : std::as_const(removed_)) {
        if (folderOf(path) == folder && QFileInfo::exists(path))
            schedule(path);
    }
}

void FileChangeWatcher::watchFolderOf(const QString& path)
{
    const QString folder = folderOf(path);
    if (QFileInfo(folder).isDir() && !watcher_.directories().contains(folder))
        watcher_.addPath(folder);
}

void FileChangeWatcher::unwatchFolderIfUnneeded(const QString& folder)
{
    for (const QString& path : std::as_const(removed_)) {
        if (folderOf(path) == folder)
            return;
    }
    if (watcher_.directories().contains(folder))
        watcher_.removePath(folder);
}

} // namespace latent::ui
