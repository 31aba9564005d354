#include "app/remote/endpoint_request.h"

#include <QNetworkReply>
#include <QUrl>

namespace latent::app::remote {

QNetworkRequest endpointRequest(const RemoteEndpoint& endpoint, const QString& path) {
    QString base = endpoint.baseUrl.trimmed();
    while (base.endsWith(QLatin1Char('/'))) {
        base.chop(1);
    }
    QNetworkRequest request(QUrl(base + QLatin1Char('/') + path));
    request.setTransferTimeout(endpointTransferTimeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json, text/event-stream");
    if (!endpoint.apiKey.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + endpoint.apiKey.toUtf8());
    }
    // Answers stream as they are made: nothing may sit in a cache or wait to be compressed.
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    return request;
}

bool readBounded(QNetworkReply& reply, QByteArray& body) {
    const qint64 available = reply.bytesAvailable();
    if (body.size() + available > maxResponseBodyBytes) {
        return false;
    }
    body.append(reply.read(available));
    return true;
}

} // namespace latent::app::remote
