#include "engine/backend/cpu/thread_pool.h"

#include <algorithm>
#include <utility>

namespace latent::cpu {
namespace {

constexpr int kSpinsBeforeSleep = 20000;

} // namespace

ThreadPool::ThreadPool(size_t threads)
{
    for (size_t i = 1; i < std::max<size_t>(threads, 1); ++i)
        workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        generation_.fetch_add(1);
    }
    wake_.notify_all();
    for (std::thread& worker : workers_)
        worker.join();
}

void ThreadPool::runChunks()
{
    for (;;) {
        const size_t begin = nextChunk_.fetch_add(chunk_);
        if (begin >= count_)
            return;
        (*body_)(begin, std::min(count_, begin + chunk_));
    }
}

void ThreadPool::parallelFor(size_t count, size_t grain, const std::function<void(size_t, size_t)>& body)
{
    if (count == 0)
        return;
    const size_t threads = size();
    if (threads == 1 || count <= grain) {
        body(0, count);
        return;
    }
    // About four chunks a thread balance uneven work without much contention on the counter.
    body_ = &body;
    count_ = count;
    chunk_ = std::max(grain, (count + threads * 4 - 1) / (threads * 4));
    nextChunk_.store(0);
    busy_.store(workers_.size());
    {
        std::lock_guard lock(mutex_);
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    runChunks();
    while (busy_.load(std::memory_order_acquire) != 0)
        std::this_thread::yield();
}

void ThreadPool::workerLoop(size_t)
{
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (generation_.load(std::memory_order_acquire) == seen && spins < kSpinsBeforeSleep)
            ++spins;
        if (generation_.load(std::memory_order_acquire) == seen) {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return generation_.load() != seen; });
        }
        seen = generation_.load(std::memory_order_acquire);
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return;
        }
        runChunks();
        busy_.fetch_sub(1, std::memory_order_acq_rel);
    }
}

} // namespace latent::cpu
