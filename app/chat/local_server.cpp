#include "app/chat/local_server.h"

#include "app/chat/engine_worker.h"
#include "app/chat/model_manager.h"
#include "app/remote/api_key_file.h"
#include "app/server/openai_server.h"
#include "engine/core/error.h"

#include <QRandomGenerator>
#include <QSettings>

#include <array>

namespace latent::app {

namespace {

const QString kGroup = QStringLiteral("localServer");
const QString kKeyName = QStringLiteral("local server");
constexpr int kMaxParallel = 8;

QVariant setting(const QString& key, const QVariant& fallback)
{
    QSettings settings;
    settings.beginGroup(kGroup);
    return settings.value(key, fallback);
}

// 32 random bytes from the system's generator, as URL-safe Base64: what an editor's config holds.
QString randomKey()
{
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray bytes(reinterpret_cast<const char*>(words.data()), sizeof(words));
    return QStringLiteral("latent-")
           + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

LocalServer::LocalServer(ModelManager& models, QString keyFile, QObject* parent)
    : QObject(parent), models_(models), keyFile_(std::move(keyFile))
{
    enabled_ = setting(QStringLiteral("enabled"), false).toBool();
    port_ = setting(QStringLiteral("port"), 8080).toInt();
    otherMachines_ = setting(QStringLiteral("otherMachines"), false).toBool();
    parallel_ = std::clamp(setting(QStringLiteral("parallel"), 1).toInt(), 1, kMaxParallel);
    try {
        apiKey_ = remote::ApiKeyFile(keyFile_).read(kKeyName);
    } catch (const std::exception& error) {
        errorMessage_ = QString::fromUtf8(error.what());
        enabled_ = false; // a server on other machines' reach without its key would be open to them
    }
    restart();
}

LocalServer::~LocalServer()
{
    stop();
}

QString LocalServer::address() const
{
    if (!server_)
        return {};
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(boundPort_);
}

void LocalServer::setEnabled(bool enabled)
{
    if (enabled == enabled_)
        return;
    enabled_ = enabled;
    remember(QStringLiteral("enabled"), enabled);
    restart();
}

void LocalServer::setPort(int port)
{
    if (port == port_ || port < 0 || port > 65535)
        return;
    port_ = port;
    remember(QStringLiteral("port"), port);
    restart();
}

void LocalServer::setOtherMachines(bool otherMachines)
{
    if (otherMachines == otherMachines_)
        return;
    if (otherMachines && apiKey_.isEmpty()) {
        const QString key = randomKey();
        saveKey(key);
        if (apiKey_ != key)
            return; // not saved: errorMessage says why, and the server stays on this machine only
    }
    otherMachines_ = otherMachines;
    remember(QStringLiteral("otherMachines"), otherMachines);
    restart();
}

void LocalServer::setParallel(int parallel)
{
    parallel = std::clamp(parallel, 1, kMaxParallel);
    if (parallel == parallel_)
        return;
    parallel_ = parallel;
    remember(QStringLiteral("parallel"), parallel);
    restart();
}

void LocalServer::makeNewKey()
{
    saveKey(randomKey());
    restart();
}

void LocalServer::forgetKey()
{
    try {
        remote::ApiKeyFile(keyFile_).remove(kKeyName);
    } catch (const std::exception& error) {
        errorMessage_ = QString::fromUtf8(error.what());
        emit changed();
        return;
    }
    apiKey_.clear();
    otherMachines_ = false;
    remember(QStringLiteral("otherMachines"), false);
    restart();
}

void LocalServer::saveKey(const QString& key)
{
    try {
        remote::ApiKeyFile(keyFile_).write(kKeyName, key);
        apiKey_ = key;
    } catch (const std::exception& error) {
        errorMessage_ = QString::fromUtf8(error.what());
    }
    emit changed();
}

void LocalServer::remember(const QString& name, const QVariant& value)
{
    QSettings settings;
    settings.beginGroup(kGroup);
    settings.setValue(name, value);
}

void LocalServer::stop()
{
    if (!server_)
        return;
    // The worker gives the model back to the server no more; the requests running end now.
    models_.worker()->shareModelWith(nullptr);
    server_->stop();
    server_.reset();
    boundPort_ = 0;
}

void LocalServer::restart()
{
    stop();
    errorMessage_.clear();
    if (enabled_) {
        server::ServerOptions options;
        options.host = otherMachines_ ? "0.0.0.0" : "127.0.0.1";
        options.port = port_;
        options.apiKey = apiKey_.toStdString();
        options.parallel = parallel_;
        try {
            auto server = std::make_shared<server::OpenAiServer>(options);
            boundPort_ = server->start();
            server_ = std::move(server);
            models_.worker()->shareModelWith(server_);
        } catch (const Error&) { // the server's own message advises latent-cli's options
            errorMessage_ = tr("The local server could not listen on port %1: another program is using it. "
                               "Choose another port in Settings > Local server, or stop that program.")
                                .arg(port_);
        }
    }
    emit changed();
}

} // namespace latent::app
