#pragma once

#include "app/chat/answer_stats.h"
#include "app/chat/answer_engine.h"
#include "app/chat/chat_turn.h"

#include <QObject>
#include <QString>

#include <optional>

namespace latent::app {

class ChatStore;
class ModelManager;

// The answer being written: asked of the model manager's answer engine (the local worker or a
// remote model) with its sampling settings, its message added to the store when the engine starts
// it, its text as the pieces arrive. One at a time; the engines' signals for other requests are
// not its.
class AnswerStream : public QObject {
    Q_OBJECT

public:
    struct Answer {
        qint64 requestId = 0;
        qint64 conversationId = 0;
        qint64 userMessageId = 0;
        qint64 messageId = 0; // 0 until the worker started it and the store took its message
        QString text;
        AnswerEngine* engine = nullptr; // the one writing it: the local engine or a remote one
        QString model;                  // as the message keeps it (ModelManager::answeringModel)
    };

    AnswerStream(ChatStore& store, ModelManager& models, QObject* parent = nullptr);

    const Answer* current() const { return answer_ ? &*answer_ : nullptr; }
    // An answer to the last of turns, the user's message userMessageId.
    void start(qint64 conversationId, qint64 userMessageId, const QList<ChatTurn>& turns);
    void stop(); // the worker ends it: ended() follows with reason "cancelled"

signals:
    void started(const latent::app::AnswerStats& stats); // current()->messageId is in the store
    void grew(const latent::app::AnswerStats& stats);    // current()->text has new pieces
    // The answer is over (current() is null again): reason as EngineWorker::finished gives it, or
    // "failed" with the worker's message.
    void ended(const latent::app::AnswerStream::Answer& answer, const QString& reason, const QString& message,
               const latent::app::AnswerStats& stats);
    void errorOccurred(const QString& title, const QString& message);

private:
    void onStarted(qint64 requestId, const AnswerStats& stats);
    void onPieces(qint64 requestId, const QString& text, const AnswerStats& stats);
    void onFinished(qint64 requestId, const QString& reason, const AnswerStats& stats);
    void onFailed(qint64 requestId, const QString& message);
    Answer take(); // the answer, no longer current

    ChatStore& store_;
    ModelManager& models_;
    std::optional<Answer> answer_;
};

// Why an answer ended, as the store keeps it (Message::finishReason): the reason of ended() when
// the answer was cut short ("cancelled", "maxTokens", "contextFull"); empty when the model ended
// it or a stop string did, and for a failure, which is reported as an error instead.
QString recordedFinishReason(const QString& reason);

} // namespace latent::app

Q_DECLARE_METATYPE(latent::app::AnswerStream::Answer)
