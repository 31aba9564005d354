#pragma once

// Small helpers shared by the x86 kernel files (dot_avx2.cpp, dot_avx512.cpp). Each file is
// compiled for its own instruction set, so these have internal linkage: every file gets its own
// copy, compiled with its flags, and none can be swapped for another's at link time.

#include <cstdint>
#include <immintrin.h>

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

inline int32_t horizontalSumInt(__m256i v)
{
    __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    sum = _mm_add_epi32(sum, _mm_unpackhi_epi64(sum, sum));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 1));
    return _mm_cvtsi128_si32(sum);
}

} // namespace
} // namespace latent::cpu
