#pragma once

// The AVX2 kernels of the block types beyond Q4_0 and Q8_0 (see DotKernels), in the AVX2 and
// AVX-512 tables.

#include "engine/backend/cpu/dot_kernels.h"

namespace latent::cpu::avx2 {

float dotQ4_1(const void* row, const ActivationRow& x, size_t blocks);
float dotQ5_0(const void* row, const ActivationRow& x, size_t blocks);
float dotQ5_1(const void* row, const ActivationRow& x, size_t blocks);
float dotIq4Nl(const void* row, const ActivationRow& x, size_t blocks);
float dotQ2_K(const void* row, const ActivationRow& x, size_t blocks);
float dotQ3_K(const void* row, const ActivationRow& x, size_t blocks);
float dotQ4_K(const void* row, const ActivationRow& x, size_t blocks);
float dotQ5_K(const void* row, const ActivationRow& x, size_t blocks);
float dotQ6_K(const void* row, const ActivationRow& x, size_t blocks);
float dotIq4Xs(const void* row, const ActivationRow& x, size_t blocks);
// Rows 0..3 of x at once (prompts): each weight block unpacked once for the four.
void dotQ5_0x4(const void* row, const ActivationRow* x, size_t blocks, float out[4]);
void dotQ4_Kx4(const void* row, const ActivationRow* x, size_t blocks, float out[4]);
void dotQ5_Kx4(const void* row, const ActivationRow* x, size_t blocks, float out[4]);
void dotQ6_Kx4(const void* row, const ActivationRow* x, size_t blocks, float out[4]);

} // namespace latent::cpu::avx2
