#include "app/remote/api_key_file.h"

#include "app/chat/filesystem_path.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <stdexcept>
#include <system_error>

namespace latent::app::remote {
namespace {

constexpr QFileDevice::Permissions othersCanAccess = QFileDevice::ReadGroup | QFileDevice::WriteGroup
                                                     | QFileDevice::ReadOther | QFileDevice::WriteOther;
constexpr qint64 largestKeyFile = 1024 * 1024; // far more than any number of keys

} // namespace

ApiKeyFile::ApiKeyFile(QString path) : path_(std::move(path)) {}

QString ApiKeyFile::read(const QString& endpointName) const {
    return readAll().value(endpointName).toString();
}

void ApiKeyFile::write(const QString& endpointName, const QString& key) {
    QJsonObject keys = readAll();
    keys.insert(endpointName, key);
    writeAll(keys);
}

void ApiKeyFile::remove(const QString& endpointName) {
    QJsonObject keys = readAll();
    if (keys.contains(endpointName)) {
        keys.remove(endpointName);
        writeAll(keys);
    }
}

QJsonObject ApiKeyFile::readAll() const {
    QFile file(path_);
    if (!file.exists()) {
        return {};
    }
#ifndef Q_OS_WIN // Windows keeps a user's profile folder private; POSIX bits say nothing there.
    if (file.permissions() & othersCanAccess) {
        throw std::runtime_error(tr("%1 holds API keys but other users can read it. Make it private (chmod 600 "
                                    "\"%1\") or delete it and enter the keys again in Settings > Remote models.")
                                     .arg(QDir::toNativeSeparators(path_))
                                     .toStdString());
    }
#endif
    if (file.size() > largestKeyFile || !file.open(QIODevice::ReadOnly)) {
        throw std::runtime_error(tr("%1 could not be read. Check that it is yours and readable, or delete it and "
                                    "enter the API keys again in Settings > Remote models.")
                                     .arg(QDir::toNativeSeparators(path_))
                                     .toStdString());
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        throw std::runtime_error(tr("%1 is damaged (not a JSON object of API keys). Delete it and enter the keys "
                                    "again in Settings > Remote models.")
                                     .arg(QDir::toNativeSeparators(path_))
                                     .toStdString());
    }
    return document.object();
}

void ApiKeyFile::writeAll(const QJsonObject& keys) {
    const auto cannotWrite = [this](const QString& why) {
        return std::runtime_error(tr("The API key could not be saved in %1: %2. Check that the folder exists and "
                                     "is writable.")
                                      .arg(QDir::toNativeSeparators(path_), why)
                                      .toStdString());
    };
    QDir().mkpath(QFileInfo(path_).absolutePath());
    const QString newPath = path_ + QStringLiteral(".new");
    QFile::remove(newPath); // so that open() creates it, with the permissions given
    QFile file(newPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        throw cannotWrite(file.errorString());
    }
    const QByteArray json = QJsonDocument(keys).toJson();
    if (file.write(json) != json.size() || !file.flush()) {
        const QString why = file.errorString();
        file.remove();
        throw cannotWrite(why);
    }
    file.close();
    std::error_code error;
    std::filesystem::rename(filesystemPath(newPath), filesystemPath(path_), error);
    if (error) {
        QFile::remove(newPath);
        throw cannotWrite(QString::fromStdString(error.message()));
    }
}

} // namespace latent::app::remote
