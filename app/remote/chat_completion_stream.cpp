#include "app/remote/chat_completion_stream.h"

#include "app/remote/endpoint_request.h"
#include "app/remote/remote_error_text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace latent::app::remote {
namespace {

// The translation context of the stream's own failures.
class ChatStreamText {
    Q_DECLARE_TR_FUNCTIONS(ChatStreamText)

public:
    static QString malformed(const QString& name, const QString& why) {
        return tr("%1 sent an answer that is not a valid stream (%2). Check that its base URL points at an "
                  "OpenAI-compatible API.")
            .arg(name, why);
    }
    static QString notJson(const QString& name) {
        return malformed(name, tr("a chunk is not JSON"));
    }
    static QString cut(const QString& name) {
        return tr("The answer from %1 was cut off: the connection closed before the answer ended. Try again; if "
                  "it persists, check the server's log.")
            .arg(name);
    }
    static QString errorInStream(const QString& name, const QString& message) {
        return tr("%1 stopped the answer with an error: %2").arg(name, message);
    }
    static QString tooLarge(const QString& name) {
        return tr("%1 sent an error body larger than %2 MiB.").arg(name).arg(maxResponseBodyBytes / (1024 * 1024));
    }
};

} // namespace

ChatCompletionStream::ChatCompletionStream(QNetworkAccessManager& network, const RemoteEndpoint& endpoint,
                                           const QByteArray& body, QObject* parent)
    : QObject(parent), endpoint_(endpoint) {
    reply_ = network.post(endpointRequest(endpoint, QStringLiteral("chat/completions")), body);
    connect(reply_, &QNetworkReply::metaDataChanged, this, &ChatCompletionStream::onMetaData);
    connect(reply_, &QNetworkReply::readyRead, this, &ChatCompletionStream::onReadyRead);
    connect(reply_, &QNetworkReply::finished, this, &ChatCompletionStream::onReplyFinished);
}

ChatCompletionStream::~ChatCompletionStream() {
    end();
}

void ChatCompletionStream::stop() {
    if (!ended_) {
        finish(QStringLiteral("cancelled"));
    }
}

void ChatCompletionStream::onMetaData() {
    if (httpStatus_ != 0 || !reply_) {
        return;
    }
    httpStatus_ = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (httpStatus_ == 200) {
        emit started();
    }
}

void ChatCompletionStream::onReadyRead() {
    if (ended_ || !reply_) {
        return;
    }
    onMetaData();
    if (httpStatus_ != 200) {
        if (!readBounded(*reply_, errorBody_)) {
            fail(ChatStreamText::tooLarge(endpoint_.name));
        }
        return;
    }
    const QList<SseEvent> events = parser_.feed(reply_->readAll());
    if (parser_.failed()) {
        fail(ChatStreamText::malformed(endpoint_.name, parser_.error()));
        return;
    }
    for (const SseEvent& event : events) {
        takeEvent(event);
        if (ended_) {
            return;
        }
    }
}

void ChatCompletionStream::takeEvent(const SseEvent& event) {
    if (event.data == "[DONE]") {
        finish(finishReason_.isEmpty() ? QStringLiteral("stop") : finishReason_);
        return;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(event.data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        fail(ChatStreamText::notJson(endpoint_.name));
        return;
    }
    const QJsonObject chunk = document.object();
    if (chunk.contains(QLatin1String("error"))) {
        const QString message = openAiErrorMessage(event.data);
        fail(ChatStreamText::errorInStream(endpoint_.name, message));
        return;
    }
    for (const QJsonValue& choice : chunk.value(QLatin1String("choices")).toArray()) {
        const QJsonObject delta = choice.toObject().value(QLatin1String("delta")).toObject();
        // vLLM since 0.9 names it "reasoning"; DeepSeek's API and SGLang "reasoning_content".
        const QString reasoning = delta.value(QLatin1String("reasoning_content")).toString()
                                  + delta.value(QLatin1String("reasoning")).toString();
        if (!reasoning.isEmpty()) {
            emit reasoningGrew(reasoning);
        }
        const QString content = delta.value(QLatin1String("content")).toString();
        if (!content.isEmpty()) {
            emit contentGrew(content);
        }
        const QString reason = choice.toObject().value(QLatin1String("finish_reason")).toString();
        if (!reason.isEmpty()) {
            finishReason_ = reason;
        }
    }
    const QJsonObject usage = chunk.value(QLatin1String("usage")).toObject();
    if (!usage.isEmpty()) {
        emit usageReported(RemoteUsage{usage.value(QLatin1String("prompt_tokens")).toInt(),
                                       usage.value(QLatin1String("completion_tokens")).toInt()});
    }
}

void ChatCompletionStream::onReplyFinished() {
    if (ended_ || !reply_) {
        return;
    }
    onReadyRead();
    if (ended_) {
        return;
    }
    const QNetworkReply::NetworkError error = reply_->error();
    if (httpStatus_ != 0 && httpStatus_ != 200) {
        RemoteFailure failure;
        failure.httpStatus = httpStatus_;
        failure.body = errorBody_;
        failure.retryAfter = reply_->rawHeader("Retry-After");
        failure.url = reply_->url().toString();
        fail(remoteErrorText(endpoint_.name, failure));
        return;
    }
    if (httpStatus_ == 0) {
        RemoteFailure failure;
        failure.network = error;
        // Qt ends a transfer that waited past its transfer timeout as "cancelled"; stop() ends it
        // before Qt could.
        failure.timedOut = error == QNetworkReply::OperationCanceledError;
        failure.url = reply_->url().toString();
        fail(remoteErrorText(endpoint_.name, failure));
        return;
    }
    // The connection closed after a 200: an answer that gave its finish_reason is whole even
    // without [DONE]; one that did not was cut.
    if (!finishReason_.isEmpty() && error == QNetworkReply::NoError) {
        finish(finishReason_);
    } else {
        fail(ChatStreamText::cut(endpoint_.name));
    }
}

void ChatCompletionStream::fail(const QString& message) {
    end();
    emit failed(message);
}

void ChatCompletionStream::finish(const QString& reason) {
    end();
    emit finished(reason);
}

void ChatCompletionStream::end() {
    ended_ = true;
    if (QNetworkReply* reply = reply_.data()) {
        reply_ = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

} // namespace latent::app::remote
