#include "kernels/weight_products.h"

#include "kernels/block_reduce.cuh"
#include "kernels/weight_blocks.cuh"

#include <algorithm>
#include <type_traits>

// Every weight type is decoded 32 values (a "chunk") at a time by weight_blocks.cuh, the code the
// host test holds to engine/quant's dequantize; here are the kernels that run it.

namespace latent::cuda {
namespace {

constexpr int kWarp = 32;
constexpr int kMaxGridY = 65535;

// --- Activations to Q8_1 -----------------------------------------------------------------------

constexpr int kQuantizeThreads = 256;

// A warp per 32-value block, a lane per value: the block's amax and sum of quants by shuffles (the
// sum in floats, exact for integers this small), every step otherwise quantizeActivationBlock's.
__global__ void quantizeRowsKernel(const float* __restrict__ x, int64_t xStride, int64_t blocks, int blocksPerRow,
                                   int8_t* __restrict__ quants, float2* __restrict__ scales)
{
    const int64_t block = int64_t(blockIdx.x) * (kQuantizeThreads / kWarp) + threadIdx.x / kWarp;
    if (block >= blocks) // the whole warp
        return;
    const int lane = threadIdx.x % kWarp;
    const float value = x[block / blocksPerRow * xStride + block % blocksPerRow * kChunkValues + lane];
    const ActivationScale scale = activationScale(warpMax(fabsf(value)));
    const int quant = activationQuant(value, scale.inverse);
    quants[block * kChunkValues + lane] = int8_t(quant);
    const int quantSum = int(warpSum(float(quant)));
    if (lane == 0)
        scales[block] = make_float2(scale.d, activationSum(scale.d, quantSum));
}

// --- Products ----------------------------------------------------------------------------------
//
// One kernel, two tilings. A block of threads is kWarpsPerBlock warps; each warp computes
// kRowsPerWarp consecutive output rows for kTokens pairs, so a block covers kRowsPerBlock rows
// (grid x) of one tile of pairs (grid y). The warp's lanes take the rows' 32-value chunks round
// robin (lane l: chunks l, l + 32, ...), so neighbouring lanes read neighbouring bytes; a lane
// decodes each of its rows' chunk once into registers, then, for every pair of the tile, loads
// the pair's activation block once and dots it with each row's chunk. The kRowsPerWarp x kTokens
// partial sums stay in registers until the row ends, when shuffles reduce them over the warp.
//  - Matrix-vector (kTokens 1): a few pairs, or pairs with ids, where each pair may use another
//    matrix of the stack (MoE experts, per-head matrices): a tile is a single pair.
//  - Prompts (kTokens kPromptTokens): pairs of one matrix; each decoded chunk serves eight tokens
//    before the next is decoded, eight times fewer decodes than a pass per token.
// Float weights run the same tiles over single values against the float activations.
constexpr int kWarpsPerBlock = 4;
constexpr int kRowsPerWarp = 2;
constexpr int kRowsPerBlock = kWarpsPerBlock * kRowsPerWarp;
constexpr int kPromptTokens = 8;

template <int kTokens>
using TileSums = float[kRowsPerWarp][kTokens];

// The rows' products with the tile's activation rows xRows (the first `tokens` of them), a lane's
// share. rows: the warp's first row; rowCount (>= 1) of its kRowsPerWarp rows exist, the others
// repeat the last (their sums are not written).
template <int Type, int kTokens>
__device__ __forceinline__ void accumulateQuantized(const uint8_t* rows, size_t rowBytes, int rowCount,
                                                    const QuantizedRows& x, const int64_t (&xRows)[kTokens],
                                                    int tokens, int cols, int lane, TileSums<kTokens>& sums)
{
    constexpr int kChunksPerBlock = blockValues(Type) / kChunkValues;
    const int chunks = cols / kChunkValues;
    for (int c = lane; c < chunks; c += kWarp) {
        const size_t blockOffset = size_t(c / kChunksPerBlock) * blockBytes(Type);
        WeightChunk weights[kRowsPerWarp];
#pragma unroll
        for (int r = 0; r < kRowsPerWarp; ++r)
            weights[r] = decodeChunk<Type>(rows + min(r, rowCount - 1) * rowBytes + blockOffset, c % kChunksPerBlock);
#pragma unroll
        for (int t = 0; t < kTokens; ++t) {
            if (t >= tokens)
                break;
            const int64_t block = xRows[t] * chunks + c;
            const int4* packed = reinterpret_cast<const int4*>(x.quants + block * kChunkValues);
            const int4 low = packed[0], high = packed[1];
            const int32_t quants[8] = {low.x, low.y, low.z, low.w, high.x, high.y, high.z, high.w};
            const float2 scale = x.scales[block];
#pragma unroll
            for (int r = 0; r < kRowsPerWarp; ++r)
                sums[r][t] += chunkDot<Type>(weights[r], quants, scale.x, scale.y);
        }
    }
}

template <int Type, int kTokens>
__device__ __forceinline__ void accumulateFloat(const uint8_t* rows, size_t rowBytes, int rowCount,
                                                const ProductInput& x, const int64_t (&xRows)[kTokens], int tokens,
                                                int cols, int lane, TileSums<kTokens>& sums)
{
    for (int i = lane; i < cols; i += kWarp) {
        float weights[kRowsPerWarp];
#pragma unroll
        for (int r = 0; r < kRowsPerWarp; ++r)
            weights[r] = floatWeightAt<Type>(rows + min(r, rowCount - 1) * rowBytes, i);
#pragma unroll
        for (int t = 0; t < kTokens; ++t) {
            if (t >= tokens)
                break;
            const float value = x.floats[xRows[t] * x.xStride + i];
#pragma unroll
            for (int r = 0; r < kRowsPerWarp; ++r)
                sums[r][t] += weights[r] * value;
        }
    }
}

// ids only with kTokens 1 (the launcher's choice): a tile's pairs share one matrix.
template <int Type, int kTokens>
__global__ void __launch_bounds__(kWarpsPerBlock* kWarp)
    weightProductKernel(WeightStack w, ProductInput x, int pairsPerXRow, const int32_t* __restrict__ ids, int pairs,
                        float* __restrict__ y, int64_t yStride)
{
    const int lane = threadIdx.x % kWarp;
    const int firstRow = (blockIdx.x * kWarpsPerBlock + threadIdx.x / kWarp) * kRowsPerWarp;
    if (firstRow >= w.matrixRows) // the whole warp; no barrier follows
        return;
    const int rowCount = min(kRowsPerWarp, w.matrixRows - firstRow);
    for (int firstPair = blockIdx.y * kTokens; firstPair < pairs; firstPair += int(gridDim.y) * kTokens) {
        const int tokens = min(kTokens, pairs - firstPair);
        const int matrix = ids != nullptr ? ids[firstPair] : 0;
        const uint8_t* rows = w.data + (size_t(matrix) * w.matrixRows + firstRow) * w.rowBytes;
        int64_t xRows[kTokens];
#pragma unroll
        for (int t = 0; t < kTokens; ++t)
            xRows[t] = (firstPair + min(t, tokens - 1)) / pairsPerXRow;

        TileSums<kTokens> sums = {};
        if constexpr (isFloatType(Type))
            accumulateFloat<Type, kTokens>(rows, w.rowBytes, rowCount, x, xRows, tokens, w.cols, lane, sums);
        else
            accumulateQuantized<Type, kTokens>(rows, w.rowBytes, rowCount, x.quantized, xRows, tokens, w.cols, lane,
                                               sums);

#pragma unroll
        for (int r = 0; r < kRowsPerWarp; ++r) {
#pragma unroll
            for (int t = 0; t < kTokens; ++t) {
                const float sum = warpSum(sums[r][t]);
                if (lane == 0 && r < rowCount && t < tokens)
                    y[int64_t(firstPair + t) * yStride + firstRow + r] = sum;
            }
        }
    }
}

// --- Rows to F32 ---------------------------------------------------------------------------------

constexpr int kGetRowsThreads = 256;

// A block of threads per row; a thread per chunk (per value for the float types).
template <int Type>
__global__ void getRowsKernel(WeightStack table, const int32_t* __restrict__ ids, float* __restrict__ y)
{
    const uint8_t* row = table.data + size_t(ids[blockIdx.x]) * table.rowBytes;
    float* out = y + size_t(blockIdx.x) * table.cols;
    if constexpr (isFloatType(Type)) {
        for (int i = threadIdx.x; i < table.cols; i += blockDim.x)
            out[i] = floatWeightAt<Type>(row, i);
    } else {
        constexpr int kChunksPerBlock = blockValues(Type) / kChunkValues;
        for (int c = threadIdx.x; c < table.cols / kChunkValues; c += blockDim.x) {
            const WeightChunk chunk =
                decodeChunk<Type>(row + size_t(c / kChunksPerBlock) * blockBytes(Type), c % kChunksPerBlock);
#pragma unroll
            for (int i = 0; i < kChunkValues; ++i)
                out[c * kChunkValues + i] = chunkValue<Type>(chunk, i);
        }
    }
}

// --- Host side ---------------------------------------------------------------------------------

// launch(std::integral_constant<int, type>) for a decoded type.
template <typename Launch>
cudaError_t withWeightType(int type, Launch&& launch)
{
    switch (type) {
    case kF32: return launch(std::integral_constant<int, kF32>{});
    case kF16: return launch(std::integral_constant<int, kF16>{});
    case kBF16: return launch(std::integral_constant<int, kBF16>{});
    case kQ4_0: return launch(std::integral_constant<int, kQ4_0>{});
    case kQ4_1: return launch(std::integral_constant<int, kQ4_1>{});
    case kQ5_0: return launch(std::integral_constant<int, kQ5_0>{});
    case kQ5_1: return launch(std::integral_constant<int, kQ5_1>{});
    case kQ8_0: return launch(std::integral_constant<int, kQ8_0>{});
    case kIQ4_NL: return launch(std::integral_constant<int, kIQ4_NL>{});
    case kQ2_K: return launch(std::integral_constant<int, kQ2_K>{});
    case kQ3_K: return launch(std::integral_constant<int, kQ3_K>{});
    case kQ4_K: return launch(std::integral_constant<int, kQ4_K>{});
    case kQ5_K: return launch(std::integral_constant<int, kQ5_K>{});
    case kQ6_K: return launch(std::integral_constant<int, kQ6_K>{});
    case kIQ4_XS: return launch(std::integral_constant<int, kIQ4_XS>{});
    default: return cudaErrorInvalidValue;
    }
}

// Whether w is a readable stack: a decoded type, whole blocks, rows long enough.
bool validStack(const WeightStack& w)
{
    if (!decodesWeightType(w.type) || w.data == nullptr || w.cols <= 0 || w.matrixRows <= 0)
        return false;
    const int values = blockValues(w.type);
    return w.cols % values == 0 && w.rowBytes >= size_t(w.cols / values) * size_t(blockBytes(w.type));
}

} // namespace

cudaError_t quantizeRows(const float* x, int64_t xStride, int rows, int cols, int8_t* quants, float2* scales,
                         cudaStream_t stream)
{
    if (x == nullptr || quants == nullptr || scales == nullptr || rows <= 0 || cols <= 0 ||
        cols % kChunkValues != 0 || xStride < cols)
        return cudaErrorInvalidValue;
    const int blocksPerRow = cols / kChunkValues;
    const int64_t blocks = int64_t(rows) * blocksPerRow;
    constexpr int kBlocksPerLaunchBlock = kQuantizeThreads / kWarp;
    const int64_t grid = (blocks + kBlocksPerLaunchBlock - 1) / kBlocksPerLaunchBlock;
    quantizeRowsKernel<<<unsigned(grid), kQuantizeThreads, 0, stream>>>(x, xStride, blocks, blocksPerRow, quants,
                                                                         scales);
    return cudaGetLastError();
}

bool readsQuantizedRows(int type)
{
    return decodesWeightType(type) && !isFloatType(type);
}

bool decodesWeightType(int type)
{
    return blockBytes(type) != 0; // blockBytes knows exactly the types weight_blocks.cuh decodes
}

cudaError_t weightProduct(const WeightStack& w, const ProductInput& x, int pairsPerXRow, const int32_t* ids,
                          int pairs, float* y, int64_t yStride, cudaStream_t stream)
{
    if (!validStack(w) || pairsPerXRow <= 0 || pairs <= 0 || y == nullptr || (pairs > 1 && yStride < w.matrixRows))
        return cudaErrorInvalidValue;
    if (readsQuantizedRows(w.type) ? x.quantized.quants == nullptr || x.quantized.scales == nullptr
                                   : x.floats == nullptr || x.xStride < w.cols)
        return cudaErrorInvalidValue;

    const bool prompt = ids == nullptr && pairs >= kPromptTokens;
    const int tokensPerTile = prompt ? kPromptTokens : 1;
    const dim3 grid(unsigned((w.matrixRows + kRowsPerBlock - 1) / kRowsPerBlock),
                    unsigned(std::min((pairs + tokensPerTile - 1) / tokensPerTile, kMaxGridY)));
    const dim3 block(kWarpsPerBlock * kWarp);
    return withWeightType(w.type, [&](auto type) {
        constexpr int kType = decltype(type)::value;
        if (prompt)
            weightProductKernel<kType, kPromptTokens><<<grid, block, 0, stream>>>(w, x, pairsPerXRow, ids, pairs, y,
                                                                                  yStride);
        else
            weightProductKernel<kType, 1><<<grid, block, 0, stream>>>(w, x, pairsPerXRow, ids, pairs, y, yStride);
        return cudaGetLastError();
    });
}

cudaError_t getRows(const WeightStack& table, const int32_t* ids, int count, float* y, cudaStream_t stream)
{
    if (!validStack(table) || ids == nullptr || count <= 0 || y == nullptr)
        return cudaErrorInvalidValue;
    return withWeightType(table.type, [&](auto type) {
        getRowsKernel<decltype(type)::value><<<unsigned(count), kGetRowsThreads, 0, stream>>>(table, ids, y);
        return cudaGetLastError();
    });
}

} // namespace latent::cuda
