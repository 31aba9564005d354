#include "app/server/engine_turns.h"

namespace latent::server {

void EngineTurns::lock()
{
    std::unique_lock lock(mutex_);
    const uint64_t ticket = nextTicket_++;
    next_.wait(lock, [&] { return serving_ == ticket; });
}

void EngineTurns::unlock()
{
    {
        std::lock_guard lock(mutex_);
        ++serving_;
    }
    next_.notify_all();
}

int EngineTurns::waiting() const
{
    std::lock_guard lock(mutex_);
    // Every ticket taken and not yet served, less the one holding the turn.
    const uint64_t outstanding = nextTicket_ - serving_;
    return outstanding > 0 ? int(outstanding - 1) : 0;
}

} // namespace latent::server
