#pragma once

#include "app/chat/answer_engine.h"
#include "app/chat/answer_stats.h"
#include "app/chat/cancel_flags.h"
#include "app/chat/chat_turn.h"
#include "app/coding/completion_run.h"
#include "app/server/engine_turns.h"
#include "app/server/served_model.h"
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

namespace latent::server {
class OpenAiServer;
}

namespace latent::app {

// Where a completion ended: the sizes of completion_run.h's result.
struct CompletionStats {
    int promptTokens = 0;
    int evaluatedTokens = 0; // the prompt's tokens that were not in the completion session's cache
    int generatedTokens = 0;
    double seconds = 0;
};

// The engine on its own thread: one loaded model, its chat format and one session whose cache is
// kept across answers (a follow-up evaluates only the tokens after the prefix it shares with the
// last prompt). Completions in the code editor (fill-in-the-middle) run on the same thread in a
// session of their own, on the chat's model or on a model loaded for them alone; a chat answer
// goes first (it cancels a completion running, and a completion asked for during an answer runs
// after it, unless a newer one has been asked for by then). Every public method may be called from any thread and returns at once: the work
// is queued to the worker's thread, and results come back as signals (queued to the receiver).
// Stopping an answer and cancelling a load set atomics that the engine polls between tokens and
// between tensors.
class EngineWorker : public AnswerEngine {
    Q_OBJECT

public:
    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // Frees the model loaded, then loads path; contextSize is capped at the model's own.
    // Answers loadProgress, then loaded, loadFailed or loadCancelled, with the id returned. A
    // cancelled load leaves the model that was loaded before it (loadCancelled says which).
    qint64 load(const QString& path, const QString& backend, int threads, int contextSize);
    void cancelLoad(qint64 loadId); // and every load queued before it
    void unload();                  // answers unloaded

    // AnswerEngine's: answerStarted once the conversation is known to fit, piecesGenerated batched
    // (about 30 a second at most); failed without answerStarted when it cannot start (no model, a
    // conversation longer than the context).
    qint64 generate(const QList<ChatTurn>& messages, const GenerationOptions& options) override;
    void stop(qint64 requestId) override;
    void stopAnswers();          // every answer requested so far

    // The tokens the conversation takes in the loaded model's chat format: answers tokensCounted.
    qint64 countTokens(const QList<ChatTurn>& messages);

    // A completion at the cursor: answers completionGrew as it is generated, then completed; or
    // completionSkipped (cancelled, or a newer request came first) or completionFailed (no
    // model, or one without fill-in-the-middle tokens: the message says which models have them).
    qint64 complete(const CompletionRequest& request);
    void cancelCompletion(qint64 requestId); // and every completion requested before it
    // Completions on a model of their own (answers completionModelLoaded or completionModelFailed),
    // or, after useChatModelForCompletion, on the chat's model (the default).
    void loadCompletionModel(const QString& path, const QString& backend, int threads);
    void useChatModelForCompletion();

    // The local server (local_server.h) answers with the chat's model too: from now on the worker
    // gives it each model it loads, and takes the model back before freeing it. The server's
    // requests and the worker's answers and completions take turns on the engine (engineLock_).
    // nullptr: no server.
    void shareModelWith(std::shared_ptr<server::OpenAiServer> server);

signals:
    void loadProgress(qint64 loadId, double fraction);
    // The facts of ModelManager::modelFacts (see model_facts.h) with backend and contextSize.
    void loaded(qint64 loadId, const QVariantMap& facts);
    void loadFailed(qint64 loadId, const QString& message);
    // The facts of the model loaded now, the one loaded before the cancelled load (empty: none).
    void loadCancelled(qint64 loadId, const QVariantMap& facts);
    void unloaded();

    void tokensCounted(qint64 requestId, int tokens, int contextSize);

    void completionGrew(qint64 requestId, const QString& text); // the completion so far
    void completed(qint64 requestId, const QString& text, const latent::app::CompletionStats& stats);
    void completionSkipped(qint64 requestId);
    void completionFailed(qint64 requestId, const QString& message);
    void completionModelLoaded(const QVariantMap& facts);
    void completionModelFailed(const QString& path, const QString& message);

private:
    // What load was asked, kept with the model it loaded so that a cancelled load can return to it.
    struct LoadRequest {
        QString path;
        QString backend;
        int threads = 0;
        int contextSize = 0;
    };
    struct Model {
        LoadedModel loaded;
        chat::ChatFormat format{};
        std::unique_ptr<Session> session{};    // the chat's; references loaded.model: declared after it
        std::unique_ptr<Session> completion{}; // completions', made on the first one
        LoadRequest request{};                 // for the chat's model: how it was loaded
        QVariantMap facts{};                   // for the chat's model: what loaded said
    };

    void runLoad(const CancelFlags::Request& load, const LoadRequest& request);
    // Opens the chat's model (model_ must be empty); throws what LoadedModel::open throws.
    void openChatModel(const LoadRequest& request, const LoadProgress& progress);
    QVariantMap returnTo(const LoadRequest& previous);
    void runUnload();
    void runGenerate(const CancelFlags::Request& request, const QList<ChatTurn>& messages,
                     const GenerationOptions& options);
    void runCount(qint64 requestId, const QList<ChatTurn>& messages);
    std::vector<int32_t> promptOf(const QList<ChatTurn>& messages) const;
    void runComplete(const CancelFlags::Request& request, const CompletionRequest& completion);
    void runLoadCompletionModel(const QString& path, const QString& backend, int threads);
    Model* completionTarget(QString* whyNot);
    server::ServedModel servedModel(); // the chat's model, for server_

    std::optional<Model> model_;
    std::optional<Model> completionModel_; // none: completions use model_
    CancelFlags loads_;
    CancelFlags answers_;
    CancelFlags completions_;
    std::atomic<qint64> lastCompletionId_{0};
    std::atomic<qint64> lastCountId_{0};
    std::atomic<qint64> lastLoadId_{0};
    std::shared_ptr<server::OpenAiServer> server_; // used on the worker's thread only
    server::EngineTurns engineLock_;
};

} // namespace latent::app

Q_DECLARE_METATYPE(latent::app::CompletionStats)
