#include "app/downloads/part_file_state.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace latent::app {

namespace {
constexpr qint64 maxStateBytes = 64 * 1024; // a state is a few hundred bytes; never read a huge file
}

std::optional<PartFileState> PartFileState::read(const QString& statePath)
{
    QFile file(statePath);
    if (file.size() > maxStateBytes || !file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(file.readAll()).object();
    PartFileState state;
    state.url = QUrl(object.value(QLatin1String("url")).toString());
    state.title = object.value(QLatin1String("title")).toString();
    state.sha256 = object.value(QLatin1String("sha256")).toString().toLatin1();
    state.expectedBytes = static_cast<qint64>(object.value(QLatin1String("expectedBytes")).toDouble());
    state.totalBytes = static_cast<qint64>(object.value(QLatin1String("totalBytes")).toDouble());
    state.etag = object.value(QLatin1String("etag")).toString().toLatin1();
    state.lastModified = object.value(QLatin1String("lastModified")).toString().toLatin1();
    if (!state.url.isValid() || state.url.scheme().isEmpty() || state.expectedBytes < 0 || state.totalBytes < 0)
        return std::nullopt;
    return state;
}

bool PartFileState::write(const QString& statePath) const
{
    const QJsonObject object{
        {QStringLiteral("url"), url.toString()},
        {QStringLiteral("title"), title},
        {QStringLiteral("sha256"), QString::fromLatin1(sha256)},
        {QStringLiteral("expectedBytes"), static_cast<double>(expectedBytes)},
        {QStringLiteral("totalBytes"), static_cast<double>(totalBytes)},
        {QStringLiteral("etag"), QString::fromLatin1(etag)},
        {QStringLiteral("lastModified"), QString::fromLatin1(lastModified)},
    };
    QSaveFile file(statePath);
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(object).toJson()) >= 0 && file.commit();
}

} // namespace latent::app
