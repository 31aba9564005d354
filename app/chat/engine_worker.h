#pragma once

#include "app/chat/answer_stats.h"
#include "app/chat/cancel_flags.h"
#include "engine/chat/chat_template.h"
#include "engine/model/loaded_model.h"
#include "engine/session/generator.h"
#include "engine/session/session.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QVariantMap>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace latent::app {

// One message of the conversation an answer continues.
struct ChatTurn {
    QString role; // "system", "user" or "assistant"
    QString content;
};

// The engine on its own thread: one loaded model, its chat format and one session whose cache is
// kept across answers (a follow-up evaluates only the tokens after the prefix it shares with the
// last prompt). Every public method may be called from any thread and returns at once: the work
// is queued to the worker's thread, and results come back as signals (queued to the receiver).
// Stopping an answer and cancelling a load set atomics that the engine polls between tokens and
// between tensors.
class EngineWorker : public QObject {
    Q_OBJECT

public:
    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // Frees the model loaded, then loads path; contextSize is capped at the model's own.
    // Answers loadProgress, then loaded, loadFailed or loadCancelled, with the id returned.
    qint64 load(const QString& path, const QString& backend, int threads, int contextSize);
    void cancelLoad(qint64 loadId); // and every load queued before it
    void unload();                  // answers unloaded

    // Answers answerStarted (once the conversation is known to fit), piecesGenerated (batched,
    // about 30 a second at most), then finished; or failed without answerStarted when it cannot
    // start (no model, a conversation longer than the context).
    qint64 generate(const QList<ChatTurn>& messages, const GenerationOptions& options);
    void stop(qint64 requestId); // and every answer requested before it
    void stopAnswers();          // every answer requested so far

    // The tokens the conversation takes in the loaded model's chat format: answers tokensCounted.
    qint64 countTokens(const QList<ChatTurn>& messages);

signals:
    void loadProgress(qint64 loadId, double fraction);
    // The facts of ModelManager::modelFacts (see model_facts.h) with backend and contextSize.
    void loaded(qint64 loadId, const QVariantMap& facts);
    void loadFailed(qint64 loadId, const QString& message);
    void loadCancelled(qint64 loadId);
    void unloaded();

    void answerStarted(qint64 requestId, const latent::app::AnswerStats& stats);
    void piecesGenerated(qint64 requestId, const QString& text, const latent::app::AnswerStats& stats);
    // reason: "endOfGeneration", "stopString", "maxTokens", "cancelled" or "contextFull".
    void finished(qint64 requestId, const QString& reason, const latent::app::AnswerStats& stats);
    void failed(qint64 requestId, const QString& message);

    void tokensCounted(qint64 requestId, int tokens, int contextSize);

private:
    struct Model {
        LoadedModel loaded;
        chat::ChatFormat format;
        std::unique_ptr<Session> session; // references loaded.model: declared after it
    };

    void runLoad(const CancelFlags::Request& load, const QString& path, const QString& backend, int threads,
                 int contextSize);
    void runUnload();
    void runGenerate(const CancelFlags::Request& request, const QList<ChatTurn>& messages,
                     const GenerationOptions& options);
    void runCount(qint64 requestId, const QList<ChatTurn>& messages);
    std::vector<int32_t> promptOf(const QList<ChatTurn>& messages) const;

    std::optional<Model> model_;
    CancelFlags loads_;
    CancelFlags answers_;
    std::atomic<qint64> lastCountId_{0};
};

} // namespace latent::app
