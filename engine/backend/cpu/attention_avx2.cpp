// Attention's tiles on AVX2 + F16C (DotKernels::attentionScoresF16, attentionValuesF16): each F16
// key and value is widened once for a tile of queries instead of once per query, and the
// queries' running sums stay in registers across the keys. Every sum takes float_sums.h's steps
// (a product, then a sum, lane by lane, in the same order), so the results are
// attention_by_pairs.h's bits, as prompts' and decoding's attention must be one another's.

#include "engine/backend/cpu/dot_blocks_avx2.h"
#include "engine/backend/cpu/float_tiles_avx2.h"
#include "engine/backend/cpu/x86_helpers.h"

#include <immintrin.h>

#include <algorithm>

namespace latent::cpu::avx2 {
namespace {

__m256 widen(const uint16_t* h)
{
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h)));
}

// Q queries' scores of one key: a tile of one row (float_tiles_avx2.h).
template <size_t Q>
void scoresOfKey(const uint16_t* key, const float* const* queries, size_t n, float* scores, size_t scoreStride)
{
    FloatTiles::run<1, Q, F16Values>(&key, queries, n, scores, scoreStride);
}

// Q queries' weighted sums of the V * 8 values of each row from `first`: the keys all of them
// see together, then each one's own last keys, every sum in key order.
template <size_t Q, size_t V>
void valuesOfColumns(float* const* outs, const float* const* weights, const size_t* keyCounts, const uint16_t* values,
                     size_t valueStride, bool apart, size_t first)
{
    __m256 sums[Q][V];
    size_t together = keyCounts[0];
    #pragma GCC unroll 4
    for (size_t q = 0; q < Q; ++q) {
        together = std::min(together, keyCounts[q]);
        #pragma GCC unroll 4
        for (__m256& sum : sums[q])
            sum = _mm256_setzero_ps();
    }
    for (size_t j = 0; j < together; ++j) {
        if (apart && j + kRowsAhead < together)
            prefetchRow(values + (j + kRowsAhead) * valueStride + first, 8 * V);
        __m256 value[V];
        #pragma GCC unroll 4
        for (size_t c = 0; c < V; ++c)
            value[c] = widen(values + j * valueStride + first + 8 * c);
        #pragma GCC unroll 4
        for (size_t q = 0; q < Q; ++q) {
            const __m256 weight = _mm256_broadcast_ss(weights[q] + j);
            #pragma GCC unroll 4
            for (size_t c = 0; c < V; ++c)
                sums[q][c] = _mm256_add_ps(sums[q][c], _mm256_mul_ps(weight, value[c]));
        }
    }
    #pragma GCC unroll 4
    for (size_t q = 0; q < Q; ++q) {
        for (size_t j = together; j < keyCounts[q]; ++j) {
            const __m256 weight = _mm256_broadcast_ss(weights[q] + j);
            #pragma GCC unroll 4
            for (size_t c = 0; c < V; ++c)
                sums[q][c] = _mm256_add_ps(sums[q][c],
                                           _mm256_mul_ps(weight, widen(values + j * valueStride + first + 8 * c)));
        }
        #pragma GCC unroll 4
        for (size_t c = 0; c < V; ++c)
            _mm256_storeu_ps(outs[q] + first + 8 * c, sums[q][c]);
    }
}

// Q queries' whole rows: 16 values at a time (4 queries by 2 vectors of sums, with the values
// and a weight, fit the registers), 32 for one or two queries, then 8, then the last n % 8 one by
// one. Each pass reads every key's row, and each sum waits for the last at every key: one query
// (a decoding step) with two sums would read its values 8 times for 128 and wait on the adds.
template <size_t Q>
void valuesOfTile(float* const* outs, const float* const* weights, const size_t* keyCounts, const uint16_t* values,
                  size_t valueStride, size_t n)
{
    const bool apart = valueStride != n; // rows a stride apart are asked for ahead (x86_helpers.h)
    size_t first = 0;
    if constexpr (Q <= 2) {
        for (; first + 32 <= n; first += 32)
            valuesOfColumns<Q, 4>(outs, weights, keyCounts, values, valueStride, apart, first);
    }
    for (; first + 16 <= n; first += 16)
        valuesOfColumns<Q, 2>(outs, weights, keyCounts, values, valueStride, apart, first);
    if (first + 8 <= n) {
        valuesOfColumns<Q, 1>(outs, weights, keyCounts, values, valueStride, apart, first);
        first += 8;
    }
    #pragma GCC unroll 4
    for (size_t q = 0; q < Q; ++q) {
        for (size_t r = first; r < n; ++r) {
            float sum = 0;
            for (size_t j = 0; j < keyCounts[q]; ++j)
                sum = sum + weights[q][j] * half(values[j * valueStride + r]);
            outs[q][r] = sum;
        }
    }
}

struct ValuesOfTile {
    template <size_t Q>
    static void run(float* const* outs, const float* const* weights, const size_t* keyCounts, const uint16_t* values,
                    size_t valueStride, size_t n)
    {
        valuesOfTile<Q>(outs, weights, keyCounts, values, valueStride, n);
    }
};

} // namespace

void attentionScoresF16(const uint16_t* keys, size_t keyStride, size_t keyCount, const float* const* queries,
                        size_t queryCount, size_t n, float* scores, size_t scoreStride)
{
    size_t q = 0;
    for (; q + 3 <= queryCount; q += 3)
        scoresKeyAfterKey<scoresOfKey<3>>(keys, keyStride, keyCount, queries + q, n, scores + q * scoreStride, scoreStride);
    if (queryCount - q == 2)
        scoresKeyAfterKey<scoresOfKey<2>>(keys, keyStride, keyCount, queries + q, n, scores + q * scoreStride, scoreStride);
    else if (queryCount - q == 1)
        scoresKeyAfterKey<scoresOfKey<1>>(keys, keyStride, keyCount, queries + q, n, scores + q * scoreStride, scoreStride);
}

void attentionValuesF16(float* const* outs, const float* weights, size_t weightStride, const size_t* keyCounts,
                        size_t queryCount, const uint16_t* values, size_t valueStride, size_t n)
{
    valuesInTilesOfFour<ValuesOfTile>(outs, weights, weightStride, keyCounts, queryCount, values, valueStride, n);
}

} // namespace latent::cpu::avx2
