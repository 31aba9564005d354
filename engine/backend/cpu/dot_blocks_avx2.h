#pragma once

// The AVX2 kernels of the quantized block types (see DotKernels), in the AVX2 and AVX-512 tables.

#include "engine/backend/cpu/dot_kernels.h"

namespace latent::cpu::avx2 {

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

} // namespace latent::cpu::avx2
