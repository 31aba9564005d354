#pragma once

#include "app/server/generation_job.h"

#include <deque>
#include <memory>

namespace latent::server {

// The requests a model has taken: up to `running` generated at once, up to `waiting` more in
// line, first come first served; beyond those a request is refused (the server answers 503).
// Not thread-safe: its owner guards it.
class RequestQueue {
public:
    RequestQueue(int running, int waiting) : runningLimit_(running), waitingLimit_(waiting) {}

    // Takes the job in line; false when the running and waiting places are all taken.
    bool admit(std::shared_ptr<GenerationJob> job);
    // The oldest waiting job, now counted as running (nullptr when none waits or none may start).
    std::shared_ptr<GenerationJob> startNext();
    // A running job ended: its place is free.
    void finished();

    int running() const { return running_; }
    int waiting() const { return int(waiting_.size()); }
    // Takes every waiting job out (when the model goes away).
    std::deque<std::shared_ptr<GenerationJob>> drain();

private:
    const int runningLimit_;
    const int waitingLimit_;
    int running_ = 0;
    std::deque<std::shared_ptr<GenerationJob>> waiting_;
};

} // namespace latent::server
