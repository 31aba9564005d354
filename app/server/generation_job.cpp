#include "app/server/generation_job.h"

namespace latent::server {

void GenerationJob::publish(std::string_view text)
{
    if (text.empty())
        return;
    {
        std::lock_guard lock(mutex_);
        text_ += text;
    }
    changed_.notify_all();
}

void GenerationJob::complete(const GenerationResult& result, int64_t cachedTokens)
{
    {
        std::lock_guard lock(mutex_);
        result_ = result;
        cachedTokens_ = cachedTokens;
        done_ = true;
    }
    changed_.notify_all();
}

void GenerationJob::fail(const ApiError& error)
{
    {
        std::lock_guard lock(mutex_);
        error_ = error;
        done_ = true;
    }
    changed_.notify_all();
}

GenerationJob::Update GenerationJob::take(std::chrono::milliseconds wait)
{
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, wait, [this] { return done_ || !text_.empty(); });
    return takeLocked();
}

GenerationJob::Update GenerationJob::takeAll()
{
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return done_; });
    return takeLocked();
}

GenerationJob::Update GenerationJob::takeLocked()
{
    Update update;
    update.text = std::move(text_);
    text_.clear();
    update.done = done_;
    if (done_) {
        update.result = result_;
        update.cachedTokens = cachedTokens_;
        update.error = error_;
    }
    return update;
}

} // namespace latent::server
