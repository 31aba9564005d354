#include "app/chat/answer_stream.h"

#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"

namespace latent::app {

AnswerStream::AnswerStream(ChatStore& store, ModelManager& models, QObject* parent)
    : QObject(parent), store_(store), models_(models)
{
    for (AnswerEngine* engine : models_.answerEngines()) {
        connect(engine, &AnswerEngine::answerStarted, this, &AnswerStream::onStarted);
        connect(engine, &AnswerEngine::piecesGenerated, this, &AnswerStream::onPieces);
        connect(engine, &AnswerEngine::finished, this, &AnswerStream::onFinished);
        connect(engine, &AnswerEngine::failed, this, &AnswerStream::onFailed);
    }
}

void AnswerStream::start(qint64 conversationId, qint64 userMessageId, const QList<ChatTurn>& turns)
{
    const GenerationOptions options = models_.generationOptions();
    Answer answer;
    answer.conversationId = conversationId;
    answer.userMessageId = userMessageId;
    answer.engine = models_.answerEngine();
    answer.model = models_.answeringModel();
    answer.requestId = answer.engine->generate(turns, options);
    answer_ = answer;
}

void AnswerStream::stop()
{
    if (answer_)
        answer_->engine->stop(answer_->requestId);
}

void AnswerStream::onStarted(qint64 requestId, const AnswerStats& stats)
{
    if (!answer_ || answer_->requestId != requestId)
        return;
    try {
        answer_->messageId = store_.addMessage(answer_->conversationId, answer_->userMessageId,
                                               QStringLiteral("assistant"), {}, false,
                                               answer_->model);
    } catch (const StoreError& error) {
        // Nowhere to keep the answer: better not to write it than to lose it.
        answer_->engine->stop(requestId);
        emit errorOccurred(tr("The answer could not be started"), QString::fromUtf8(error.what()));
        return;
    }
    emit started(stats);
}

void AnswerStream::onPieces(qint64 requestId, const QString& text, const AnswerStats& stats)
{
    if (!answer_ || answer_->requestId != requestId || !answer_->messageId)
        return;
    answer_->text += text;
    emit grew(stats);
}

void AnswerStream::onFinished(qint64 requestId, const QString& reason, const AnswerStats& stats)
{
    if (!answer_ || answer_->requestId != requestId)
        return;
    emit ended(take(), reason, {}, stats);
}

void AnswerStream::onFailed(qint64 requestId, const QString& message)
{
    if (!answer_ || answer_->requestId != requestId)
        return;
    emit ended(take(), QStringLiteral("failed"), message, {});
}

QString recordedFinishReason(const QString& reason)
{
    static const QStringList cutShort{QStringLiteral("cancelled"), QStringLiteral("maxTokens"),
                                      QStringLiteral("contextFull")};
    return cutShort.contains(reason) ? reason : QString();
}

AnswerStream::Answer AnswerStream::take()
{
    Answer answer = std::move(*answer_);
    answer_.reset();
    return answer;
}

} // namespace latent::app
