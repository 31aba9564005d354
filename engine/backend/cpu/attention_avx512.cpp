// Attention's tiles on AVX-512 (DotKernels::attentionScoresF16, attentionValuesF16): AVX2's tiles
// (attention_avx2.cpp) with 16-lane vectors and twice the registers, so each F16 key and value is
// widened once for more queries, and each instruction does twice the work. The sums keep AVX2's
// lanes and steps, so the results are its bits (and attention_by_pairs.h's):
// - a score is a float product of the key and the query: float_tiles_avx512.h's tile of one row;
// - a weighted sum of values is one lane per dimension, in key order, however wide the vector:
//   the last dimensions (n % 16) go through masked loads and stores in the same lanes.

#include "engine/backend/cpu/attention_avx512.h"
#include "engine/backend/cpu/float_tiles_avx512.h"
#include "engine/backend/cpu/x86_helpers.h"

#include <immintrin.h>

#include <algorithm>

namespace latent::cpu::avx512 {
namespace {

// Q queries' scores of one key: a tile of one row (float_tiles_avx512.h; Q = 8 keeps the sixteen
// sums, the key's two vectors and a query in the thirty-two registers).
template <size_t Q>
void scoresOfKey(const uint16_t* key, const float* const* queries, size_t n, float* scores, size_t scoreStride)
{
    FloatTiles::run<1, Q, F16Values>(&key, queries, n, scores, scoreStride);
}

// Q queries' weighted sums of V * 16 values of each row from `first` (the last vector's lanes
// limited to `last`): the keys all of them see together, then each one's own last keys, every
// sum in key order.
template <size_t Q, size_t V>
void valuesOfColumns(float* const* outs, const float* const* weights, const size_t* keyCounts, const uint16_t* values,
                     size_t valueStride, bool apart, size_t first, __mmask16 last)
{
    const auto lanes = [last](size_t c) { return c + 1 == V ? last : __mmask16(0xFFFF); };
    const auto widen = [&](size_t j, size_t c) __attribute__((always_inline)) {
        return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(lanes(c), values + j * valueStride + first + 16 * c));
    };
    __m512 sums[Q][V];
    size_t together = keyCounts[0];
#pragma GCC unroll 4
    for (size_t q = 0; q < Q; ++q) {
        together = std::min(together, keyCounts[q]);
#pragma GCC unroll 8
        for (__m512& sum : sums[q])
            sum = _mm512_setzero_ps();
    }
    for (size_t j = 0; j < together; ++j) {
        if (apart && j + kRowsAhead < together)
            prefetchRow(values + (j + kRowsAhead) * valueStride + first, 16 * V);
        __m512 value[V];
#pragma GCC unroll 8
        for (size_t c = 0; c < V; ++c)
            value[c] = widen(j, c);
#pragma GCC unroll 4
        for (size_t q = 0; q < Q; ++q) {
            const __m512 weight = _mm512_set1_ps(weights[q][j]);
#pragma GCC unroll 8
            for (size_t c = 0; c < V; ++c)
                sums[q][c] = _mm512_add_ps(sums[q][c], _mm512_mul_ps(weight, value[c]));
        }
    }
#pragma GCC unroll 4
    for (size_t q = 0; q < Q; ++q) {
        for (size_t j = together; j < keyCounts[q]; ++j) {
            const __m512 weight = _mm512_set1_ps(weights[q][j]);
#pragma GCC unroll 8
            for (size_t c = 0; c < V; ++c)
                sums[q][c] = _mm512_add_ps(sums[q][c], _mm512_mul_ps(weight, widen(j, c)));
        }
#pragma GCC unroll 8
        for (size_t c = 0; c < V; ++c)
            _mm512_mask_storeu_ps(outs[q] + first + 16 * c, lanes(c), sums[q][c]);
    }
}

// Q queries' whole rows: 128 values a pass for one or two queries, 64 for three or four (the sums,
// the values and a weight fit the registers), then 16, then the last n % 16 in masked lanes.
// Each pass reads every key's row.
template <size_t Q>
void valuesOfTile(float* const* outs, const float* const* weights, const size_t* keyCounts, const uint16_t* values,
                  size_t valueStride, size_t n)
{
    const bool apart = valueStride != n; // rows a stride apart are asked for ahead (x86_helpers.h)
    constexpr size_t kVectors = Q <= 2 ? 8 : 4;
    constexpr auto kAll = __mmask16(0xFFFF);
    size_t first = 0;
    for (; first + 16 * kVectors <= n; first += 16 * kVectors)
        valuesOfColumns<Q, kVectors>(outs, weights, keyCounts, values, valueStride, apart, first, kAll);
    for (; first + 16 <= n; first += 16)
        valuesOfColumns<Q, 1>(outs, weights, keyCounts, values, valueStride, apart, first, kAll);
    if (first < n)
        valuesOfColumns<Q, 1>(outs, weights, keyCounts, values, valueStride, apart, first,
                              __mmask16((1u << (n - first)) - 1));
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
    for (; q + 8 <= queryCount; q += 8)
        scoresKeyAfterKey<scoresOfKey<8>>(keys, keyStride, keyCount, queries + q, n, scores + q * scoreStride, scoreStride);
    const auto rest = [&]<size_t Q>() {
        scoresKeyAfterKey<scoresOfKey<Q>>(keys, keyStride, keyCount, queries + q, n, scores + q * scoreStride, scoreStride);
    };
    switch (queryCount - q) {
    case 7: rest.operator()<7>(); break;
    case 6: rest.operator()<6>(); break;
    case 5: rest.operator()<5>(); break;
    case 4: rest.operator()<4>(); break;
    case 3: rest.operator()<3>(); break;
    case 2: rest.operator()<2>(); break;
    case 1: rest.operator()<1>(); break;
    default: break;
    }
}

void attentionValuesF16(float* const* outs, const float* weights, size_t weightStride, const size_t* keyCounts,
                        size_t queryCount, const uint16_t* values, size_t valueStride, size_t n)
{
    valuesInTilesOfFour<ValuesOfTile>(outs, weights, weightStride, keyCounts, queryCount, values, valueStride, n);
}

} // namespace latent::cpu::avx512
