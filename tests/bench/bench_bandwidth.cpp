// Memory bandwidth of this machine with N threads: the bound on generation speed, which reads
// every active weight once per token.
//   bench_bandwidth [THREADS] [MIB]    -> one JSON line: read and copy GB/s (best of 5)

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace {

template <typename Body>
double bestSeconds(Body body)
{
    double best = 1e30;
    for (int run = 0; run < 5; ++run) {
        const auto start = std::chrono::steady_clock::now();
        body();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

template <typename Work>
void onThreads(size_t threads, Work work)
{
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t)
        pool.emplace_back(work, t);
    for (std::thread& thread : pool)
        thread.join();
}

} // namespace

int main(int argc, char** argv)
{
    const size_t threads = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2;
    const size_t bytes = (argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1024) << 20;
    const size_t words = bytes / sizeof(uint64_t);
    std::vector<uint64_t> source(words, 1), target(words, 0);
    const size_t slice = words / threads;

    std::vector<uint64_t> sums(threads);
    const double readSeconds = bestSeconds([&] {
        onThreads(threads, [&](size_t t) {
            uint64_t a = 0, b = 0, c = 0, d = 0;
            const uint64_t* p = source.data() + t * slice;
            for (size_t i = 0; i + 4 <= slice; i += 4) {
                a += p[i];
                b += p[i + 1];
                c += p[i + 2];
                d += p[i + 3];
            }
            sums[t] = a + b + c + d;
        });
    });
    const double copySeconds = bestSeconds([&] {
        onThreads(threads, [&](size_t t) {
            std::memcpy(target.data() + t * slice, source.data() + t * slice, slice * sizeof(uint64_t));
        });
    });
    uint64_t check = 0;
    for (uint64_t s : sums)
        check += s;
    fmt::print("{{\"threads\": {}, \"bytes\": {}, \"read_gb_s\": {:.2f}, \"copy_gb_s\": {:.2f}, \"check\": {}}}\n", threads,
               bytes, double(bytes) / readSeconds / 1e9, double(bytes) / copySeconds / 1e9, check + target[words / 2]);
    return 0;
}
