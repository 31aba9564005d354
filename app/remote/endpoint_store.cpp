#include "app/remote/endpoint_store.h"

#include <QSettings>
#include <QUrl>

namespace latent::app::remote {
namespace {

const QString group = QStringLiteral("remote/endpoints");

} // namespace

EndpointStore::EndpointStore(QSettings& settings) : settings_(settings) {}

QList<RemoteEndpoint> EndpointStore::endpoints() const {
    QList<RemoteEndpoint> endpoints;
    const int count = settings_.beginReadArray(group);
    for (int i = 0; i < count; ++i) {
        settings_.setArrayIndex(i);
        RemoteEndpoint endpoint;
        endpoint.name = settings_.value(QStringLiteral("name")).toString();
        endpoint.baseUrl = settings_.value(QStringLiteral("baseUrl")).toString();
        endpoint.kind = settings_.value(QStringLiteral("kind"), QStringLiteral("custom")).toString();
        if (problemOf(endpoint).isEmpty()) {
            endpoints.append(endpoint); // one edited by hand into nonsense is left out, not fatal
        }
    }
    settings_.endArray();
    return endpoints;
}

std::optional<RemoteEndpoint> EndpointStore::find(const QString& name) const {
    for (const RemoteEndpoint& endpoint : endpoints()) {
        if (endpoint.name == name) {
            return endpoint;
        }
    }
    return std::nullopt;
}

QString EndpointStore::save(const RemoteEndpoint& endpoint) {
    const QString problem = problemOf(endpoint);
    if (!problem.isEmpty()) {
        return problem;
    }
    RemoteEndpoint kept = endpoint;
    kept.name = kept.name.trimmed();
    kept.baseUrl = kept.baseUrl.trimmed();
    kept.apiKey.clear();
    QList<RemoteEndpoint> all = endpoints();
    bool replaced = false;
    for (RemoteEndpoint& existing : all) {
        if (existing.name == kept.name) {
            existing = kept;
            replaced = true;
        }
    }
    if (!replaced) {
        all.append(kept);
    }
    write(all);
    return {};
}

void EndpointStore::remove(const QString& name) {
    QList<RemoteEndpoint> all = endpoints();
    all.removeIf([&](const RemoteEndpoint& endpoint) { return endpoint.name == name; });
    write(all);
}

QString EndpointStore::problemOf(const RemoteEndpoint& endpoint) {
    if (endpoint.name.trimmed().isEmpty()) {
        return tr("Give the endpoint a name: errors and the model picker show it.");
    }
    const QUrl url(endpoint.baseUrl.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        || url.host().isEmpty()) {
        return tr("The base URL of %1 must be an http:// or https:// address with a host, such as "
                  "http://localhost:8000/v1.")
            .arg(endpoint.name.trimmed());
    }
    return {};
}

void EndpointStore::write(const QList<RemoteEndpoint>& endpoints) {
    settings_.remove(group);
    settings_.beginWriteArray(group, int(endpoints.size()));
    for (int i = 0; i < endpoints.size(); ++i) {
        settings_.setArrayIndex(i);
        settings_.setValue(QStringLiteral("name"), endpoints[i].name);
        settings_.setValue(QStringLiteral("baseUrl"), endpoints[i].baseUrl);
        settings_.setValue(QStringLiteral("kind"), endpoints[i].kind);
    }
    settings_.endArray();
}

} // namespace latent::app::remote
