#pragma once

// Float products in tiles on AVX2 + F16C (float_rows.h): R weight rows by T activation rows, each
// product's 32 running sums in four 8-lane vectors (float_sums.h's lanes), a product then a sum.
// The sixteen registers hold twelve sums, so tiles are one row by up to three tokens: the matrix
// products' tiles, and attention's scores (a key against three queries). Internal linkage, as
// x86_helpers.h's, for the files compiled with these instructions.

#include "engine/backend/cpu/float_rows.h"
#include "engine/backend/cpu/x86_helpers.h"

#include "engine/core/half.h"

#include <immintrin.h>

#include <type_traits>

namespace latent::cpu::avx2 {
namespace {

// Eight stored values from w, and one, as floats.
template <typename Values>
__m256 eightValues(const typename Values::Stored* w)
{
    if constexpr (std::is_same_v<Values, F32Values>) {
        return _mm256_loadu_ps(w);
    } else {
        const __m128i words = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w));
        if constexpr (std::is_same_v<Values, F16Values>)
            return _mm256_cvtph_ps(words);
        else
            return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(words), 16));
    }
}

template <typename Values>
float oneValue(const typename Values::Stored* w)
{
    if constexpr (std::is_same_v<Values, F32Values>)
        return *w;
    else if constexpr (std::is_same_v<Values, F16Values>)
        return half(*w);
    else
        return bf16ToFloat(*w);
}

// The tiles floatRowsInTiles walks: run() sets out[t * outStride + r] = rows[r] times tokens[t], n
// values each, for R <= kRows rows and T <= kTokens tokens.
struct FloatTiles {
    static constexpr size_t kRows = 1, kTokens = 3;

    template <size_t R, size_t T, typename Values>
    static void run(const typename Values::Stored* const* rows, const float* const* tokens, size_t n, float* out,
                    size_t outStride);
};

template <size_t R, size_t T, typename Values>
void FloatTiles::run(const typename Values::Stored* const* rows, const float* const* tokens, size_t n, float* out,
                     size_t outStride)
{
    __m256 sums[R][T][4];
#pragma GCC unroll 4
    for (size_t r = 0; r < R; ++r)
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t)
#pragma GCC unroll 4
            for (__m256& sum : sums[r][t])
                sum = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
#pragma GCC unroll 4
        for (size_t c = 0; c < 4; ++c) {
#pragma GCC unroll 4
            for (size_t r = 0; r < R; ++r) {
                const __m256 w = eightValues<Values>(rows[r] + i + 8 * c);
#pragma GCC unroll 4
                for (size_t t = 0; t < T; ++t)
                    sums[r][t][c] = _mm256_add_ps(sums[r][t][c], _mm256_mul_ps(w, _mm256_loadu_ps(tokens[t] + i + 8 * c)));
            }
        }
    }
    for (; i + 8 <= n; i += 8) {
#pragma GCC unroll 4
        for (size_t r = 0; r < R; ++r) {
            const __m256 w = eightValues<Values>(rows[r] + i);
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t)
                sums[r][t][0] = _mm256_add_ps(sums[r][t][0], _mm256_mul_ps(w, _mm256_loadu_ps(tokens[t] + i)));
        }
    }
#pragma GCC unroll 4
    for (size_t r = 0; r < R; ++r) {
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t) {
            const __m256* s = sums[r][t];
            float sum = horizontalSum(_mm256_add_ps(_mm256_add_ps(s[0], s[1]), _mm256_add_ps(s[2], s[3])));
            for (size_t j = i; j < n; ++j)
                sum = sum + oneValue<Values>(rows[r] + j) * tokens[t][j];
            out[t * outStride + r] = sum;
        }
    }
}

} // namespace
} // namespace latent::cpu::avx2
