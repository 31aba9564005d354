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

} // namespace latent::cpu::avx2
