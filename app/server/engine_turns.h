#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace latent::server {

// The lock around the model's forward passes, shared by the server's engine thread (one token
// at a time) and the owner's (the app: a whole answer at a time). Turns go in the order they were
// asked for: a std::mutex lets the thread that just unlocked take it again at once, so the
// server, locking again after every token, could keep the app waiting for as long as it streams.
// BasicLockable (std::lock_guard, std::unique_lock).
class EngineTurns {
public:
    void lock();
    void unlock();
    // Threads waiting for their turn (for tests and diagnostics).
    int waiting() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable next_;
    uint64_t nextTicket_ = 0; // the ticket the next lock() takes
    uint64_t serving_ = 0;    // the ticket whose turn it is
};

} // namespace latent::server
