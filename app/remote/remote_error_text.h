#pragma once

#include <QByteArray>
#include <QNetworkReply>
#include <QString>

namespace latent::app::remote {

// What failed in a request to an endpoint, as the reply left it.
struct RemoteFailure {
    QNetworkReply::NetworkError network = QNetworkReply::NoError;
    int httpStatus = 0;     // 0: no HTTP answer came
    QByteArray body;        // the answer's body (an OpenAI error object, often)
    QByteArray retryAfter;  // the Retry-After header: seconds or an HTTP date
    bool timedOut = false;  // no bytes came for endpointTransferTimeoutMs
    QString url;
};

// The failure in plain words, in the UI's language: the endpoint's name, what happened (the server
// cannot be reached, the key was refused, the model or address is wrong, too many requests and
// when to try again, the server failed), what to do, and the server's own message when its body
// has one in OpenAI's error shape.
QString remoteErrorText(const QString& endpointName, const RemoteFailure& failure);

// The message of an OpenAI error body ({"error": {"message": ...}}, {"error": "..."} or
// {"message": ...}); empty when the body has none.
QString openAiErrorMessage(const QByteArray& body);

// Retry-After as seconds from now (a number, or an HTTP date); -1 when absent or unreadable.
int retryAfterSeconds(const QByteArray& retryAfter);

} // namespace latent::app::remote
