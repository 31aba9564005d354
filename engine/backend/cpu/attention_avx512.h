#pragma once

// Attention's tiles on AVX-512 (DotKernels::attentionScoresF16, attentionValuesF16), in
// attention_avx512.cpp, for the AVX-512 table.

#include <cstddef>
#include <cstdint>

namespace latent::cpu::avx512 {

void attentionScoresF16(const uint16_t* keys, size_t keyStride, size_t keyCount, const float* const* queries,
                        size_t queryCount, size_t n, float* scores, size_t scoreStride);
void attentionValuesF16(float* const* outs, const float* weights, size_t weightStride, const size_t* keyCounts,
                        size_t queryCount, const uint16_t* values, size_t valueStride, size_t n);

} // namespace latent::cpu::avx512
