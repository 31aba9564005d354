#pragma once

// Matrix products of weights in their stored GGUF types: matrix-vector products for decoding, and
// the same over many tokens for prompts. Quantized weights are decoded in registers (never into a
// full-precision copy) and meet activations quantized to 8-bit blocks, so the products run on
// integer dot products (dp4a), as the CPU backend's do.

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

namespace latent::cuda {

// Activation rows quantized for the integer products (llama.cpp's Q8_1): per 32 values, 32 int8
// quants and a float2 of the scale d and d * (sum of the quants). Row r's block b is at
// quants + (r * blocks + b) * 32 and scales[r * blocks + b], blocks = cols / 32. The products
// read a block's quants as two 16-byte words: quants must be 16-byte aligned (as cudaMalloc's are).
struct QuantizedRows {
    const int8_t* quants;
    const float2* scales;
};

// Rows r < rows of x (row r at x + r * xStride floats, cols values, cols a multiple of 32) into
// quants and scales laid out as QuantizedRows describes.
cudaError_t quantizeRows(const float* x, int64_t xStride, int rows, int cols, int8_t* quants, float2* scales,
                         cudaStream_t stream);

// A stack of weight matrices as the file stores them: GGUF type `type` (gguf::TensorType's value),
// rows of `cols` values, rowBytes bytes each; matrix m is rows [m * matrixRows, (m + 1) * matrixRows).
// A single matrix is a stack of one. The blocks' 16- and 32-bit fields are read in place: data must
// be 4-byte aligned (GGUF aligns tensors to 32), rowBytes a multiple of 4 or of the block's bytes.
struct WeightStack {
    int type;
    const uint8_t* data;
    size_t rowBytes;
    int cols;
    int matrixRows;
};

// Whether weightProduct reads type's activations quantized (quantizeRows) rather than as floats
// (F32, F16 and BF16 weights).
bool readsQuantizedRows(int type);
// Whether the products decode `type` (every type the CPU backend computes: F32, F16, BF16, Q4_0,
// Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_XS).
bool decodesWeightType(int type);

// The activations of a product: x row j is row j of `floats` (xStride floats apart) for the float
// types, row j of `quantized` (contiguous, cols / 32 blocks each) for the quantized ones.
struct ProductInput {
    const float* floats = nullptr;
    int64_t xStride = 0;
    QuantizedRows quantized{};
};

// For each pair p < pairs and row r < w.matrixRows:
//   y[p * yStride + r] = sum_i W_m[r][i] * x_j[i],  m = ids ? ids[p] : 0,  j = p / pairsPerXRow.
// ids (device, pairs values) picks each pair's matrix of the stack (a token's chosen expert, a
// head's per-head matrix); without ids every pair uses matrix 0, which is a plain matrix product of
// pairs tokens (pairsPerXRow 1), tiled over tokens for prompts.
cudaError_t weightProduct(const WeightStack& w, const ProductInput& x, int pairsPerXRow, const int32_t* ids,
                          int pairs, float* y, int64_t yStride, cudaStream_t stream);

// y[t] = table row ids[t] as F32, for t < count (cols values each); any type weightProduct decodes.
cudaError_t getRows(const WeightStack& table, const int32_t* ids, int count, float* y, cudaStream_t stream);

} // namespace latent::cuda
