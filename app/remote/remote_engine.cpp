#include "app/remote/remote_engine.h"

#include "app/chat/request_ids.h"
#include "app/remote/chat_request_body.h"

#include <QTimer>

namespace latent::app::remote {
namespace {

// The engine's names for why an answer ended (AnswerEngine::finished) from OpenAI's finish_reason.
QString reasonOf(const QString& finishReason) {
    if (finishReason == QLatin1String("length")) {
        return QStringLiteral("maxTokens");
    }
    if (finishReason == QLatin1String("cancelled")) {
        return finishReason;
    }
    return QStringLiteral("endOfGeneration"); // "stop", and what else a server may say
}

} // namespace

RemoteEngine::RemoteEngine(QObject* parent) : AnswerEngine(parent) {}

// The streams are children: deleting them closes their connections.
RemoteEngine::~RemoteEngine() = default;

void RemoteEngine::choose(const RemoteEndpoint& endpoint, const RemoteModel& model) {
    endpoint_ = endpoint;
    model_ = model;
}

void RemoteEngine::clear() {
    // Each answer still streaming ends as "cancelled" (queued), as the local engine's do when
    // another model is loaded.
    if (!answers_.empty()) {
        stop(answers_.rbegin()->first);
    }
    endpoint_ = {};
    model_ = {};
}

QString RemoteEngine::answeredBy() const {
    return hasModel() ? model_.id + QStringLiteral(" @ ") + endpoint_.name : QString();
}

qint64 RemoteEngine::generate(const QList<ChatTurn>& messages, const GenerationOptions& options) {
    const qint64 id = nextRequestId();
    if (!hasModel()) {
        QTimer::singleShot(0, this, [this, id] {
            emit failed(id, tr("No remote model is chosen. Choose one in the model picker."));
        });
        return id;
    }
    Answer& answer = answers_[id];
    answer.stats.contextSize = model_.contextSize;
    answer.stream = new ChatCompletionStream(network_, endpoint_, chatRequestBody(model_.id, messages, options), this);
    // Queued, as the local engine's signals are: a listener never hears of an answer inside the
    // call that started or stopped it.
    const auto queued = Qt::QueuedConnection;
    ChatCompletionStream* stream = answer.stream;
    connect(stream, &ChatCompletionStream::started, this, [this, id] {
        const auto it = answers_.find(id);
        if (it != answers_.end()) {
            emit answerStarted(id, it->second.stats);
        }
    }, queued);
    connect(stream, &ChatCompletionStream::contentGrew, this,
            [this, id](const QString& piece) { onPiece(id, piece, false); }, queued);
    connect(stream, &ChatCompletionStream::reasoningGrew, this,
            [this, id](const QString& piece) { onPiece(id, piece, true); }, queued);
    connect(stream, &ChatCompletionStream::usageReported, this,
            [this, id](const RemoteUsage& usage) { onUsage(id, usage); }, queued);
    connect(stream, &ChatCompletionStream::finished, this,
            [this, id](const QString& reason) { onEnd(id, reason); }, queued);
    connect(stream, &ChatCompletionStream::failed, this,
            [this, id](const QString& message) { onFailed(id, message); }, queued);
    return id;
}

void RemoteEngine::stop(qint64 requestId) {
    for (auto& [id, answer] : answers_) {
        if (id <= requestId && answer.stream) {
            answer.stream->stop(); // finished("cancelled"), queued to onEnd
        }
    }
}

void RemoteEngine::onPiece(qint64 requestId, const QString& piece, bool reasoning) {
    const auto it = answers_.find(requestId);
    if (it == answers_.end()) {
        return;
    }
    Answer& answer = it->second;
    if (answer.pieces++ == 0) {
        answer.sinceFirstPiece.start();
    }
    // The text as thinking_text.h reads it: "<think>\n" reasoning "\n</think>\n\n" answer.
    QString text;
    if (reasoning && !answer.thinking && answer.stats.generatedTokens == 0) {
        text = QStringLiteral("<think>\n");
        answer.thinking = true;
    } else if (!reasoning && answer.thinking) {
        text = QStringLiteral("\n</think>\n\n");
        answer.thinking = false;
    }
    text += piece;
    answer.stats.generatedTokens = answer.pieces;
    answer.stats.contextUsed = answer.stats.promptTokens + answer.pieces;
    const double seconds = answer.sinceFirstPiece.nsecsElapsed() / 1e9;
    if (answer.pieces >= 2 && seconds > 0) {
        answer.stats.tokensPerSecond = (answer.pieces - 1) / seconds;
    }
    emit piecesGenerated(requestId, text, answer.stats);
}

void RemoteEngine::onUsage(qint64 requestId, const RemoteUsage& usage) {
    const auto it = answers_.find(requestId);
    if (it == answers_.end()) {
        return;
    }
    AnswerStats& stats = it->second.stats;
    stats.promptTokens = usage.promptTokens;
    stats.promptEvaluated = usage.promptTokens;
    stats.generatedTokens = usage.completionTokens;
    stats.contextUsed = usage.promptTokens + usage.completionTokens;
}

void RemoteEngine::onEnd(qint64 requestId, const QString& finishReason) {
    const auto it = answers_.find(requestId);
    if (it == answers_.end()) {
        return;
    }
    Answer answer = it->second;
    answers_.erase(it);
    if (answer.stream) {
        answer.stream->deleteLater();
    }
    if (answer.thinking) {
        // Stopped while thinking: the block is closed, so that the text reads as R1's does.
        emit piecesGenerated(requestId, QStringLiteral("\n</think>\n\n"), answer.stats);
    }
    emit finished(requestId, reasonOf(finishReason), answer.stats);
}

void RemoteEngine::onFailed(qint64 requestId, const QString& message) {
    const auto it = answers_.find(requestId);
    if (it == answers_.end()) {
        return;
    }
    if (it->second.stream) {
        it->second.stream->deleteLater();
    }
    answers_.erase(it);
    emit failed(requestId, message);
}

} // namespace latent::app::remote
