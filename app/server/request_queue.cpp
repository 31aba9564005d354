#include "app/server/request_queue.h"

namespace latent::server {

bool RequestQueue::admit(std::shared_ptr<GenerationJob> job)
{
    // Counted against both limits together: a job admitted a moment before the engine thread
    // starts it must not make the next one look like it has to wait.
    if (running_ + waiting() >= runningLimit_ + waitingLimit_)
        return false;
    waiting_.push_back(std::move(job));
    return true;
}

std::shared_ptr<GenerationJob> RequestQueue::startNext()
{
    if (waiting_.empty() || running_ >= runningLimit_)
        return nullptr;
    std::shared_ptr<GenerationJob> job = std::move(waiting_.front());
    waiting_.pop_front();
    ++running_;
    return job;
}

void RequestQueue::finished()
{
    if (running_ > 0)
        --running_;
}

std::deque<std::shared_ptr<GenerationJob>> RequestQueue::drain()
{
    return std::exchange(waiting_, {});
}

} // namespace latent::server
