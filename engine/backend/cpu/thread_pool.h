#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace latent::cpu {

// A fixed set of worker threads that split loops with the calling thread. Workers spin briefly
// between jobs before they sleep: a decoding step runs hundreds of short loops, and waking a
// sleeping thread costs more than many of them take.
class ThreadPool {
public:
    explicit ThreadPool(size_t threads); // threads in all, the caller included
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    size_t size() const { return workers_.size() + 1; }

    // Calls body(begin, end) over [0, count) in chunks of at least grain, on every thread;
    // returns when all are done.
    void parallelFor(size_t count, size_t grain, const std::function<void(size_t, size_t)>& body);

    // The number of physical cores, for the default thread count.
    static size_t physicalCores();

private:
    void workerLoop(size_t index);
    void runChunks();

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<uint64_t> generation_{0};
    std::atomic<size_t> busy_{0};
    std::atomic<size_t> nextChunk_{0};
    bool stopping_ = false;

    const std::function<void(size_t, size_t)>* body_ = nullptr;
    size_t count_ = 0;
    size_t chunk_ = 1;
};

} // namespace latent::cpu
