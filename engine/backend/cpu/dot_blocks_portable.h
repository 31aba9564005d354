#pragma once

// The portable kernels of the quantized block types (see DotKernels): the reference every other
// table is held to, bit for bit.

#include "engine/backend/cpu/dot_kernels.h"

namespace latent::cpu::portable {

void quantizeSuperBlocks(const float* x, int8_t* quants, float* scales, int16_t* sums, size_t n);
void dotQ8_0Rows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotQ4_0Rows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotQ5_0Rows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotIq4NlRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotQ4_1Rows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotQ5_1Rows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotQ2_KRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotQ3_KRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotQ4_KRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotQ5_KRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotQ6_KRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);
void dotIq4XsRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride);

} // namespace latent::cpu::portable
