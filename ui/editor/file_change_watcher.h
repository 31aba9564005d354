#pragma once

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace latent::ui {

// What happened to an open file on disk.
enum class DiskChange {
    Modified, // its content differs from what the editor last read or wrote
    Removed,  // gone (deleted or moved away)
    Restored, // back after Removed, with the content the editor knows
};

// Tells the editor panel when one of its open files changes on disk, apart from its own saves.
//
// Over QFileSystemWatcher, with three of its habits handled here: it stops watching a path when
// an atomic save (a temporary file renamed over the old one, as our editor and most others save)
// replaces the file, so every event re-adds the path; it cannot watch a file that does not exist,
// so a removed file's folder is watched until the file comes back; and its events come late and
// in bursts, so they are gathered for a moment and then judged by content: a file whose bytes
// hash to what we last read or wrote has not changed, which is how our own saves are ignored.
class FileChangeWatcher : public QObject {
    Q_OBJECT

public:
    explicit FileChangeWatcher(QObject* parent = nullptr);

    // Starts watching the file, taking its content now as known.
    void watch(const QString& path);
    void unwatch(const QString& path);
    // The file's content now is known (after our own save, a reload, or "keep mine"): changes
    // up to now are not reported. Watches it again when it was removed.
    void acknowledge(const QString& path);

signals:
    void changed(const QString& path, latent::ui::DiskChange change);

private:
    void schedule(const QString& path);
    void judgePending();
    void judge(const QString& path);
    void folderChanged(const QString& folder);
    void watchFolderOf(const QString& path);
    void unwatchFolderIfUnneeded(const QString& folder);

    QFileSystemWatcher watcher_;
    QHash<QString, QByteArray> knownHashes_; // path -> SHA-1 of the content we know
    QSet<QString> removed_;                  // watched paths that are gone from disk
    QSet<QString> pending_;                  // paths with events not judged yet
    QTimer settle_;                          // gathers a burst of events into one judgement
};

} // namespace latent::ui
