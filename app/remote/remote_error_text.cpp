#include "app/remote/remote_error_text.h"

#include "app/remote/endpoint_request.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace latent::app::remote {
namespace {

// The translation context of the sentences (lupdate reads Q_DECLARE_TR_FUNCTIONS).
class RemoteErrorText {
    Q_DECLARE_TR_FUNCTIONS(RemoteErrorText)

public:
    static QString withoutAnswer(const QString& name, const RemoteFailure& failure) {
        if (failure.timedOut) {
            return tr("%1 did not answer for %2 seconds. Check that the server is running and not overloaded, "
                      "then try again.")
                .arg(name)
                .arg(endpointTransferTimeoutMs / 1000);
        }
        switch (failure.network) {
        case QNetworkReply::ConnectionRefusedError:
            return tr("%1 refused the connection at %2. Check that its server is running and that the base URL's "
                      "host and port are right (Settings > Remote models).")
                .arg(name, failure.url);
        case QNetworkReply::HostNotFoundError:
            return tr("%1's host was not found (%2). Check the base URL in Settings > Remote models and your network "
                      "connection.")
                .arg(name, failure.url);
        case QNetworkReply::TimeoutError:
            return tr("The connection to %1 timed out (%2). Check your network connection and that the server is "
                      "running.")
                .arg(name, failure.url);
        case QNetworkReply::RemoteHostClosedError:
            return tr("%1 closed the connection before answering. Check the server's log; it may have stopped or "
                      "restarted.")
                .arg(name);
        case QNetworkReply::SslHandshakeFailedError:
            return tr("The secure connection to %1 failed (%2): its certificate was not accepted. Check the base "
                      "URL; use http:// for a server without TLS.")
                .arg(name, failure.url);
        case QNetworkReply::ProtocolUnknownError:
            return tr("%1's base URL (%2) is not an http:// or https:// address. Correct it in Settings > Remote models.")
                .arg(name, failure.url);
        default:
            return tr("%1 could not be reached (%2). Check the base URL and your network connection.")
                .arg(name, failure.url);
        }
    }

    static QString forStatus(const QString& name, const RemoteFailure& failure) {
        const int status = failure.httpStatus;
        if (status == 401 || status == 403) {
            return tr("%1 refused the API key (HTTP %2). Check the key in Settings > Remote models.").arg(name).arg(status);
        }
        if (status == 404) {
            return tr("%1 has no such model or address (HTTP 404, %2). Check the base URL (it usually ends in /v1) "
                      "and that the server serves the model chosen.")
                .arg(name, failure.url);
        }
        if (status == 429) {
            const int seconds = retryAfterSeconds(failure.retryAfter);
            return seconds >= 0
                       ? tr("%1 is limiting requests (HTTP 429). Try again in %2 s.").arg(name).arg(seconds)
                       : tr("%1 is limiting requests (HTTP 429). Wait a moment and try again.").arg(name);
        }
        if (status == 413) {
            return tr("%1 refused the request as too large (HTTP 413). Shorten the conversation or start a new one.")
                .arg(name);
        }
        if (status >= 500) {
            return tr("%1 failed with a server error (HTTP %2). Try again later; if it persists, check the server's "
                      "log.")
                .arg(name)
                .arg(status);
        }
        return tr("%1 refused the request (HTTP %2).").arg(name).arg(status);
    }

    static QString serverSaid(const QString& message) { return tr("The server said: %1").arg(message); }
};

} // namespace

QString remoteErrorText(const QString& endpointName, const RemoteFailure& failure) {
    if (failure.httpStatus == 0) {
        return RemoteErrorText::withoutAnswer(endpointName, failure);
    }
    QString text = RemoteErrorText::forStatus(endpointName, failure);
    const QString message = openAiErrorMessage(failure.body);
    if (!message.isEmpty()) {
        text += QLatin1Char(' ') + RemoteErrorText::serverSaid(message);
    }
    return text;
}

QString openAiErrorMessage(const QByteArray& body) {
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonValue error = object.value(QLatin1String("error"));
    QString message;
    if (error.isObject()) {
        message = error.toObject().value(QLatin1String("message")).toString();
    } else if (error.isString()) {
        message = error.toString();
    } else {
        message = object.value(QLatin1String("message")).toString();
    }
    // One line of a sensible length: some servers put a whole traceback there.
    message = message.simplified();
    constexpr qsizetype longest = 500;
    if (message.size() > longest) {
        message = message.left(longest) + QChar(0x2026);
    }
    return message;
}

int retryAfterSeconds(const QByteArray& retryAfter) {
    const QByteArray value = retryAfter.trimmed();
    if (value.isEmpty()) {
        return -1;
    }
    bool isNumber = false;
    const int seconds = value.toInt(&isNumber);
    if (isNumber) {
        return seconds >= 0 ? seconds : -1;
    }
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
    if (!when.isValid()) {
        return -1;
    }
    return int(qMax<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(when)));
}

} // namespace latent::app::remote
