#pragma once

#include "app/chat/answer_engine.h"
#include "app/remote/chat_completion_stream.h"
#include "app/remote/model_list_request.h"
#include "app/remote/remote_endpoint.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QPointer>

#include <map>

namespace latent::app::remote {

// Answers from a model on a server that speaks the OpenAI API, through the AnswerEngine
// interface the local engine has. An answer's reasoning_content goes into its text as R1 writes
// its thinking, a <think> block before the answer (thinking_text.h), so that one renderer serves
// both. Its figures: tokens/s from the stream's timing (a chunk is a token on these servers until
// the usage chunk gives the count), the prompt and answer tokens from the usage chunk, and the
// context size when the server said it (RemoteModel::contextSize; 0: unknown).
class RemoteEngine : public AnswerEngine {
    Q_OBJECT

public:
    explicit RemoteEngine(QObject* parent = nullptr);
    ~RemoteEngine() override;

    // The model answers come from (endpoint with its key); none: generate fails.
    void choose(const RemoteEndpoint& endpoint, const RemoteModel& model);
    void clear(); // no model; every answer streaming ends as "cancelled"
    bool hasModel() const { return !model_.id.isEmpty(); }
    const RemoteEndpoint& endpoint() const { return endpoint_; }
    const RemoteModel& model() const { return model_; }
    // Which model answers, as a message keeps it: "deepseek-chat @ DeepSeek API".
    QString answeredBy() const;

    qint64 generate(const QList<ChatTurn>& messages, const GenerationOptions& options) override;
    void stop(qint64 requestId) override;

    QNetworkAccessManager& network() { return network_; }

private:
    struct Answer {
        QPointer<ChatCompletionStream> stream;
        AnswerStats stats;
        QElapsedTimer sinceFirstPiece;
        int pieces = 0;
        bool thinking = false; // inside the <think> block written so far
    };

    void onPiece(qint64 requestId, const QString& piece, bool reasoning);
    void onUsage(qint64 requestId, const RemoteUsage& usage);
    void onEnd(qint64 requestId, const QString& finishReason);
    void onFailed(qint64 requestId, const QString& message);

    QNetworkAccessManager network_;
    RemoteEndpoint endpoint_;
    RemoteModel model_;
    std::map<qint64, Answer> answers_;
};

} // namespace latent::app::remote
