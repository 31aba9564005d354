#pragma once

// The AVX2 kernels of the quantized block types and of attention's tiles (see DotKernels), in the
// AVX2 and AVX-512 tables.

#include "engine/backend/cpu/dot_kernels.h"

namespace latent::cpu::avx2 {

// Sets the quantized block types' entries of table (setBlockKernels) to this file's kernels.
void addBlockKernels(DotKernels& table);

// The interleaved groups' kernels (DotKernels::q8_0Interleaved, q4_0Interleaved,
// q5_0Interleaved, q4_KInterleaved, q6_KInterleaved), in dot_interleaved_avx2.cpp.
void interleavedQ8_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride);
void interleavedQ4_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride);
void interleavedQ5_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride);
void interleavedQ4_K(const uint8_t* group, size_t blocks, const ActivationRow* x, size_t tokens, float* out,
                     size_t outStride);
void interleavedQ6_K(const uint8_t* group, size_t blocks, const ActivationRow* x, size_t tokens, float* out,
                     size_t outStride);

// Attention's tiles (DotKernels::attentionScoresF16, attentionValuesF16), in attention_avx2.cpp.
void attentionScoresF16(const uint16_t* keys, size_t keyStride, size_t keyCount, const float* const* queries,
                        size_t queryCount, size_t n, float* scores, size_t scoreStride);
void attentionValuesF16(float* const* outs, const float* weights, size_t weightStride, const size_t* keyCounts,
                        size_t queryCount, const uint16_t* values, size_t valueStride, size_t n);

} // namespace latent::cpu::avx2
