#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>

namespace latent::server {

// The counters GET /stats shows, updated as requests come, run and end.
struct ServerStats {
    std::atomic<int64_t> requestsTotal{0};  // generation requests received (their body was read), whatever became of them
    std::atomic<int64_t> requestsActive{0}; // being generated now
    std::atomic<int64_t> requestsQueued{0}; // waiting for a session
    std::atomic<int64_t> requestsCancelled{0}; // the client hung up (or the model went away) before the end
    std::atomic<int64_t> requestsRejectedBusy{0}; // refused with 503: the line was full
    std::atomic<int64_t> tokensGenerated{0};
    std::atomic<int64_t> promptTokensEvaluated{0};
    std::atomic<int64_t> promptTokensCached{0}; // prompt tokens a session already held

    nlohmann::json toJson() const
    {
        return {{"requests_total", requestsTotal.load()},
                {"requests_active", requestsActive.load()},
                {"requests_queued", requestsQueued.load()},
                {"requests_cancelled", requestsCancelled.load()},
                {"requests_rejected_busy", requestsRejectedBusy.load()},
                {"tokens_generated", tokensGenerated.load()},
                {"prompt_tokens_evaluated", promptTokensEvaluated.load()},
                {"prompt_tokens_cached", promptTokensCached.load()}};
    }
};

} // namespace latent::server
