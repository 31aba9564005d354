#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace latent::cpu {

// The body of a parallel loop, called as body(begin, end), by reference: unlike std::function it
// never allocates, and a decoding step runs hundreds of loops. Valid while the callable it refers
// to lives (for the duration of parallelFor).
class LoopBody {
public:
    template <typename Body>
        requires(!std::is_same_v<std::remove_cvref_t<Body>, LoopBody>)
    LoopBody(Body&& body) // NOLINT(google-explicit-constructor): lambdas convert as std::function's did
        : object_(const_cast<void*>(static_cast<const void*>(std::addressof(body)))),
          call_([](void* object, size_t begin, size_t end) { (*static_cast<std::remove_reference_t<Body>*>(object))(begin, end); })
    {
    }

    void operator()(size_t begin, size_t end) const { call_(object_, begin, end); }

private:
    void* object_;
    void (*call_)(void*, size_t, size_t);
};

// A fixed set of worker threads that split loops with the calling thread. A loop is published by
// one atomic store; workers wait awake for it a bounded time (~50 us: a decoding step's loops come
// closer together than a sleeping thread takes to wake) and only then sleep, so the hot path takes
// no mutex. A loop too small for every thread runs on only as many as it has chunks of grain
// (the others keep waiting; sleeping ones are woken, see there is nothing for them, and wait again).
// Each taking part owns one contiguous share of the loop and works through it front to back; a
// thread done with its own takes chunks from the back of the others' (a thread held up, or late
// to wake, holds no one up). Contiguous shares matter to decoding, where a loop streams a weight
// matrix from memory: threads taking turns at chunks of one matrix read it about a tenth slower
// than each reading its own part front to back (measured on 2 cores, Q4_0 products). A chunk is
// half of what is left of a share, at most an eighth of the share: a share's end goes out unit by
// unit, so the threads run out of work within a unit of each other rather than a chunk, which a
// thread would otherwise stream alone at the end of every loop (coder-1.3b Q4_0 decoding on 2
// cores 1.028x faster than with fixed eighths, 8 paired runs).
// One thread of control drives a pool; a parallelFor called from inside a body runs inline.
class ThreadPool {
public:
    explicit ThreadPool(size_t threads); // threads in all, the caller included
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    size_t size() const { return workers_.size() + 1; }

    // Calls body(begin, end) over [0, count) in chunks of at least grain (the last may be
    // shorter), each index exactly once, on up to size() threads; returns when all are done. An
    // exception thrown by the body stops handing out chunks and is rethrown here once every
    // thread has left the loop (the first one, where several throw).
    void parallelFor(size_t count, size_t grain, LoopBody body);

    // The number of physical cores, for the default thread count.
    static size_t physicalCores();

private:
    // One participant's share of the current loop, in units of grain: [begin, end) as two 32-bit
    // halves of one word, so that its owner (taking from the front) and the others (from the back)
    // agree by a compare-and-swap. A cache line each: owners write theirs at every chunk.
    struct alignas(64) Share {
        std::atomic<uint64_t> range{0};
    };

    void workerLoop(size_t index);
    uint64_t waitForLoop(uint64_t seen);
    // Runs the chunks of participant `self`'s share, then those left in the others'.
    void runChunks(size_t self);
    // Takes one chunk from the front (its owner) or the back (the others) of a share and runs it;
    // false when the share is empty.
    bool runOneChunk(Share& share, bool fromFront);

    std::vector<std::thread> workers_;

    // The published loop: a sequence number above kParticipantBits, the number of threads taking
    // part below, in one word so that a worker reads both at once.
    static constexpr unsigned kParticipantBits = 16;
    std::atomic<uint64_t> loop_{0};
    std::atomic<size_t> busy_{0}; // workers still in the current loop
    std::atomic<bool> stopping_{false};
    // Sleeping workers wait here; the caller takes the mutex only when some sleep.
    std::mutex sleepMutex_;
    std::condition_variable wake_;
    std::atomic<size_t> sleepers_{0};
    // The first exception of the current loop (the rare path, under its own mutex).
    std::mutex failureMutex_;
    std::exception_ptr failure_;

    std::unique_ptr<Share[]> shares_; // size() of them
    size_t participants_ = 0;
    const LoopBody* body_ = nullptr;
    size_t count_ = 0;
    size_t grain_ = 1;
    uint32_t chunkUnits_ = 1;
};

} // namespace latent::cpu
