#pragma once

// The NEON kernels of the quantized block types (see DotKernels), in the ARM64 tables: the same
// kernels (dot_blocks_neon_rows.h) with the 8-bit products of ARMv8.0 (every AArch64 processor)
// or of the dot-product extension (FEAT_DotProd: sdot), and the interleaved groups' on sdot.

#include "engine/backend/cpu/dot_kernels.h"

namespace latent::cpu::neon {

// Sets the quantized block types' entries of table (setBlockKernels) to the ARMv8.0 kernels
// (dot_blocks_neon.cpp).
void addBlockKernels(DotKernels& table);
// The same with sdot (dot_blocks_neon_dotprod.cpp, compiled for FEAT_DotProd): only for a table
// chosen where the processor has it.
void addDotprodBlockKernels(DotKernels& table);

// The interleaved groups' kernels (DotKernels::q8_0Interleaved, q4_0Interleaved,
// q5_0Interleaved, q4_KInterleaved, q6_KInterleaved) on sdot, in dot_interleaved_neon.cpp
// (compiled for FEAT_DotProd).
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

} // namespace latent::cpu::neon
