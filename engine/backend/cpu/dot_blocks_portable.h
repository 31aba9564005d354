#pragma once

// The portable kernels of the quantized block types (see DotKernels): the reference every other
// table is held to, bit for bit.

#include "engine/backend/cpu/dot_kernels.h"

namespace latent::cpu::portable {

void quantizeSuperBlocks(const float* x, int8_t* quants, float* scales, int16_t* sums, size_t n);
// Sets the quantized block types' entries of table (setBlockKernels) to this file's kernels.
void addBlockKernels(DotKernels& table);

} // namespace latent::cpu::portable
