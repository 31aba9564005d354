#pragma once

#include "app/remote/remote_endpoint.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>

class QNetworkReply;

namespace latent::app::remote {

// How long a request may wait for the next bytes (a connection, headers, the next piece of a
// stream) before it fails as timed out: a large model on a busy server can take a while to start.
constexpr int endpointTransferTimeoutMs = 120'000;
// The most a response body (a model list, an error) may hold: more is an error, not more memory.
constexpr qsizetype maxResponseBodyBytes = 4 * 1024 * 1024;

// A request to path under the endpoint's base URL ("models", "chat/completions"), with its key.
QNetworkRequest endpointRequest(const RemoteEndpoint& endpoint, const QString& path);

// Appends what reply has to body; false (and reads no more) when body would exceed the bound.
bool readBounded(QNetworkReply& reply, QByteArray& body);

} // namespace latent::app::remote
