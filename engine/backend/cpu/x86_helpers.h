#pragma once

// Small helpers shared by the x86 kernel files (dot_*.cpp, attention_*.cpp). Each file is
// compiled for its own instruction set, so these have internal linkage: every file gets its own
// copy, compiled with its flags, and none can be swapped for another's at link time.

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace latent::cpu {
namespace {

// The hardware's half-to-float conversion (F16C), instead of the portable bit manipulation.
inline float half(uint16_t h)
{
    return _cvtsh_ss(h);
}

// The eight lanes summed as float_sums.h's floatLanesSum combines them: (0+4, 1+5, 2+6, 3+7),
// then (0+2) + (1+3) of those.
inline float horizontalSum(__m256 v)
{
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

// The largest of the eight lanes.
inline float horizontalMax(__m256 v)
{
    __m128 max = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    max = _mm_max_ps(max, _mm_movehl_ps(max, max));
    max = _mm_max_ss(max, _mm_movehdup_ps(max));
    return _mm_cvtss_f32(max);
}

inline int32_t horizontalSumInt(__m128i v)
{
    const __m128i half = _mm_add_epi32(v, _mm_unpackhi_epi64(v, v));
    return _mm_cvtsi128_si32(_mm_add_epi32(half, _mm_shuffle_epi32(half, 1)));
}

inline int32_t horizontalSumInt(__m256i v)
{
    return horizontalSumInt(_mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1)));
}

// Q3_K's sixteen 6-bit scales less 32 (quant::q3KScale's), as signed bytes in sub-block order:
// the low four bits are bytes 0-7's low nibbles (scales 0-7) then their high nibbles (8-15); the
// high two bits of scale 4k + m are bits 2k..2k+1 of byte 8 + m, so the word of bytes 8-11
// shifted right by 0, 2, 4 and 6 holds them in order.
inline __m128i q3KScaleBytes(const uint8_t* packed)
{
    uint64_t lowBytes;
    uint32_t highWord;
    std::memcpy(&lowBytes, packed, 8);
    std::memcpy(&highWord, packed + 8, 4);
    const __m128i low = _mm_and_si128(_mm_set_epi64x(int64_t(lowBytes >> 4), int64_t(lowBytes)), _mm_set1_epi8(0x0F));
    const __m128i high =
        _mm_and_si128(_mm_srlv_epi32(_mm_set1_epi32(int(highWord)), _mm_setr_epi32(0, 2, 4, 6)), _mm_set1_epi8(3));
    return _mm_sub_epi8(_mm_or_si128(low, _mm_slli_epi16(high, 4)), _mm_set1_epi8(32));
}

// Q4_K's and Q5_K's eight 6-bit scales and minimums (quant::kQuantScaleMin's), a byte each,
// unpacked four at a time from the 32-bit words of the 12 packed bytes.
struct KQuantScales {
    uint64_t scales, minimums;

    explicit KQuantScales(const uint8_t* packed)
    {
        uint32_t words[3];
        std::memcpy(words, packed, 12);
        scales = (words[0] & 0x3F3F3F3Fu) | uint64_t((words[2] & 0x0F0F0F0Fu) | ((words[0] >> 2) & 0x30303030u)) << 32;
        minimums = (words[1] & 0x3F3F3F3Fu) |
                   uint64_t(((words[2] >> 4) & 0x0F0F0F0Fu) | ((words[1] >> 2) & 0x30303030u)) << 32;
    }
};

// Attention's tiles read one row of each cached position. In rows of positions (every head's row
// of a position side by side: MLA's decompressed heads, a cache a caller uploads) a head's rows lie
// a stride apart (4 KiB in DeepSeek-Coder-1.3B), where the processors' prefetchers, which stay
// within a page, do not follow. The tiles ask for the row kRowsAhead positions ahead themselves:
// decoding at 2,048 positions from such a cache, attention ran 1.16x as fast (4 paired runs, 2
// cores). Rows one after another (MLA's latents, the llama caches the CPU keeps by head) the
// prefetchers stream, and asking ahead there only costs instructions: Coder-1.3B's cache by head
// at 2,048 positions read 1.03-1.20x as fast without (3 alternated runs), so the tiles ask only
// for rows a stride apart.
constexpr size_t kRowsAhead = 8;

// The cache lines of n F16 values from row.
inline void prefetchRow(const uint16_t* row, size_t n)
{
    for (size_t byte = 0; byte < n * sizeof(uint16_t); byte += 64)
        _mm_prefetch(reinterpret_cast<const char*>(row) + byte, _MM_HINT_T0);
}

// A tile's scores (DotKernels::attentionScoresF16 for one group of queries), key after key, each
// key's row asked for kRowsAhead keys ahead where the rows lie apart; ScoresOfKey scores one key
// for every query.
template <void (*ScoresOfKey)(const uint16_t* key, const float* const* queries, size_t n, float* scores,
                              size_t scoreStride)>
void scoresKeyAfterKey(const uint16_t* keys, size_t keyStride, size_t keyCount, const float* const* queries, size_t n,
                       float* scores, size_t scoreStride)
{
    const bool apart = keyStride != n;
    for (size_t j = 0; j < keyCount; ++j) {
        if (apart && j + kRowsAhead < keyCount)
            prefetchRow(keys + (j + kRowsAhead) * keyStride, n);
        ScoresOfKey(keys + j * keyStride, queries, n, scores + j, scoreStride);
    }
}

// DotKernels::attentionWeights through F16C: score / divisor rounded to F16 and back (F16C
// rounds to nearest even, as floatToHalf does).
inline void attentionWeights(float* scores, size_t count, float divisor)
{
    const __m256 divisors = _mm256_set1_ps(divisor);
    size_t j = 0;
    for (; j + 8 <= count; j += 8) {
        const __m256 weights = _mm256_div_ps(_mm256_loadu_ps(scores + j), divisors);
        _mm256_storeu_ps(scores + j, _mm256_cvtph_ps(_mm256_cvtps_ph(weights, _MM_FROUND_TO_NEAREST_INT)));
    }
    for (; j < count; ++j)
        scores[j] = half(_cvtss_sh(scores[j] / divisor, _MM_FROUND_TO_NEAREST_INT));
}

// DotKernels::attentionValuesF16 over tiles of up to four queries: Tiles::run<count> for each
// tile's weighted sums.
template <typename Tiles>
void valuesInTilesOfFour(float* const* outs, const float* weights, size_t weightStride, const size_t* keyCounts,
                         size_t queryCount, const uint16_t* values, size_t valueStride, size_t n)
{
    constexpr size_t kTile = 4;
    const float* rows[kTile];
    for (size_t q0 = 0; q0 < queryCount; q0 += kTile) {
        const size_t count = std::min(kTile, queryCount - q0);
        for (size_t q = 0; q < count; ++q)
            rows[q] = weights + (q0 + q) * weightStride;
        switch (count) {
        case 4: Tiles::template run<4>(outs + q0, rows, keyCounts + q0, values, valueStride, n); break;
        case 3: Tiles::template run<3>(outs + q0, rows, keyCounts + q0, values, valueStride, n); break;
        case 2: Tiles::template run<2>(outs + q0, rows, keyCounts + q0, values, valueStride, n); break;
        default: Tiles::template run<1>(outs + q0, rows, keyCounts + q0, values, valueStride, n); break;
        }
    }
}

} // namespace
} // namespace latent::cpu
