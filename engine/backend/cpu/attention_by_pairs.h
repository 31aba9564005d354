#pragma once

// Attention's tile kernels (DotKernels::attentionScoresF16, attentionValuesF16) written over a
// table's own one-row kernels, a (query, key) pair at a time: the portable table's, and the
// reference every tiled kernel must equal bit for bit. Tables without tiled kernels of their own
// (NEON) use them too.

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace latent::cpu {

template <float (*DotF16)(const uint16_t*, const float*, size_t)>
void attentionScoresByPairs(const uint16_t* keys, size_t keyStride, size_t keyCount, const float* const* queries,
                            size_t queryCount, size_t n, float* scores, size_t scoreStride)
{
    for (size_t q = 0; q < queryCount; ++q)
        for (size_t j = 0; j < keyCount; ++j)
            scores[q * scoreStride + j] = DotF16(keys + j * keyStride, queries[q], n);
}

template <void (*AxpyF16)(float*, float, const uint16_t*, size_t)>
void attentionValuesByKeys(float* const* outs, const float* weights, size_t weightStride, const size_t* keyCounts,
                           size_t queryCount, const uint16_t* values, size_t valueStride, size_t n)
{
    for (size_t q = 0; q < queryCount; ++q) {
        std::fill(outs[q], outs[q] + n, 0.0f);
        for (size_t j = 0; j < keyCounts[q]; ++j)
            AxpyF16(outs[q], weights[q * weightStride + j], values + j * valueStride, n);
    }
}

} // namespace latent::cpu
