#pragma once

// The NEON kernels of the quantized block types (see DotKernels), in the ARM64 tables: the same
// kernels (dot_blocks_neon_rows.h) with the 8-bit products of ARMv8.0 (every AArch64 processor)
// or of the dot-product extension (FEAT_DotProd: sdot), and the interleaved groups' on sdot or on
// the 8-bit matrix multiply (FEAT_I8MM: smmla).

#include "engine/backend/cpu/dot_kernels.h"

namespace latent::cpu::neon {

// Sets the quantized block types' entries of table (setBlockKernels) to the ARMv8.0 kernels
// (dot_blocks_neon.cpp).
void addBlockKernels(DotKernels& table);
// The same with sdot (dot_blocks_neon_dotprod.cpp, compiled for FEAT_DotProd): only for a table
// chosen where the processor has it.
void addDotprodBlockKernels(DotKernels& table);

// Sets the interleaved groups' entries of table (DotKernels::q8_0Interleaved .. q6_KInterleaved)
// to the kernels of dot_interleaved_neon_groups.h on sdot (dot_interleaved_neon.cpp, compiled for
// FEAT_DotProd) or on smmla (dot_interleaved_neon_i8mm.cpp, compiled for FEAT_I8MM and FEAT_DotProd):
// each only for a table chosen where the processor has its extensions.
void addDotprodInterleavedKernels(DotKernels& table);
void addI8mmInterleavedKernels(DotKernels& table);

} // namespace latent::cpu::neon
