// The CPU backend's thread pool: every index of a loop visited exactly once, in chunks of at least
// the grain, for many counts, grains and thread counts (more threads than indices included); loops
// back to back and nested; a loop too small for every thread left to fewer; an exception from the
// body rethrown to the caller, with the pool usable after it; a thread held up in its first chunk
// leaving the rest of its share to the others; chunks shrinking to one unit at each share's end;
// workers that fell asleep woken by the next loop, also when they fall asleep just as it is
// published.

#include "engine/backend/cpu/thread_pool.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

using latent::cpu::ThreadPool;

namespace {

// How many times the loop visited each index of [0, count), and whether every chunk but the last
// held at least grain indices.
struct Visits {
    std::vector<std::atomic<int>> counts;
    std::atomic<bool> chunksHoldGrain{true};

    explicit Visits(size_t count) : counts(count) {}

    void run(ThreadPool& pool, size_t grain)
    {
        const size_t count = counts.size();
        pool.parallelFor(count, grain, [&](size_t begin, size_t end) {
            if (begin >= end || end > count || (end - begin < grain && end != count))
                chunksHoldGrain = false;
            for (size_t i = begin; i < end; ++i)
                counts[i].fetch_add(1);
        });
    }

    bool eachOnce() const
    {
        return std::all_of(counts.begin(), counts.end(), [](const std::atomic<int>& c) { return c.load() == 1; });
    }
};

} // namespace

class ThreadPoolTest : public QObject {
    Q_OBJECT

private slots:
    void everyIndexOnceForManyShapes()
    {
        for (const size_t threads : {1, 2, 3, 4, 7, 16}) {
            ThreadPool pool(threads);
            QCOMPARE(pool.size(), threads);
            for (const size_t count : {1, 2, 3, 5, 15, 16, 17, 63, 100, 1000, 4099}) {
                for (const size_t grain : {0, 1, 2, 3, 8, 64, 5000}) {
                    Visits visits(count);
                    visits.run(pool, grain);
                    QVERIFY2(visits.eachOnce(), qPrintable(QStringLiteral("threads %1 count %2 grain %3")
                                                               .arg(threads).arg(count).arg(grain)));
                    QVERIFY(visits.chunksHoldGrain);
                }
            }
        }
    }

    void emptyLoopCallsNothing()
    {
        ThreadPool pool(4);
        bool called = false;
        pool.parallelFor(0, 1, [&](size_t, size_t) { called = true; });
        QVERIFY(!called);
    }

    // A decoding step: thousands of small loops one after another, each seeing the one before done.
    void consecutiveLoopsSeeEachOthersResults()
    {
        ThreadPool pool(4);
        std::vector<int> values(257, 0);
        for (int round = 1; round <= 3000; ++round) {
            pool.parallelFor(values.size(), 1 + size_t(round % 5), [&](size_t begin, size_t end) {
                for (size_t i = begin; i < end; ++i)
                    values[i] += 1;
            });
            if (values.front() != round || values.back() != round)
                QFAIL(qPrintable(QStringLiteral("round %1 saw %2").arg(round).arg(values.back())));
        }
        QVERIFY(std::all_of(values.begin(), values.end(), [](int v) { return v == 3000; }));
    }

    // A body that itself splits a loop (over the same pool) runs it inline, never deadlocking.
    void nestedLoopsRunInline()
    {
        ThreadPool pool(4);
        std::vector<std::atomic<int>> counts(40 * 30);
        pool.parallelFor(40, 1, [&](size_t begin, size_t end) {
            for (size_t outer = begin; outer < end; ++outer)
                pool.parallelFor(30, 1, [&](size_t b, size_t e) {
                    for (size_t inner = b; inner < e; ++inner)
                        counts[outer * 30 + inner].fetch_add(1);
                });
        });
        QVERIFY(std::all_of(counts.begin(), counts.end(), [](const std::atomic<int>& c) { return c.load() == 1; }));
    }

    // Two chunks of grain: at most two threads take part, whatever the pool's size.
    void smallLoopsWakeFewerThreads()
    {
        ThreadPool pool(8);
        for (int round = 0; round < 200; ++round) {
            std::mutex mutex;
            std::set<std::thread::id> threads;
            pool.parallelFor(64, 32, [&](size_t, size_t) {
                std::lock_guard lock(mutex);
                threads.insert(std::this_thread::get_id());
            });
            QVERIFY(threads.size() <= 2);
        }
        std::set<std::thread::id> alone;
        pool.parallelFor(10, 10, [&](size_t, size_t) { alone.insert(std::this_thread::get_id()); });
        QCOMPARE(alone, std::set<std::thread::id>{std::this_thread::get_id()});
    }

    void exceptionReachesTheCallerAndThePoolGoesOn()
    {
        for (const size_t threads : {1, 2, 4}) {
            ThreadPool pool(threads);
            for (const size_t throwing : {size_t(0), size_t(500), size_t(999)}) {
                bool caught = false;
                try {
                    pool.parallelFor(1000, 1, [&](size_t begin, size_t end) {
                        if (throwing >= begin && throwing < end)
                            throw std::runtime_error("index " + std::to_string(throwing));
                    });
                } catch (const std::runtime_error& error) {
                    caught = true;
                    QCOMPARE(QString::fromStdString(error.what()), QStringLiteral("index %1").arg(throwing));
                }
                QVERIFY(caught);
                Visits after(777);
                after.run(pool, 3);
                QVERIFY(after.eachOnce());
            }
        }
    }

    // The thread that takes index 0 waits there until every other index is done: the rest of its
    // share must be taken by the other threads (else the loop would never end; the wait gives up
    // after 10 s, and the test fails).
    void aHeldUpThreadsShareIsTakenByTheOthers()
    {
        for (const size_t threads : {2, 3, 4}) {
            ThreadPool pool(threads);
            const size_t count = 400;
            std::atomic<size_t> done{0};
            std::atomic<bool> waitedInVain{false};
            pool.parallelFor(count, 1, [&](size_t begin, size_t end) {
                if (begin == 0) {
                    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                    while (done.load() != count - (end - begin)) {
                        if (std::chrono::steady_clock::now() > deadline) {
                            waitedInVain = true;
                            break;
                        }
                        std::this_thread::yield();
                    }
                }
                done.fetch_add(end - begin);
            });
            QVERIFY2(!waitedInVain, qPrintable(QStringLiteral("threads %1: index 0's share was left undone").arg(threads)));
            QCOMPARE(done.load(), count);
        }
    }

    // Chunks are at most an eighth of a share and shrink towards its end, down to one unit of
    // grain: every share's last chunk is one unit (a share's end handed out a whole eighth at a
    // time leaves a thread working alone at the end of each loop).
    void sharesEndInChunksOfOneUnit()
    {
        for (const size_t threads : {2, 3, 4}) {
            ThreadPool pool(threads);
            const size_t grain = 4, units = 1024;
            std::mutex mutex;
            std::vector<size_t> sizes;
            pool.parallelFor(units * grain, grain, [&](size_t begin, size_t end) {
                std::lock_guard lock(mutex);
                sizes.push_back(end - begin);
            });
            const size_t largest = grain * ((units / threads + 7) / 8);
            QVERIFY2(*std::max_element(sizes.begin(), sizes.end()) <= largest,
                     qPrintable(QStringLiteral("threads %1: a chunk over an eighth of a share").arg(threads)));
            QVERIFY2(size_t(std::count(sizes.begin(), sizes.end(), grain)) >= threads,
                     qPrintable(QStringLiteral("threads %1: %2 chunks of one unit, fewer than the shares")
                                    .arg(threads).arg(std::count(sizes.begin(), sizes.end(), grain))));
        }
    }

    // Workers asleep after a pause are woken by the next loop.
    void loopsAfterIdleTimeWakeSleepingWorkers()
    {
        ThreadPool pool(3);
        for (int round = 0; round < 5; ++round) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            Visits visits(300);
            visits.run(pool, 1);
            QVERIFY(visits.eachOnce());
        }
    }

    // A worker that goes to sleep just as a loop is published must still be woken: the caller
    // publishes the loop and then looks for sleepers, the worker counts itself a sleeper and then
    // looks for a loop, and one of the two must see the other's write. The pauses between loops
    // sweep 30 to 70 us, across the time a worker waits awake (50 us), so that some loops are
    // published as a worker falls asleep (looking for sleepers before publishing fails here two
    // runs in three). A lost wakeup leaves the caller waiting for that worker forever, so the
    // loops run on a thread of their own, given three minutes (they take 1.4 s here, 4 s beside a
    // full CI run).
    void aWorkerFallingAsleepAsALoopIsPublishedIsWoken()
    {
        using Clock = std::chrono::steady_clock;
        constexpr int kRounds = 20000;
        struct Loops {
            ThreadPool pool{4};
            std::atomic<int> rounds{0};
        };
        auto* loops = new Loops; // left to the stuck thread if the loops never end
        std::thread thread([loops] {
            for (int round = 0; round < kRounds; ++round) {
                const auto pauseEnd = Clock::now() + std::chrono::nanoseconds(30000 + (round % 400) * 100);
                while (Clock::now() < pauseEnd) {
                }
                loops->pool.parallelFor(4, 1, [](size_t, size_t) {});
                loops->rounds.store(round + 1);
            }
        });
        const auto deadline = Clock::now() + std::chrono::minutes(3);
        while (loops->rounds.load() < kRounds && Clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (loops->rounds.load() < kRounds) {
            thread.detach();
            QFAIL(qPrintable(QStringLiteral("loop %1 of %2 never ended: a worker that fell asleep as it was published "
                                            "was not woken")
                                 .arg(loops->rounds.load() + 1)
                                 .arg(kRounds)));
        }
        thread.join();
        delete loops;
    }
};

QTEST_GUILESS_MAIN(ThreadPoolTest)
#include "test_thread_pool.moc"
