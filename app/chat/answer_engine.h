#pragma once

#include "app/chat/answer_stats.h"
#include "app/chat/chat_turn.h"
#include "engine/session/generation.h"

#include <QList>
#include <QObject>
#include <QString>

namespace latent::app {

// What writes answers: the local engine (EngineWorker) or a server that speaks the OpenAI API
// (remote::RemoteEngine). The chat and the editor's actions ask either the same way and read the
// same signals. Request ids are unique across engines (request_ids.h), so a listener connected to
// both takes only its own. The signals always arrive after generate() or stop() has returned.
class AnswerEngine : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    // Answers answerStarted (once the answer is under way), piecesGenerated, then finished; or
    // failed, with or without answerStarted before it.
    virtual qint64 generate(const QList<ChatTurn>& messages, const GenerationOptions& options) = 0;
    virtual void stop(qint64 requestId) = 0; // and every answer requested before it

signals:
    void answerStarted(qint64 requestId, const latent::app::AnswerStats& stats);
    void piecesGenerated(qint64 requestId, const QString& text, const latent::app::AnswerStats& stats);
    // reason: "endOfGeneration", "stopString", "maxTokens", "cancelled" or "contextFull".
    void finished(qint64 requestId, const QString& reason, const latent::app::AnswerStats& stats);
    void failed(qint64 requestId, const QString& message);
};

} // namespace latent::app
