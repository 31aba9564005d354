#pragma once

// A machine's read bandwidth, the bound on generation speed (which reads every active weight once
// per token): bench_bandwidth's figure, and the bound beside bench_kernels' products streamed from
// memory in the same run. With the timing helpers both use.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace latent::bench {

// The shortest of `runs` runs of body, in seconds.
template <typename Body>
double bestSeconds(int runs, Body body)
{
    double best = 1e30;
    for (int run = 0; run < runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        body();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

// work(t) on `threads` threads at once, t = 0 .. threads - 1.
template <typename Work>
void onThreads(size_t threads, Work work)
{
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t)
        pool.emplace_back(work, t);
    for (std::thread& thread : pool)
        thread.join();
}

// Reads words and returns their sum (so that the reads are not optimized away), with the widest
// loads the processor has: the portable loop (which GCC compiles to 16-byte SSE2 loads on x86-64)
// read 2-7% less than 32-byte AVX2 loads in paired runs here, which would understate the bound
// and overstate the engine's share of it.
inline uint64_t sumWords(const uint64_t* p, size_t words)
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
__attribute__((target("avx2"))) inline uint64_t sumWordsAvx2(const uint64_t* p, size_t words)
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

inline uint64_t (*widestSum())(const uint64_t*, size_t)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("avx2"))
        return sumWordsAvx2;
#endif
    return sumWords;
}

// One pass of `threads` threads each summing its share of `bytes` bytes at once. (In small pages:
// advised as huge pages, as the CPU backend's weights are, it read the same here, 0.99x over 6
// paired runs.)
class ReadPass {
public:
    ReadPass(size_t bytes, size_t threads) : source_(bytes / sizeof(uint64_t), 1), sums_(threads) {}

    void run()
    {
        const size_t slice = source_.size() / sums_.size();
        onThreads(sums_.size(), [&](size_t t) { sums_[t] = sum_(source_.data() + t * slice, slice); });
    }
    double bytes() const { return double(source_.size() / sums_.size() * sums_.size() * sizeof(uint64_t)); }
    // The words read (all 1), for other passes over memory to use too.
    const std::vector<uint64_t>& words() const { return source_; }
    // The words' sum, to be printed so that the reads are not optimized away.
    uint64_t check() const
    {
        uint64_t check = 0;
        for (uint64_t s : sums_)
            check += s;
        return check;
    }

private:
    std::vector<uint64_t> source_;
    std::vector<uint64_t> sums_;
    uint64_t (*sum_)(const uint64_t*, size_t) = widestSum();
};

} // namespace latent::bench
