#pragma once

#include "app/server/generation_job.h"
#include "app/server/request_queue.h"
#include "app/server/served_model.h"
#include "app/server/server_stats.h"
#include "engine/session/generation.h"
#include "engine/session/session.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace latent::server {

// Runs the requests for one model on one engine thread: up to `parallel` at once, each in a
// session (KV cache) of its own, advanced a token each in turn, so that every stream moves
// while the backend does one forward pass at a time. Requests start in the order they came; each
// takes the free session that already holds the longest prefix of its prompt.
class GenerationScheduler {
public:
    GenerationScheduler(const ServedModel& model, int parallel, int queue, ServerStats& stats);
    // Stops the engine thread; jobs not finished fail with 503 (the model went away).
    ~GenerationScheduler();

    // Takes a job in line; false when the line is full (the server answers 503).
    bool submit(std::shared_ptr<GenerationJob> job);

private:
    struct Slot {
        std::unique_ptr<Session> session; // made when first needed
        std::shared_ptr<GenerationJob> job; // null: free
        std::optional<Generation> generation;
        int64_t cachedTokens = 0;
    };

    void run();
    // Waits for work; false when stopping. Moves waiting jobs into free slots.
    bool assignWaitingJobs();
    void start(Slot& slot);
    void advance(Slot& slot);
    // Frees the slot (the counters first, so that a client told of the end sees them settled);
    // returns its job, to be told.
    std::shared_ptr<GenerationJob> end(Slot& slot);
    void failRemaining();

    const ServedModel model_;
    ServerStats& stats_;
    std::vector<Slot> slots_;

    std::mutex mutex_; // guards queue_ and stopping_
    std::condition_variable changed_;
    RequestQueue queue_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace latent::server
