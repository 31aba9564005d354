#pragma once

#include "app/remote/remote_endpoint.h"
#include "app/remote/sse_parser.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QString>

class QNetworkAccessManager;
class QNetworkReply;

namespace latent::app::remote {

// The token counts of a usage chunk.
struct RemoteUsage {
    int promptTokens = 0;
    int completionTokens = 0;
};

// One streamed chat completion (POST {base}/chat/completions with "stream": true): the chunks'
// content and reasoning_content as they arrive, the usage chunk, and the finish_reason. It ends
// with exactly one of finished or failed. stop() closes the connection, which is how a server
// learns to stop generating. Failures are in plain words naming the endpoint: HTTP and network
// errors (remote_error_text.h), an error object in the stream, a chunk that is not JSON, an event
// or line over SseParser's bound, and a stream cut before [DONE] and before any finish_reason.
class ChatCompletionStream : public QObject {
    Q_OBJECT

public:
    // body: the request's JSON (chat_request_body.h). Starts at once.
    ChatCompletionStream(QNetworkAccessManager& network, const RemoteEndpoint& endpoint, const QByteArray& body,
                         QObject* parent = nullptr);
    ~ChatCompletionStream() override;

    void stop(); // finished("cancelled") follows at once, unless it had ended

signals:
    void started();                          // the server accepted the request (HTTP 200)
    void contentGrew(const QString& piece);
    void reasoningGrew(const QString& piece); // DeepSeek's reasoning_content (vLLM, SGLang: the same)
    void usageReported(const latent::app::remote::RemoteUsage& usage);
    // finishReason: the server's ("stop", "length", ...), or "cancelled" after stop().
    void finished(const QString& finishReason);
    void failed(const QString& message);

private:
    void onMetaData();
    void onReadyRead();
    void onReplyFinished();
    void takeEvent(const SseEvent& event);
    void fail(const QString& message);
    void finish(const QString& reason);
    void end(); // detaches and aborts the reply

    RemoteEndpoint endpoint_;
    QPointer<QNetworkReply> reply_;
    SseParser parser_;
    int httpStatus_ = 0;
    QByteArray errorBody_; // a non-200 answer's body
    QString finishReason_; // the last finish_reason seen
    bool ended_ = false;
};

} // namespace latent::app::remote

Q_DECLARE_METATYPE(latent::app::remote::RemoteUsage)
