#pragma once

// The portable kernels of the block types beyond Q4_0 and Q8_0 (see DotKernels): every kernel
// table uses them where it has no faster one of its own.

#include "engine/backend/cpu/dot_kernels.h"

namespace latent::cpu::portable {

void quantizeSuperBlocks(const float* x, int8_t* quants, float* scales, int16_t* sums, size_t n);
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

} // namespace latent::cpu::portable
