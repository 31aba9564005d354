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

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace {

// Reads words and returns their sum (so that the reads are not optimized away), with the widest
// loads the processor has: the portable loop (which GCC compiles to 16-byte SSE2 loads on x86-64)
// read 2-7% less than 32-byte AVX2 loads in paired runs here, which would understate the bound
// and overstate the engine's share of it.
uint64_t sumWords(const uint64_t* p, size_t words)
{
    uint64_t a = 0, b = 0, c = 0, d = 0;
    for (size_t i = 0; i + 4 <= words; i += 4) {
        a += p[i];
        b += p[i + 1];
        c += p[i + 2];
        d += p[i + 3];
    }
    return a + b + c + d;
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) uint64_t sumWordsAvx2(const uint64_t* p, size_t words)
{
    __m256i a = _mm256_setzero_si256(), b = a, c = a, d = a;
    const auto* v = reinterpret_cast<const __m256i*>(p);
    for (size_t i = 0; i + 4 <= words / 4; i += 4) {
        a = _mm256_add_epi64(a, _mm256_loadu_si256(v + i));
        b = _mm256_add_epi64(b, _mm256_loadu_si256(v + i + 1));
        c = _mm256_add_epi64(c, _mm256_loadu_si256(v + i + 2));
        d = _mm256_add_epi64(d, _mm256_loadu_si256(v + i + 3));
    }
    alignas(32) uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes),
                       _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(c, d)));
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}
#endif

uint64_t (*widestSum())(const uint64_t*, size_t)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("avx2"))
        return sumWordsAvx2;
#endif
    return sumWords;
}

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
    const auto sum = widestSum();
    const double readSeconds = bestSeconds([&] {
        onThreads(threads, [&](size_t t) { sums[t] = sum(source.data() + t * slice, slice); });
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
