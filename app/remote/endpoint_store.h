#pragma once

#include "app/remote/remote_endpoint.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

class QSettings;

namespace latent::app::remote {

// The endpoints the user added: name, base URL and kind in the settings (never the key:
// ApiKeyStore keeps it). Names are unique; they are what the key and every error go by.
class EndpointStore {
    Q_DECLARE_TR_FUNCTIONS(EndpointStore)

public:
    explicit EndpointStore(QSettings& settings);

    QList<RemoteEndpoint> endpoints() const; // in the order added; apiKey empty
    std::optional<RemoteEndpoint> find(const QString& name) const;
    // Adds endpoint, or replaces the one of its name. Returns what is wrong with it (an empty
    // name, a base URL that is not http:// or https:// with a host), or empty when it was kept.
    QString save(const RemoteEndpoint& endpoint);
    void remove(const QString& name);

    // What is wrong with a name or a base URL, in plain words; empty when nothing is.
    static QString problemOf(const RemoteEndpoint& endpoint);

private:
    void write(const QList<RemoteEndpoint>& endpoints);

    QSettings& settings_;
};

} // namespace latent::app::remote
