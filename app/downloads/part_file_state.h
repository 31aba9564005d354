#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace latent::app {

// What a download keeps beside its partial file (NAME.gguf.part.json next to NAME.gguf.part), so
// that a restarted app finds its downloads paused where they were and resumes them with a Range
// request that the server honours only if the file has not changed since (If-Range).
struct PartFileState {
    QUrl url;
    QString title; // what the list shows
    QByteArray sha256; // expected, lower-case hex; empty: checked by size only
    qint64 expectedBytes = 0; // exact size, or 0 when only the server's length is known
    qint64 totalBytes = 0; // the length the server announced; 0 before the first answer
    QByteArray etag; // the server's validator for If-Range, when it gave one
    QByteArray lastModified; // the other validator, used when there is no ETag

    static QString pathFor(const QString& partPath) { return partPath + QStringLiteral(".json"); }
    // nullopt when the file is missing, unreadable or not a state this version wrote
    static std::optional<PartFileState> read(const QString& statePath);
    bool write(const QString& statePath) const; // atomically (QSaveFile)
};

} // namespace latent::app
