#include "app/chat/engine_worker.h"

#include "app/chat/context_limit.h"
#include "app/chat/filesystem_path.h"
#include "app/chat/load_error_text.h"
#include "app/chat/model_facts.h"
#include "app/chat/piece_batcher.h"
#include "app/chat/system_memory.h"
#include "app/server/openai_server.h"
#include "engine/core/error.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QMetaObject>
#include <QScopeGuard>

#include <algorithm>
#include <new>

namespace latent::app {
namespace {

// Pieces are gathered for this long before they cross to the UI thread: about 30 signals a
// second, however fast the model writes.
constexpr qint64 kPieceIntervalMs = 33;
// Load progress is sent when it has moved this much (a large model has thousands of tensors).
constexpr double kProgressStep = 0.005;

QString stopReasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::EndOfGeneration: return QStringLiteral("endOfGeneration");
    case StopReason::StopString: return QStringLiteral("stopString");
    case StopReason::MaxTokens: return QStringLiteral("maxTokens");
    case StopReason::Cancelled: return QStringLiteral("cancelled");
    case StopReason::ContextFull: return QStringLiteral("contextFull");
    }
    return {};
}

// A model must fit in the memory the machine has free, or loading it swaps the machine to a halt.
std::optional<QString> memoryShortage(const QString& path)
{
    const qint64 size = QFileInfo(path).size();
    const std::optional<qint64> available = availableMemoryBytes();
    if (!available || size <= *available)
        return std::nullopt;
    return EngineWorker::tr("%1 is %2, but only %3 of memory is available. Close other programs, or choose a "
                            "smaller quantization of this model (for example Q4_K_M instead of Q8_0).")
        .arg(QFileInfo(path).fileName(), fileSizeText(size), fileSizeText(*available));
}

QString outOfMemory(const QString& doing)
{
    return EngineWorker::tr("Out of memory while %1. Close other programs, choose a smaller context size in "
                            "Settings, or a smaller quantization of the model.")
        .arg(doing);
}

QString unexpected(const std::exception& error)
{
    return EngineWorker::tr("%1 (an unexpected error: please report it, naming the model file)")
        .arg(QString::fromUtf8(error.what()));
}

// Room in a completion session for the longest prompt and completion a request may make; rounded
// up so that a setting moved a little does not make a new cache.
int64_t completionCapacity(const CompletionRequest& request, int64_t modelContext)
{
    constexpr int64_t kStep = 512;
    const int64_t needed = int64_t(request.window.maxPromptTokens) + request.maxTokens + 1;
    return std::min(modelContext, (needed + kStep - 1) / kStep * kStep);
}

} // namespace

EngineWorker::EngineWorker(QObject* parent) : AnswerEngine(parent)
{
    qRegisterMetaType<AnswerStats>();
    qRegisterMetaType<CompletionStats>();
}

EngineWorker::~EngineWorker() = default;

qint64 EngineWorker::load(const QString& path, const QString& backend, int threads, int contextSize)
{
    const CancelFlags::Request request = loads_.add();
    lastLoadId_ = request.id;
    QMetaObject::invokeMethod(
        this, [=, this] { runLoad(request, {path, backend, threads, contextSize}); }, Qt::QueuedConnection);
    return request.id;
}

void EngineWorker::cancelLoad(qint64 loadId)
{
    loads_.cancelUpTo(loadId);
}

void EngineWorker::unload()
{
    QMetaObject::invokeMethod(this, [this] { runUnload(); }, Qt::QueuedConnection);
}

qint64 EngineWorker::generate(const QList<ChatTurn>& messages, const GenerationOptions& options)
{
    completions_.cancelAll(); // the answer goes first
    const CancelFlags::Request request = answers_.add();
    QMetaObject::invokeMethod(
        this, [=, this] { runGenerate(request, messages, options); }, Qt::QueuedConnection);
    return request.id;
}

void EngineWorker::stop(qint64 requestId)
{
    answers_.cancelUpTo(requestId);
}

void EngineWorker::stopAnswers()
{
    answers_.cancelAll();
}

qint64 EngineWorker::countTokens(const QList<ChatTurn>& messages)
{
    const qint64 id = ++lastCountId_;
    QMetaObject::invokeMethod(this, [=, this] { runCount(id, messages); }, Qt::QueuedConnection);
    return id;
}

qint64 EngineWorker::complete(const CompletionRequest& completion)
{
    const CancelFlags::Request request = completions_.add();
    lastCompletionId_ = request.id;
    QMetaObject::invokeMethod(
        this, [=, this] { runComplete(request, completion); }, Qt::QueuedConnection);
    return request.id;
}

void EngineWorker::cancelCompletion(qint64 requestId)
{
    completions_.cancelUpTo(requestId);
}

void EngineWorker::loadCompletionModel(const QString& path, const QString& backend, int threads)
{
    QMetaObject::invokeMethod(
        this, [=, this] { runLoadCompletionModel(path, backend, threads); }, Qt::QueuedConnection);
}

void EngineWorker::useChatModelForCompletion()
{
    QMetaObject::invokeMethod(this, [this] { completionModel_.reset(); }, Qt::QueuedConnection);
}

void EngineWorker::shareModelWith(std::shared_ptr<server::OpenAiServer> server)
{
    QMetaObject::invokeMethod(
        this,
        [this, server = std::move(server)] {
            if (server_)
                server_->setModel(std::nullopt);
            server_ = server;
            if (server_ && model_)
                server_->setModel(servedModel());
        },
        Qt::QueuedConnection);
}

server::ServedModel EngineWorker::servedModel()
{
    return {.name = QFileInfo(model_->request.path).completeBaseName().toStdString(),
            .model = model_->loaded.model.get(),
            .tokenizer = model_->loaded.tokenizer.get(),
            .chatFormat = model_->format,
            .contextLength = model_->session->capacity(),
            .engineLock = &engineLock_};
}

// A cancelled load returns to the model loaded before it by loading that again, rather than
// keeping it loaded until the new one is ready: two models at once could exceed the memory (the
// check before a load counts one), and on a GPU the old model's weights would make "auto" see too
// little free device memory and move the new one to the CPU. The old file is usually still in the
// page cache, so loading it again is quick.
void EngineWorker::runLoad(const CancelFlags::Request& load, const LoadRequest& request)
{
    const auto done = qScopeGuard([&] { loads_.remove(load.id); });
    if (*load.cancelled) { // before anything was unloaded: the model loaded stays
        emit loadCancelled(load.id, model_ ? model_->facts : QVariantMap());
        return;
    }
    const std::optional<LoadRequest> previous = model_ ? std::optional(model_->request) : std::nullopt;
    runUnload(); // first, so that two models never take memory at once
    if (const std::optional<QString> shortage = memoryShortage(request.path)) {
        emit loadFailed(load.id, *shortage);
        return;
    }
    double reported = -1;
    const LoadProgress progress = [&](double fraction) {
        if (fraction - reported >= kProgressStep || fraction == 1) {
            reported = fraction;
            emit loadProgress(load.id, fraction);
        }
        return !*load.cancelled;
    };
    try {
        openChatModel(request, progress);
        emit loaded(load.id, model_->facts);
    } catch (const LoadCancelled&) {
        // A newer load replaces this one anyway: returning to the previous model would be wasted.
        const bool newerLoadQueued = load.id < lastLoadId_;
        emit loadCancelled(load.id, previous && !newerLoadQueued ? returnTo(*previous) : QVariantMap());
    } catch (const Error& error) {
        emit loadFailed(load.id, loadErrorText(error, request.path));
    } catch (const std::bad_alloc&) {
        emit loadFailed(load.id, outOfMemory(tr("loading %1").arg(QFileInfo(request.path).fileName())));
    } catch (const std::exception& error) {
        emit loadFailed(load.id, unexpected(error));
    }
}

void EngineWorker::openChatModel(const LoadRequest& request, const LoadProgress& progress)
{
    LoadOptions options{request.backend.toStdString(), size_t(std::max(request.threads, 0)), progress};
    options.contextLength = request.contextSize;
    LoadedModel opened = LoadedModel::open(filesystemPath(request.path), options);
    const chat::ChatFormatChoice format = chat::chooseChatFormat(opened.file->metadata(), std::nullopt);
    const int64_t modelContext = opened.model->info().contextLength;
    const int64_t context =
        request.contextSize > 0 ? std::min<int64_t>(request.contextSize, modelContext) : modelContext;
    auto session = std::make_unique<Session>(*opened.model, SessionOptions{context, 512});
    QVariantMap facts = modelFileFacts(*opened.file, request.path);
    facts.insert(backendFacts(*opened.backend));
    facts[QStringLiteral("backendReason")] = QString::fromStdString(opened.backendReason);
    facts[QStringLiteral("contextSize")] = qint64(session->capacity());
    facts[QStringLiteral("fillInMiddle")] = canFillInMiddle(*opened.tokenizer);
    model_.emplace(Model{std::move(opened), format.format, std::move(session), nullptr, request, std::move(facts)});
    if (server_)
        server_->setModel(servedModel());
}

// The facts of the previous model loaded again; empty when it no longer loads (its file gone).
QVariantMap EngineWorker::returnTo(const LoadRequest& previous)
{
    try {
        openChatModel(previous, [](double) { return true; });
        return model_->facts;
    } catch (const std::exception& error) {
        qWarning("the model loaded before a cancelled load could not be loaded again: %s", error.what());
        return {};
    }
}

void EngineWorker::runUnload()
{
    if (!model_)
        return;
    if (server_)
        server_->setModel(std::nullopt); // returns once its requests on the model have ended
    model_.reset();
    emit unloaded();
}

std::vector<int32_t> EngineWorker::promptOf(const QList<ChatTurn>& messages) const
{
    std::vector<chat::ChatMessage> turns;
    turns.reserve(size_t(messages.size()));
    for (const ChatTurn& message : messages)
        turns.push_back({message.role.toStdString(), message.content.toStdString()});
    return model_->loaded.chatPrompt(model_->format, turns);
}

void EngineWorker::runGenerate(const CancelFlags::Request& request, const QList<ChatTurn>& messages,
                               const GenerationOptions& options)
{
    const qint64 id = request.id;
    const auto done = qScopeGuard([&] { answers_.remove(id); });
    if (!model_) {
        emit failed(id, tr("No model is loaded. Open a model file first."));
        return;
    }
    Session& session = *model_->session;
    const std::lock_guard turn(engineLock_); // the local server's requests wait for the answer
    try {
        const std::vector<int32_t> prompt = promptOf(messages);
        const auto promptTokens = int64_t(prompt.size());
        if (promptTokens >= session.capacity()) {
            const ContextLimit limit{int(session.capacity()), int(model_->loaded.model->info().contextLength)};
            emit failed(id, tr("This conversation is %L1 tokens long and the context holds %L2, which leaves no "
                               "room for an answer. %3")
                                .arg(promptTokens)
                                .arg(session.capacity())
                                .arg(limit.advice()));
            return;
        }
        if (*request.cancelled) {
            emit finished(id, stopReasonName(StopReason::Cancelled), {.contextSize = int(session.capacity())});
            return;
        }
        // At least the last prompt token is evaluated again: its logits start the answer.
        const int64_t kept = std::min(session.sharedPrefix(prompt), promptTokens - 1);
        session.truncate(kept);
        AnswerStats stats{.promptTokens = int(promptTokens),
                          .promptEvaluated = int(promptTokens - kept),
                          .contextUsed = int(promptTokens),
                          .contextSize = int(session.capacity())};
        emit answerStarted(id, stats);

        PieceBatcher batcher(session, promptTokens, kPieceIntervalMs,
                             [&](const QString& text, const AnswerStats& now) { emit piecesGenerated(id, text, now); });
        const GenerationResult result =
            latent::generate(session, *model_->loaded.tokenizer, std::span(prompt).subspan(size_t(kept)), options,
                             [&](std::string_view piece) { batcher.add(piece); }, request.cancelled.get());
        batcher.flush();
        stats.generatedTokens = int(result.tokens.size());
        // The last token of an answer that filled the context was made but has no place in it.
        stats.contextUsed = int(std::min(promptTokens + stats.generatedTokens, session.capacity()));
        if (result.generateSeconds > 0)
            stats.tokensPerSecond = double(result.tokens.size()) / result.generateSeconds;
        emit finished(id, stopReasonName(result.reason), stats);
    } catch (const Error& error) {
        session.reset(); // what it holds may be half of a batch
        emit failed(id, QString::fromUtf8(error.what()));
    } catch (const std::bad_alloc&) {
        session.reset();
        emit failed(id, outOfMemory(tr("writing an answer")));
    } catch (const std::exception& error) {
        session.reset();
        emit failed(id, unexpected(error));
    }
}

void EngineWorker::runCount(qint64 requestId, const QList<ChatTurn>& messages)
{
    if (!model_) {
        emit tokensCounted(requestId, 0, 0);
        return;
    }
    try {
        emit tokensCounted(requestId, int(promptOf(messages).size()), int(model_->session->capacity()));
    } catch (const std::exception& error) {
        qWarning("counting the conversation's tokens failed: %s", error.what());
        emit tokensCounted(requestId, 0, int(model_->session->capacity()));
    }
}

} // namespace latent::app

namespace latent::app {

EngineWorker::Model* EngineWorker::completionTarget(QString* whyNot)
{
    Model* target = completionModel_ ? &*completionModel_ : model_ ? &*model_ : nullptr;
    if (!target) {
        *whyNot = tr("No model is loaded for code completion. Open a model, or choose one in Code ▸ Completion "
                     "Model.");
        return nullptr;
    }
    if (!canFillInMiddle(*target->loaded.tokenizer)) {
        *whyNot = tr("%1 has no fill-in-the-middle tokens, so it cannot complete code as you type. DeepSeek-Coder "
                     "base models (1.3B, 6.7B, 33B) and DeepSeek-Coder-V2(-Lite) have them: choose one as the "
                     "completion model in Code ▸ Completion Model.")
                      .arg(QFileInfo(QString::fromStdString(target->loaded.file->source())).fileName());
        return nullptr;
    }
    return target;
}

void EngineWorker::runComplete(const CancelFlags::Request& request, const CompletionRequest& completion)
{
    const qint64 id = request.id;
    const auto done = qScopeGuard([&] { completions_.remove(id); });
    // Only the newest request is worth running: one asked for while an answer streamed waits for
    // it here, and is dropped if the user typed on since.
    if (*request.cancelled || id < lastCompletionId_) {
        emit completionSkipped(id);
        return;
    }
    QString whyNot;
    Model* target = completionTarget(&whyNot);
    if (!target) {
        emit completionFailed(id, whyNot);
        return;
    }
    const std::lock_guard turn(engineLock_); // the local server's requests wait for the completion
    try {
        const int64_t capacity = completionCapacity(completion, target->loaded.model->info().contextLength);
        if (!target->completion || target->completion->capacity() < capacity)
            target->completion = std::make_unique<Session>(*target->loaded.model, SessionOptions{capacity, 128});
        // A model with a short context takes a shorter window, leaving room for the completion.
        CompletionRequest fitted = completion;
        fitted.window.maxPromptTokens =
            int(std::min<int64_t>(fitted.window.maxPromptTokens, capacity - fitted.maxTokens - 1));
        QElapsedTimer sinceSent;
        const CompletionResult result = runCompletion(
            *target->completion, *target->loaded.tokenizer, fitted, request.cancelled.get(),
            [&](const QString& text) {
                if (!sinceSent.isValid() || sinceSent.elapsed() >= kPieceIntervalMs) {
                    sinceSent.start();
                    emit completionGrew(id, text);
                }
            });
        if (result.cancelled) {
            emit completionSkipped(id);
            return;
        }
        emit completed(id, result.text,
                       {result.promptTokens, result.evaluatedTokens, result.generatedTokens, result.seconds});
    } catch (const Error& error) {
        target->completion.reset(); // what it holds may be half of a batch
        emit completionFailed(id, QString::fromUtf8(error.what()));
    } catch (const std::bad_alloc&) {
        target->completion.reset();
        emit completionFailed(id, outOfMemory(tr("completing code")));
    } catch (const std::exception& error) {
        target->completion.reset();
        emit completionFailed(id, unexpected(error));
    }
}

void EngineWorker::runLoadCompletionModel(const QString& path, const QString& backend, int threads)
{
    completionModel_.reset(); // first, so that two completion models never take memory at once
    if (const std::optional<QString> shortage = memoryShortage(path)) {
        emit completionModelFailed(path, *shortage);
        return;
    }
    try {
        LoadOptions options{backend.toStdString(), size_t(std::max(threads, 0)), {}};
        LoadedModel opened = LoadedModel::open(filesystemPath(path), options);
        if (!canFillInMiddle(*opened.tokenizer)) {
            emit completionModelFailed(
                path,
                tr("%1 has no fill-in-the-middle tokens, so it cannot complete code. DeepSeek-Coder base models "
                   "(1.3B, 6.7B, 33B) and DeepSeek-Coder-V2(-Lite) have them.")
                    .arg(QFileInfo(path).fileName()));
            return;
        }
        QVariantMap facts = modelFileFacts(*opened.file, path);
        facts.insert(backendFacts(*opened.backend));
        completionModel_.emplace(Model{.loaded = std::move(opened)});
        emit completionModelLoaded(facts);
    } catch (const Error& error) {
        emit completionModelFailed(path, loadErrorText(error, path));
    } catch (const std::bad_alloc&) {
        emit completionModelFailed(path, outOfMemory(tr("loading %1").arg(QFileInfo(path).fileName())));
    } catch (const std::exception& error) {
        emit completionModelFailed(path, unexpected(error));
    }
}

} // namespace latent::app
