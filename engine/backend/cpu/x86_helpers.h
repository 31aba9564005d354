#pragma once

// Small helpers shared by the x86 kernel files (dot_avx2.cpp, dot_avx512.cpp). Each file is
// compiled for its own instruction set, so these have internal linkage: every file gets its own
// copy, compiled with its flags, and none can be swapped for another's at link time.

#include "engine/quant/blocks.h"

#include <immintrin.h>

namespace latent::cpu {
namespace {

// The hardware's half-to-float conversion (F16C), instead of the portable bit manipulation.
inline float half(uint16_t h)
{
    return _cvtsh_ss(h);
}

inline float horizontalSum(__m256 v)
{
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

// Signed weight bytes of one block: Q8_0 as stored, Q4_0 unpacked from nibbles and re-centred.
inline __m256i weightBytes(const quant::BlockQ8_0& w)
{
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.q));
}

inline __m256i weightBytes(const quant::BlockQ4_0& w)
{
    const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w.q));
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
    return _mm256_sub_epi8(_mm256_and_si256(both, _mm256_set1_epi8(0x0F)), _mm256_set1_epi8(8));
}

inline __m256i activationBytes(const int8_t* quants)
{
    return _mm256_load_si256(reinterpret_cast<const __m256i*>(quants)); // 32-byte aligned
}

} // namespace
} // namespace latent::cpu
