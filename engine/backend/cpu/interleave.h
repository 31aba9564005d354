#pragma once

#include "engine/gguf/tensor_type.h"

#include <cstddef>
#include <cstdint>

namespace latent::cpu {

// Quantized matrices regrouped for the AVX2, AVX-512 and NEON dot-product kernels: 16 rows at a
// time, block by block, so that one 512-bit register (two 256-bit ones, four 128-bit ones) holds
// the same 4 positions of all 16 rows and each 32-bit lane is a row. The products of 16 rows then need no reduction across lanes.
//
// For each group of 16 rows, for each block of 32 positions:
//   Q4_0 (288 bytes): 16 fp16 scales; then 4 chunks of 64 bytes, chunk j holding, for row r at
//     bytes 4r..4r+3, positions 8j..8j+3 in the low nibbles and 8j+4..8j+7 in the high ones
//     (0..15, the stored values before re-centring by 8).
//   Q8_0 (544 bytes): 16 fp16 scales; then 8 chunks of 64 bytes, chunk k holding positions
//     4k..4k+3 of row r at bytes 4r..4r+3, as q + 128 (dpbusd's unsigned operand; the kernel
//     takes 128 * sum(x) back out, as Q4_0's takes 8 * sum(x)).
// The same values as the file's blocks, rearranged: no precision lost, no memory added.

inline constexpr int64_t kInterleavedRows = 16;

bool canInterleave(gguf::TensorType type, int64_t cols, int64_t rows);
size_t interleavedGroupBlockBytes(gguf::TensorType type); // bytes of one block of one group
size_t interleavedBytes(gguf::TensorType type, int64_t cols, int64_t rows);

// Groups [firstGroup, endGroup) of the matrix `rows` (as stored, rows one after another) into out
// (interleavedBytes() bytes for the whole matrix).
void interleave(gguf::TensorType type, const uint8_t* rows, int64_t cols, int64_t firstGroup, int64_t endGroup,
                uint8_t* out);

} // namespace latent::cpu
