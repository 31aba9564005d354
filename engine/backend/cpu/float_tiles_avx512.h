#pragma once

// Float products in tiles on AVX-512 (float_rows.h): AVX2's tiles (float_tiles_avx2.h) with
// 16-lane vectors, a product's 32 running sums in two of them (AVX2's sums 0 and 1 side by side
// in `front`, 2 and 3 in `back`), combined at the end as AVX2 combines its four, so the results
// are its bits. The thirty-two registers hold a tile of three rows by four tokens (24 sums, a
// row's two vectors each, a token's vector): each weight vector meets four tokens and each
// activation vector three rows. Attention's scores are tiles of one key by up to eight queries.

#include "engine/backend/cpu/float_tiles_avx2.h"

#include <immintrin.h>

#include <type_traits>

// GCC 12's AVX-512 intrinsics start some results from a self-initialized "undefined" register
// (_mm512_undefined_ps), which -Wmaybe-uninitialized reports at every use; the value is never
// read. Said once here, for the AVX-512 files, which all include this header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

namespace latent::cpu::avx512 {
namespace {

using avx2::eightValues;
using avx2::oneValue;

// Sixteen stored values from w as floats.
template <typename Values>
__m512 sixteenValues(const typename Values::Stored* w)
{
    if constexpr (std::is_same_v<Values, F32Values>) {
        return _mm512_loadu_ps(w);
    } else {
        const __m256i words = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w));
        if constexpr (std::is_same_v<Values, F16Values>)
            return _mm512_cvtph_ps(words);
        else
            return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(words), 16));
    }
}

inline __m256 lowHalf(__m512 v)
{
    return _mm512_castps512_ps256(v);
}

inline __m256 highHalf(__m512 v)
{
    return _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
}

// An empty instruction that takes v in a register: GCC otherwise folds a token's load into each
// row's multiply, R loads where one does, and the loads bounded the tile (F32 products 1.4x, F16
// 1.1x with the token's vector loaded once).
inline void keepInRegister(__m512& v)
{
    asm("" : "+v"(v));
}

// The tiles floatRowsInTiles walks: run() sets out[t * outStride + r] = rows[r] times tokens[t], n
// values each, for R <= kRows rows and T <= kTokens tokens.
struct FloatTiles {
    static constexpr size_t kRows = 3, kTokens = 4;

    template <size_t R, size_t T, typename Values>
    static void run(const typename Values::Stored* const* rows, const float* const* tokens, size_t n, float* out,
                    size_t outStride);
};

template <size_t R, size_t T, typename Values>
void FloatTiles::run(const typename Values::Stored* const* rows, const float* const* tokens, size_t n, float* out,
                     size_t outStride)
{
    __m512 front[R][T], back[R][T];
#pragma GCC unroll 4
    for (size_t r = 0; r < R; ++r)
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t)
            front[r][t] = back[r][t] = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 frontValues[R], backValues[R];
#pragma GCC unroll 4
        for (size_t r = 0; r < R; ++r) {
            frontValues[r] = sixteenValues<Values>(rows[r] + i);
            backValues[r] = sixteenValues<Values>(rows[r] + i + 16);
        }
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t) {
            __m512 x = _mm512_loadu_ps(tokens[t] + i);
            keepInRegister(x);
#pragma GCC unroll 4
            for (size_t r = 0; r < R; ++r)
                front[r][t] = _mm512_add_ps(front[r][t], _mm512_mul_ps(frontValues[r], x));
        }
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t) {
            __m512 x = _mm512_loadu_ps(tokens[t] + i + 16);
            keepInRegister(x);
#pragma GCC unroll 4
            for (size_t r = 0; r < R; ++r)
                back[r][t] = _mm512_add_ps(back[r][t], _mm512_mul_ps(backValues[r], x));
        }
    }
    // AVX2's last whole eights go into its sum 0.
    __m256 first[R][T];
#pragma GCC unroll 4
    for (size_t r = 0; r < R; ++r)
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t)
            first[r][t] = lowHalf(front[r][t]);
    for (; i + 8 <= n; i += 8) {
#pragma GCC unroll 4
        for (size_t r = 0; r < R; ++r) {
            const __m256 w = eightValues<Values>(rows[r] + i);
#pragma GCC unroll 8
            for (size_t t = 0; t < T; ++t)
                first[r][t] = _mm256_add_ps(first[r][t], _mm256_mul_ps(w, _mm256_loadu_ps(tokens[t] + i)));
        }
    }
#pragma GCC unroll 4
    for (size_t r = 0; r < R; ++r) {
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t) {
            float sum = horizontalSum(_mm256_add_ps(_mm256_add_ps(first[r][t], highHalf(front[r][t])),
                                                    _mm256_add_ps(lowHalf(back[r][t]), highHalf(back[r][t]))));
            for (size_t j = i; j < n; ++j)
                sum = sum + oneValue<Values>(rows[r] + j) * tokens[t][j];
            out[t * outStride + r] = sum;
        }
    }
}

} // namespace
} // namespace latent::cpu::avx512
