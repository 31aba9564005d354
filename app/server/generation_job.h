#pragma once

#include "app/server/api_error.h"
#include "engine/session/generation.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latent::server {

// One request's generation, shared by the HTTP thread that answers it and the engine thread
// that runs it: the prompt and options in, the text as it comes and the end out.
class GenerationJob {
public:
    GenerationJob(std::vector<int32_t> prompt, GenerationOptions options)
        : prompt_(std::move(prompt)), options_(std::move(options))
    {
    }

    const std::vector<int32_t>& prompt() const { return prompt_; }
    const GenerationOptions& options() const { return options_; }

    // The engine thread's side.
    void publish(std::string_view text);
    // The end: the result, and how many prompt tokens came from a cached session.
    void complete(const GenerationResult& result, int64_t cachedTokens);
    void fail(const ApiError& error);

    // The client's side: it hung up or no longer wants the answer; the engine stops at its next token.
    void cancel() { cancelled_ = true; }
    bool cancelled() const { return cancelled_; }
    const std::atomic<bool>& cancelFlag() const { return cancelled_; }

    struct Update {
        std::string text; // published since the last take
        bool done = false;
        GenerationResult result; // when done without an error
        int64_t cachedTokens = 0;
        std::optional<ApiError> error;
    };
    // What was published since the last take, waiting up to `wait` for something.
    Update take(std::chrono::milliseconds wait);
    // Everything, once it is done.
    Update takeAll();

private:
    Update takeLocked();

    const std::vector<int32_t> prompt_;
    const GenerationOptions options_;
    std::atomic<bool> cancelled_{false};

    std::mutex mutex_;
    std::condition_variable changed_;
    std::string text_;
    bool done_ = false;
    GenerationResult result_;
    int64_t cachedTokens_ = 0;
    std::optional<ApiError> error_;
};

} // namespace latent::server
