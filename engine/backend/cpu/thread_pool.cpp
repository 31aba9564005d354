#include "engine/backend/cpu/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <utility>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <immintrin.h>
#endif

namespace latent::cpu {
namespace {

// How long an idle worker waits awake before it sleeps: longer than the gaps between a decoding
// step's loops (the single-threaded work between them), far shorter than a token. It spins the
// first few hundred nanoseconds, then yields its core between looks, so that on a machine busy
// with other programs (or more threads than cores) the waiting does not take their time.
constexpr auto kAwakeTime = std::chrono::microseconds(50);
constexpr unsigned kPureSpins = 128;

// The pool whose loop body this thread is running, so that a nested parallelFor runs inline
// instead of waiting on threads that are busy with the outer loop.
thread_local const ThreadPool* runningLoopOf = nullptr;

// A hint that this thread is spinning: lets the core's other hyperthread run, saves power.
void relax()
{
#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

uint64_t packRange(uint32_t begin, uint32_t end)
{
    return uint64_t(begin) << 32 | end;
}

} // namespace

ThreadPool::ThreadPool(size_t threads)
{
    const size_t workers = std::min<size_t>(std::max<size_t>(threads, 1), (size_t(1) << kParticipantBits) - 1) - 1;
    shares_ = std::make_unique<Share[]>(workers + 1);
    for (size_t i = 1; i <= workers; ++i)
        workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool()
{
    stopping_.store(true);
    {
        std::lock_guard lock(sleepMutex_);
        loop_.fetch_add(uint64_t(1) << kParticipantBits);
    }
    wake_.notify_all();
    for (std::thread& worker : workers_)
        worker.join();
}

bool ThreadPool::runOneChunk(Share& share, bool fromFront)
{
    uint64_t range = share.range.load(std::memory_order_relaxed);
    uint32_t first, last;
    for (;;) {
        const auto begin = uint32_t(range >> 32), end = uint32_t(range);
        if (begin >= end)
            return false;
        // Half of what is left, up to a chunk: a share's end goes out unit by unit (thread_pool.h).
        const uint32_t units = std::min(chunkUnits_, std::max<uint32_t>(1, (end - begin) / 2));
        first = fromFront ? begin : end - units;
        last = first + units;
        // The owner takes the front and the others the back, so the owner's chunks follow one another.
        const uint64_t left = fromFront ? packRange(last, end) : packRange(begin, first);
        if (share.range.compare_exchange_weak(range, left, std::memory_order_relaxed))
            break;
    }
    try {
        (*body_)(size_t(first) * grain_, std::min(count_, size_t(last) * grain_));
    } catch (...) {
        for (size_t i = 0; i < participants_; ++i)
            shares_[i].range.store(0, std::memory_order_relaxed); // no more chunks for anyone
        std::lock_guard lock(failureMutex_);
        if (!failure_)
            failure_ = std::current_exception();
    }
    return true;
}

void ThreadPool::runChunks(size_t self)
{
    const ThreadPool* outer = std::exchange(runningLoopOf, this);
    while (runOneChunk(shares_[self], true)) {
    }
    for (size_t step = 1; step < participants_; ++step) {
        Share& other = shares_[(self + step) % participants_];
        while (runOneChunk(other, false)) {
        }
    }
    runningLoopOf = outer;
}

void ThreadPool::parallelFor(size_t count, size_t grain, LoopBody body)
{
    if (count == 0)
        return;
    // Shares count units of grain in 32 bits: a loop of more (none of the engine's) takes larger ones.
    constexpr size_t kMaxUnits = std::numeric_limits<uint32_t>::max();
    grain = std::max({grain, size_t(1), (count + kMaxUnits - 1) / kMaxUnits});
    const size_t units = (count + grain - 1) / grain;
    // A thread is worth waking only for a chunk of at least grain.
    const size_t participants = std::min(size(), units);
    if (participants == 1 || runningLoopOf == this) {
        body(0, count);
        return;
    }
    body_ = &body;
    count_ = count;
    grain_ = grain;
    participants_ = participants;
    // Shares in proportion; chunks of up to about an eighth of a share, smaller towards its end.
    for (size_t i = 0; i < participants; ++i)
        shares_[i].range.store(packRange(uint32_t(units * i / participants), uint32_t(units * (i + 1) / participants)),
                               std::memory_order_relaxed);
    chunkUnits_ = uint32_t(std::max<size_t>(1, units / (participants * 8)));
    busy_.store(participants - 1, std::memory_order_relaxed);
    const uint64_t sequence = (loop_.load(std::memory_order_relaxed) >> kParticipantBits) + 1;
    // Sequentially consistent with the sleepers' count: either a worker about to sleep sees this
    // loop, or this thread sees it sleeping and wakes it. Published by an exchange, not a store:
    // qemu's ARM64 emulation on x86 lets a later load pass an STLR (a store-buffering test there:
    // 16% of rounds, none with exchanges), which lost a wakeup and hung a test under qemu. On x86
    // a sequentially consistent store is an exchange already; on ARM64 it is a SWPAL for an STLR,
    // once per loop.
    loop_.exchange(sequence << kParticipantBits | participants);
    if (sleepers_.load() > 0) {
        std::lock_guard lock(sleepMutex_);
        wake_.notify_all();
    }
    runChunks(0);
    for (unsigned spins = 1; busy_.load(std::memory_order_acquire) != 0; ++spins) {
        if (spins < kPureSpins)
            relax();
        else
            std::this_thread::yield(); // a worker that takes this long may have lost its core to another program
    }
    body_ = nullptr;
    if (failure_)
        std::rethrow_exception(std::exchange(failure_, nullptr));
}

uint64_t ThreadPool::waitForLoop(uint64_t seen)
{
    const auto deadline = std::chrono::steady_clock::now() + kAwakeTime;
    for (unsigned spins = 1;; ++spins) {
        const uint64_t loop = loop_.load(std::memory_order_acquire);
        if (loop != seen)
            return loop;
        if (spins < kPureSpins) {
            relax();
            continue;
        }
        std::this_thread::yield();
        if (spins % 16 == 0 && std::chrono::steady_clock::now() > deadline)
            break;
    }
    std::unique_lock lock(sleepMutex_);
    sleepers_.fetch_add(1);
    wake_.wait(lock, [&] { return loop_.load() != seen; });
    sleepers_.fetch_sub(1);
    return loop_.load(std::memory_order_acquire);
}

void ThreadPool::workerLoop(size_t index)
{
    uint64_t seen = 0;
    for (;;) {
        seen = waitForLoop(seen);
        if (stopping_.load())
            return;
        // Threads 1 .. participants - 1 take part; the caller is thread 0. A worker left out
        // touches nothing of the loop, so the caller may publish the next one at any time.
        if (index >= (seen & ((uint64_t(1) << kParticipantBits) - 1)))
            continue;
        runChunks(index);
        busy_.fetch_sub(1, std::memory_order_acq_rel);
    }
}

} // namespace latent::cpu
