#pragma once

#include "engine/gguf/tensor_type.h"

#include <cstddef>
#include <cstdint>

namespace latent::cpu {

// Quantized matrices regrouped for the AVX2, AVX-512 and NEON dot-product kernels: 16 rows at a
// time, block by block, so that one 512-bit register (two 256-bit ones, four 128-bit ones) holds
// the same 4 positions of all 16 rows and each 32-bit lane is a row. The products of 16 rows then need no reduction across lanes.
//
// For each group of 16 rows, for each block of 32 positions (Q4_0, Q5_0, Q8_0):
//   Q4_0 (288 bytes): 16 fp16 scales; then 4 chunks of 64 bytes, chunk j holding, for row r at
//     bytes 4r..4r+3, positions 8j..8j+3 in the low nibbles and 8j+4..8j+7 in the high ones
//     (0..15, the stored values before re-centring by 8).
//   Q5_0 (352 bytes): as Q4_0 (the low four bits of each value), then 64 bytes of fifth bits, row r
//     at bytes 4r..4r+3, bit k of byte i position 4k + i's (values 0..31 before re-centring by 16).
//   Q8_0 (544 bytes): 16 fp16 scales; then 8 chunks of 64 bytes, chunk k holding positions
//     4k..4k+3 of row r at bytes 4r..4r+3, as q + 128 (dpbusd's unsigned operand; the kernel
//     takes 128 * sum(x) back out, as Q4_0's takes 8 * sum(x)).
// and, for each super-block of 256 positions (the K-quants; the kernels meet llama.cpp's Q8_K
// activations, one ActivationRow per token):
//   Q4_K (2304 bytes): 16 fp16 d, then 16 fp16 dmin; then the 6-bit sub-block scales, 96 bytes
//     from 64: their low four bits at 64 + 16j + r for row r (scale j, j = 0..3, in the low nibble,
//     scale j + 4 in the high one), their high two bits at 128 + 16i + r (scale 4i + m in bits
//     2m..2m+1); then the minimums the same way from 160 (low bits; high bits from 224); then the
//     nibbles, 256 bytes per sub-block from 256: 4 chunks of 64 bytes, chunk j as Q4_0's
//     (positions 8j..8j+3 of the sub-block low, 8j+4..8j+7 high, values 0..15). A kernel
//     unpacks a sub-block's 16 scales with a few byte operations, once for all its tokens.
//   Q6_K (3360 bytes): 16 fp16 d; then the 16 sub-block scales (int8), sub-block s at 32 + 16s + r;
//     then per sub-block of 16 positions (from 288, 192 bytes each): 2 chunks of 64 bytes of low
//     nibbles, chunk j as Q4_0's (positions 8j..8j+3 low, 8j+4..8j+7 high), then 64 bytes of the
//     high two bits, row r at bytes 4r..4r+3, byte i holding positions i, 4 + i, 8 + i, 12 + i in
//     bits 0-1, 2-3, 4-5, 6-7; a value is low | high << 4, 0..63 (the stored value before
//     re-centring by 32).
// The same values as the file's blocks, rearranged: no precision lost, no memory added (a group
// of 16 rows takes the bytes of 16 stored rows, so row views of a matrix stay where they were).

inline constexpr int64_t kInterleavedRows = 16;

bool canInterleave(gguf::TensorType type, int64_t cols, int64_t rows);
// Bytes of one block (32 positions, or 256 for the K-quants) of one group.
size_t interleavedGroupBlockBytes(gguf::TensorType type);
size_t interleavedBytes(gguf::TensorType type, int64_t cols, int64_t rows);

// Groups [firstGroup, endGroup) of the matrix `rows` (as stored, rows one after another) into out
// (interleavedBytes() bytes for the whole matrix).
void interleave(gguf::TensorType type, const uint8_t* rows, int64_t cols, int64_t firstGroup, int64_t endGroup,
                uint8_t* out);

// The inverse for one row: row `row` of the interleaved matrix `groups` as the file stores it
// (its blocks, tensorTypeTraits(type).blockBytes each, into out), for what reads rows one value
// at a time (MLA's decompressed form transposes a per-head matrix).
void deinterleaveRow(gguf::TensorType type, const uint8_t* groups, int64_t cols, int64_t row, uint8_t* out);

} // namespace latent::cpu
