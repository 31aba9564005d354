#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace latent::app::remote {

// The API keys kept where the platform has no secret store: a JSON object {endpoint name: key} in
// a file only the user may read (created 0600, and refused when others can read it). Never the
// chat database. Each call reads or rewrites the whole file (a handful of keys); a rewrite goes
// through a new file moved into place, so a crash leaves the old one or the new one.
class ApiKeyFile {
    Q_DECLARE_TR_FUNCTIONS(ApiKeyFile)

public:
    explicit ApiKeyFile(QString path);

    const QString& path() const { return path_; }
    // Throws std::runtime_error (a message naming the file and what to do) when the file cannot be
    // read or written, or when others can read it.
    QString read(const QString& endpointName) const; // empty: none kept
    void write(const QString& endpointName, const QString& key);
    void remove(const QString& endpointName);

private:
    QJsonObject readAll() const;
    void writeAll(const QJsonObject& keys);

    QString path_;
};

} // namespace latent::app::remote
