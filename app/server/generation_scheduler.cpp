#include "app/server/generation_scheduler.h"

#include "app/server/session_choice.h"
#include "engine/core/error.h"

#include <fmt/format.h>

namespace latent::server {
namespace {

// Holds the owner's engine lock, when it shares the model, for one forward pass.
class EngineTurn {
public:
    explicit EngineTurn(EngineTurns* lock) : lock_(lock)
    {
        if (lock_)
            lock_->lock();
    }
    ~EngineTurn()
    {
        if (lock_)
            lock_->unlock();
    }
    EngineTurn(const EngineTurn&) = delete;
    EngineTurn& operator=(const EngineTurn&) = delete;

private:
    EngineTurns* lock_;
};

ApiError modelGone()
{
    return ApiError(503, "server_error", "the model was unloaded while this request ran: send it again");
}

} // namespace

GenerationScheduler::GenerationScheduler(const ServedModel& model, int parallel, int queue, ServerStats& stats)
    : model_(model), stats_(stats), slots_(size_t(parallel)), queue_(parallel, queue)
{
    thread_ = std::thread([this] { run(); });
}

GenerationScheduler::~GenerationScheduler()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
    failRemaining();
}

bool GenerationScheduler::submit(std::shared_ptr<GenerationJob> job)
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || !queue_.admit(std::move(job)))
            return false;
        ++stats_.requestsQueued;
    }
    changed_.notify_all();
    return true;
}

void GenerationScheduler::run()
{
    while (assignWaitingJobs()) {
        for (Slot& slot : slots_) {
            if (slot.job && !slot.generation)
                start(slot);
        }
        for (Slot& slot : slots_) {
            if (slot.job)
                advance(slot);
        }
    }
}

bool GenerationScheduler::assignWaitingJobs()
{
    const auto busy = [this] {
        for (const Slot& slot : slots_) {
            if (slot.job)
                return true;
        }
        return false;
    };
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopping_ || busy() || queue_.waiting() > 0; });
    if (stopping_)
        return false;
    while (std::shared_ptr<GenerationJob> job = queue_.startNext()) {
        std::vector<const Session*> free;
        std::vector<Slot*> freeSlots;
        for (Slot& slot : slots_) {
            if (!slot.job) {
                free.push_back(slot.session.get());
                freeSlots.push_back(&slot);
            }
        }
        Slot& chosen = *freeSlots[chooseSession(free, job->prompt())];
        chosen.job = std::move(job);
        --stats_.requestsQueued;
        ++stats_.requestsActive;
    }
    return true;
}

void GenerationScheduler::start(Slot& slot)
{
    GenerationJob& job = *slot.job;
    if (job.cancelled()) { // the client left while it waited: nothing to run
        GenerationResult nothing;
        nothing.reason = StopReason::Cancelled;
        ++stats_.requestsCancelled;
        end(slot)->complete(nothing, 0);
        return;
    }
    try {
        if (!slot.session)
            slot.session = std::make_unique<Session>(*model_.model, SessionOptions{model_.contextLength, model_.batchSize});
        Session& session = *slot.session;
        // At least the last prompt token is evaluated again: its logits choose the first answer token.
        const std::span<const int32_t> prompt = job.prompt();
        slot.cachedTokens = std::min<int64_t>(session.sharedPrefix(prompt), int64_t(prompt.size()) - 1);
        session.truncate(slot.cachedTokens);
        stats_.promptTokensCached += slot.cachedTokens;
        slot.generation.emplace(session, *model_.tokenizer, job.options());
        EngineTurn turn(model_.engineLock);
        const std::span<const int32_t> rest = prompt.subspan(size_t(slot.cachedTokens));
        if (slot.generation->start(rest, &job.cancelFlag()))
            stats_.promptTokensEvaluated += int64_t(rest.size());
    } catch (const std::exception& error) {
        if (slot.session)
            slot.session->reset();
        slot.generation.reset();
        end(slot)->fail(ApiError(500, "server_error", fmt::format("the engine failed on this request: {}", error.what())));
    }
}

void GenerationScheduler::advance(Slot& slot)
{
    Generation& generation = *slot.generation;
    GenerationJob& job = *slot.job;
    if (!generation.finished()) {
        const size_t before = generation.result().tokens.size();
        try {
            if (job.cancelled()) {
                job.publish(generation.cancel());
            } else {
                EngineTurn turn(model_.engineLock);
                job.publish(generation.step());
            }
        } catch (const std::exception& error) {
            slot.session->reset();
            slot.generation.reset();
            end(slot)->fail(ApiError(500, "server_error", fmt::format("the engine failed on this request: {}", error.what())));
            return;
        }
        stats_.tokensGenerated += int64_t(generation.result().tokens.size() - before);
    }
    if (generation.finished()) {
        if (generation.result().reason == StopReason::Cancelled)
            ++stats_.requestsCancelled;
        const GenerationResult result = generation.result();
        const int64_t cached = slot.cachedTokens;
        slot.generation.reset();
        end(slot)->complete(result, cached);
    }
}

std::shared_ptr<GenerationJob> GenerationScheduler::end(Slot& slot)
{
    std::shared_ptr<GenerationJob> job = std::move(slot.job);
    slot.cachedTokens = 0;
    --stats_.requestsActive;
    std::lock_guard lock(mutex_);
    queue_.finished();
    return job;
}

void GenerationScheduler::failRemaining()
{
    for (Slot& slot : slots_) {
        if (slot.job) {
            ++stats_.requestsCancelled;
            slot.generation.reset();
            end(slot)->fail(modelGone());
        }
    }
    std::lock_guard lock(mutex_);
    for (const std::shared_ptr<GenerationJob>& job : queue_.drain()) {
        ++stats_.requestsCancelled;
        --stats_.requestsQueued;
        job->fail(modelGone());
    }
}

} // namespace latent::server
