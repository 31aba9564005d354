#include "kernels/attention.h"

#include "kernels/block_reduce.cuh"

#include <cuda_fp16.h>

#include <algorithm>
#include <cstdint>

namespace latent::cuda {
namespace {

// Both attention forms are one causal attention over an F16 cache: a query of width + ropeWidth
// values against keys of as many (MLA's are a latent and a rotated key, llama's one row), and a
// value of width values (MLA's is the latent itself).
//
// A block computes one token's results for up to kHeads heads that share a key/value head, over
// one split of the visible positions. Its kWarps warps take tiles of kTile positions in turn, and
// each warp keeps its own online softmax over its tiles:
// - scores: kLanesPerKey lanes share one position's dot products (each taking every
//   kLanesPerKey-th pair of values, so a row is read in coalesced pieces), then add them up with
//   three shuffles; the tile's scores go to shared memory;
// - softmax: lane l takes the tile's position l: the warp's running maximum grows to the tile's,
//   the sums and accumulators so far are rescaled to it, and the scores become weights;
// - values: lane l owns value pairs l, l + 32, ... of every head, and adds each position's row
//   times its weight (rows read by the whole warp, coalesced).
// At the end the warps' softmaxes are merged in shared memory (rescaled to the block's maximum,
// summed in warp order: the same inputs give the same bits), and written out: as results, or as a
// split's partial result (unnormalized sums, maximum and sum) that mergeSplitsKernel combines.
constexpr int kWarps = 4;
constexpr int kThreads = 32 * kWarps;
constexpr int kTile = 32;
constexpr int kLanesPerKey = 8;
constexpr int kKeysPerStep = 32 / kLanesPerKey;

// Split-K: a sequence is split only while the grid has fewer than kTargetBlocks blocks (enough to
// fill the largest GPUs, 132 SMs, twice), into at most kMaxSplits splits of at least
// kMinKeysPerSplit positions (so a split's merging stays small beside its work).
constexpr int kTargetBlocks = 256;
constexpr int kMaxSplits = 32;
constexpr int kMinKeysPerSplit = 256;
constexpr int kMergeThreads = 128;
static_assert(kMaxSplits <= 32, "mergeSplitsKernel combines the splits in one warp");

// Without opting in, a block may have 48 KiB of dynamic shared memory on every architecture.
constexpr size_t kMaxSharedBytes = 48 * 1024;

struct CausalAttention {
    const float* queries;     // pair p's first `width` query values at queries + p * width
    const float* ropeQueries; // and its last ropeWidth at ropeQueries + p * ropeQueryStride
    int64_t ropeQueryStride;
    const __half* keys;       // position j of key/value head g at keys + j * keyStride + g * width
    const __half* values;     // as keys
    const __half* ropeKeys;   // position j's last ropeWidth key values at ropeKeys + j * ropeWidth
    int64_t keyStride;
    int width, ropeWidth;
    int heads;                // per token; pair p = t * heads + h
    int groupHeads;           // heads sharing each key/value head
    int firstPosition;
    float scale;
    float* y;                 // pair p's results at y + p * width
    float* partials;          // with splits: splits * pairs rows of width, then (maximum, sum) each
};

__host__ __device__ constexpr int evenCeil(int n)
{
    return (n + 1) / 2 * 2;
}

// The block's shared memory, in floats: each head's query (width and ropeWidth each padded to an
// even count with zeros, so that values go in pairs), each warp's tile weights, and its softmax's
// maxima, sums and results for the merge.
template <int kPairsPerLane, int kHeads>
struct SharedLayout {
    int queryStride, weightsAt, maximaAt, sumsAt, resultsAt, floats;

    __host__ __device__ SharedLayout(int width, int ropeWidth)
        : queryStride(evenCeil(width) + evenCeil(ropeWidth)),
          weightsAt(kHeads * queryStride),
          maximaAt(weightsAt + kWarps * kHeads * kTile),
          sumsAt(maximaAt + kWarps * kHeads),
          resultsAt(sumsAt + kWarps * kHeads),
          floats(resultsAt + kWarps * kHeads * kPairsPerLane * 64)
    {
    }
};

// Values 2k and 2k + 1 of an F16 row of `width` (0 past its end). kAligned: the row is 4-byte
// aligned and width even, so the pair is one load.
template <bool kAligned>
__device__ __forceinline__ float2 halfPair(const __half* row, int k, int width)
{
    if constexpr (kAligned)
        return __half22float2(__ldg(reinterpret_cast<const __half2*>(row) + k));
    else
        return make_float2(__half2float(__ldg(row + 2 * k)),
                           2 * k + 1 < width ? __half2float(__ldg(row + 2 * k + 1)) : 0.0f);
}

// dot[g] += this lane's share (pairs part, part + kLanesPerKey, ...) of query g . row.
template <int kHeads, bool kAligned>
__device__ __forceinline__ void addDots(float (&dot)[kHeads], const float* query, int queryStride,
                                        const __half* row, int width, int part, int blockHeads)
{
    const int pairs = (width + 1) / 2;
    for (int k = part; k < pairs; k += kLanesPerKey) {
        const float2 key = halfPair<kAligned>(row, k, width);
#pragma unroll
        for (int g = 0; g < kHeads; ++g) {
            if (g < blockHeads) {
                const float2 q = reinterpret_cast<const float2*>(query + g * queryStride)[k];
                dot[g] += q.x * key.x + q.y * key.y;
            }
        }
    }
}

// tileWeights[g * kTile + slot] = the scaled score of head g at position tileStart + slot, or
// -INFINITY at and past end.
template <int kHeads, bool kAligned>
__device__ __forceinline__ void scoreTile(const CausalAttention& a, const float* query, int queryStride,
                                          const __half* keys, int tileStart, int end, int blockHeads,
                                          float* tileWeights, int lane)
{
    const int part = lane % kLanesPerKey;
    for (int slot = lane / kLanesPerKey; slot < kTile; slot += kKeysPerStep) {
        const int j = tileStart + slot;
        float dot[kHeads] = {};
        if (j < end) {
            addDots<kHeads, kAligned>(dot, query, queryStride, keys + j * a.keyStride, a.width, part, blockHeads);
            if (a.ropeWidth > 0)
                addDots<kHeads, kAligned>(dot, query + evenCeil(a.width), queryStride,
                                          a.ropeKeys + int64_t(j) * a.ropeWidth, a.ropeWidth, part, blockHeads);
        }
#pragma unroll
        for (int g = 0; g < kHeads; ++g) {
            if (g < blockHeads) {
                const float score = warpReduce<kLanesPerKey>(dot[g], SumOf{});
                if (part == 0)
                    tileWeights[g * kTile + slot] = j < end ? score * a.scale : -INFINITY;
            }
        }
    }
}

// Folds a tile's scores into the warp's online softmax (lane l: the tile's position l): the
// running maximum grows to cover them, what was summed so far is rescaled to it, and the scores
// become the weights exp(score - maximum).
template <int kHeads, int kPairsPerLane>
__device__ __forceinline__ void updateSoftmax(float* tileWeights, int blockHeads, float (&runningMax)[kHeads],
                                              float (&laneSum)[kHeads], float2 (&acc)[kHeads][kPairsPerLane],
                                              int lane)
{
#pragma unroll
    for (int g = 0; g < kHeads; ++g) {
        if (g >= blockHeads)
            continue;
        const float score = tileWeights[g * kTile + lane];
        const float newMax = fmaxf(runningMax[g], warpMax(score));
        // Equal maxima (-INFINITY included, before any finite score) need no rescaling.
        const float correction = runningMax[g] == newMax ? 1.0f : expf(runningMax[g] - newMax);
        const float weight = score == -INFINITY ? 0.0f : expf(score - newMax);
        tileWeights[g * kTile + lane] = weight;
        laneSum[g] = laneSum[g] * correction + weight;
#pragma unroll
        for (int q = 0; q < kPairsPerLane; ++q) {
            acc[g][q].x *= correction;
            acc[g][q].y *= correction;
        }
        runningMax[g] = newMax;
    }
}

// acc[g][q] += the weighted value pairs lane + 32 q of positions tileStart .. tileStart + count - 1.
template <int kHeads, int kPairsPerLane, bool kAligned>
__device__ __forceinline__ void accumulateValues(const __half* values, int64_t stride, int width, int tileStart,
                                                 int count, const float* tileWeights, int blockHeads,
                                                 float2 (&acc)[kHeads][kPairsPerLane], int lane)
{
    const int pairs = (width + 1) / 2;
    for (int i = 0; i < count; ++i) {
        const __half* row = values + int64_t(tileStart + i) * stride;
        float weight[kHeads];
#pragma unroll
        for (int g = 0; g < kHeads; ++g)
            weight[g] = g < blockHeads ? tileWeights[g * kTile + i] : 0.0f;
#pragma unroll
        for (int q = 0; q < kPairsPerLane; ++q) {
            const int k = lane + 32 * q;
            if (k < pairs) {
                const float2 value = halfPair<kAligned>(row, k, width);
#pragma unroll
                for (int g = 0; g < kHeads; ++g) {
                    if (g < blockHeads) {
                        acc[g][q].x += weight[g] * value.x;
                        acc[g][q].y += weight[g] * value.y;
                    }
                }
            }
        }
    }
}

// Grid: (tokens, key/value heads * blocks per group of heads, splits); the last token first, as
// it sees the most positions.
template <int kPairsPerLane, int kHeads, bool kAligned>
__global__ void __launch_bounds__(kThreads) attendKernel(CausalAttention a)
{
    extern __shared__ float2 sharedPairs[]; // float2: 8-byte aligned for the pair loads
    float* shared = reinterpret_cast<float*>(sharedPairs);
    const SharedLayout<kPairsPerLane, kHeads> layout(a.width, a.ropeWidth);
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;

    const int t = gridDim.x - 1 - blockIdx.x;
    const int blocksPerGroup = (a.groupHeads + kHeads - 1) / kHeads;
    const int kvHead = blockIdx.y / blocksPerGroup;
    const int firstHead = kvHead * a.groupHeads + blockIdx.y % blocksPerGroup * kHeads;
    const int blockHeads = min(kHeads, (kvHead + 1) * a.groupHeads - firstHead);
    const int64_t firstPair = int64_t(t) * a.heads + firstHead;
    // This split's positions: whole tiles, the last split taking what is left (possibly none).
    const int visible = a.firstPosition + t + 1;
    const int splitKeys = ((visible + int(gridDim.z) - 1) / int(gridDim.z) + kTile - 1) / kTile * kTile;
    const int begin = int(blockIdx.z) * splitKeys, end = min(visible, begin + splitKeys);

    // The queries, rounded to F16 as the CPU and Vulkan backends round them; zero in the padding.
    float* query = shared;
    const int ropeAt = evenCeil(a.width);
    for (int i = threadIdx.x; i < kHeads * layout.queryStride; i += kThreads) {
        const int g = i / layout.queryStride, d = i % layout.queryStride;
        float value = 0.0f;
        if (g < blockHeads && d < a.width)
            value = a.queries[(firstPair + g) * a.width + d];
        else if (g < blockHeads && d >= ropeAt && d - ropeAt < a.ropeWidth)
            value = a.ropeQueries[(firstPair + g) * a.ropeQueryStride + d - ropeAt];
        query[i] = __half2float(__float2half_rn(value));
    }
    __syncthreads();

    float runningMax[kHeads], laneSum[kHeads];
    float2 acc[kHeads][kPairsPerLane];
#pragma unroll
    for (int g = 0; g < kHeads; ++g) {
        runningMax[g] = -INFINITY;
        laneSum[g] = 0.0f;
#pragma unroll
        for (int q = 0; q < kPairsPerLane; ++q)
            acc[g][q] = make_float2(0.0f, 0.0f);
    }
    const __half* keys = a.keys + int64_t(kvHead) * a.width;
    const __half* values = a.values + int64_t(kvHead) * a.width;
    float* tileWeights = shared + layout.weightsAt + warp * kHeads * kTile;
    for (int tileStart = begin + warp * kTile; tileStart < end; tileStart += kWarps * kTile) {
        scoreTile<kHeads, kAligned>(a, query, layout.queryStride, keys, tileStart, end, blockHeads, tileWeights, lane);
        __syncwarp();
        updateSoftmax(tileWeights, blockHeads, runningMax, laneSum, acc, lane);
        __syncwarp();
        accumulateValues<kHeads, kPairsPerLane, kAligned>(values, a.keyStride, a.width, tileStart,
                                                          min(kTile, end - tileStart), tileWeights, blockHeads, acc,
                                                          lane);
        __syncwarp(); // the weights are read before the next tile's scores replace them
    }

    // The warps' softmaxes, each rescaled to the block's maximum (a warp without positions, or a
    // block without any, adds nothing).
    float* maxima = shared + layout.maximaAt; // [warp][head]
    float* sums = shared + layout.sumsAt;     // [warp][head], rescaled
    float2* results = reinterpret_cast<float2*>(shared + layout.resultsAt); // [warp][head][pair slot]
    const int slots = kPairsPerLane * 32;
    if (lane == 0) {
        for (int g = 0; g < blockHeads; ++g)
            maxima[warp * kHeads + g] = runningMax[g];
    }
    __syncthreads();
    const auto blockMaxOf = [&](int g) {
        float maximum = maxima[g];
        for (int w = 1; w < kWarps; ++w)
            maximum = fmaxf(maximum, maxima[w * kHeads + g]);
        return maximum;
    };
#pragma unroll
    for (int g = 0; g < kHeads; ++g) {
        if (g >= blockHeads)
            continue;
        const float share = runningMax[g] == -INFINITY ? 0.0f : expf(runningMax[g] - blockMaxOf(g));
        const float sum = warpSum(laneSum[g]);
        if (lane == 0)
            sums[warp * kHeads + g] = sum * share;
#pragma unroll
        for (int q = 0; q < kPairsPerLane; ++q)
            results[(warp * kHeads + g) * slots + lane + 32 * q] =
                make_float2(acc[g][q].x * share, acc[g][q].y * share);
    }
    __syncthreads();

    const int pairs = (a.width + 1) / 2;
    const int64_t allPairs = int64_t(gridDim.x) * a.heads;
    for (int i = threadIdx.x; i < blockHeads * pairs; i += kThreads) {
        const int g = i / pairs, k = i % pairs;
        float sum = 0.0f;
        float2 total = make_float2(0.0f, 0.0f);
        for (int w = 0; w < kWarps; ++w) {
            sum += sums[w * kHeads + g];
            const float2 part = results[(w * kHeads + g) * slots + k];
            total.x += part.x;
            total.y += part.y;
        }
        const int64_t pair = firstPair + g;
        float* out;
        if (gridDim.z == 1) {
            out = a.y + pair * a.width;
            total.x /= sum;
            total.y /= sum;
        } else {
            const int64_t row = int64_t(blockIdx.z) * allPairs + pair;
            out = a.partials + row * a.width;
            if (k == 0) {
                float* totals = a.partials + int64_t(gridDim.z) * allPairs * a.width + 2 * row;
                totals[0] = blockMaxOf(g);
                totals[1] = sum;
            }
        }
        out[2 * k] = total.x;
        if (2 * k + 1 < a.width)
            out[2 * k + 1] = total.y;
    }
}

// y[p] from the splits' partial results of pair p, each rescaled to their largest maximum. One
// block per pair; its first warp combines the splits' maxima and sums (split s in lane s).
__global__ void __launch_bounds__(kMergeThreads)
    mergeSplitsKernel(const float* __restrict__ partials, int splits, int64_t pairs, int width, float* __restrict__ y)
{
    __shared__ float shares[kMaxSplits];
    __shared__ float total;
    const int64_t p = blockIdx.x;
    if (threadIdx.x < 32) {
        const int s = threadIdx.x;
        const float* totals = partials + int64_t(splits) * pairs * width + 2 * (min(s, splits - 1) * pairs + p);
        const float maximum = s < splits ? totals[0] : -INFINITY;
        const float largest = warpMax(maximum);
        const float share = maximum == -INFINITY ? 0.0f : expf(maximum - largest);
        if (s < splits)
            shares[s] = share;
        const float sum = warpSum(s < splits ? totals[1] * share : 0.0f);
        if (s == 0)
            total = sum;
    }
    __syncthreads();
    for (int d = threadIdx.x; d < width; d += blockDim.x) {
        float value = 0.0f;
        for (int s = 0; s < splits; ++s)
            value += partials[(s * pairs + p) * width + d] * shares[s];
        y[p * width + d] = value / total;
    }
}

// Splits per sequence: enough for kTargetBlocks blocks, within the sequence's length, kMaxSplits
// and what the scratch holds (floatsPerSplit each).
int splitsFor(int64_t blocks, int longest, int64_t floatsPerSplit, size_t scratchFloats)
{
    const int64_t splits = std::min<int64_t>({(kTargetBlocks + blocks - 1) / blocks,
                                              (longest + kMinKeysPerSplit - 1) / kMinKeysPerSplit, kMaxSplits,
                                              int64_t(scratchFloats / size_t(floatsPerSplit))});
    return int(std::max<int64_t>(splits, 1));
}

bool pairsAligned(const CausalAttention& a)
{
    const auto aligned = [](const void* p) { return reinterpret_cast<uintptr_t>(p) % 4 == 0; };
    return a.width % 2 == 0 && a.ropeWidth % 2 == 0 && a.keyStride % 2 == 0 && aligned(a.keys) &&
           aligned(a.values) && (a.ropeWidth == 0 || aligned(a.ropeKeys));
}

// Launches the kernel with kPairsPerLane value pairs per lane (width <= 64 * kPairsPerLane) and
// kHeads heads per block, then the merge where the sequences are split.
template <int kPairsPerLane, int kHeads>
cudaError_t attendWith(CausalAttention a, int tokens, int kvHeads, float* scratch, size_t scratchFloats,
                       cudaStream_t stream)
{
    const size_t sharedBytes = SharedLayout<kPairsPerLane, kHeads>(a.width, a.ropeWidth).floats * sizeof(float);
    const int blocksPerGroup = (a.groupHeads + kHeads - 1) / kHeads;
    if (sharedBytes > kMaxSharedBytes || int64_t(kvHeads) * blocksPerGroup > 65535)
        return cudaErrorInvalidValue;
    const int64_t pairs = int64_t(tokens) * a.heads;
    const int splits = splitsFor(int64_t(tokens) * kvHeads * blocksPerGroup, a.firstPosition + tokens,
                                 pairs * (a.width + 2), scratch ? scratchFloats : 0);
    a.partials = scratch;
    const dim3 grid(unsigned(tokens), unsigned(kvHeads * blocksPerGroup), unsigned(splits));
    const auto kernel = pairsAligned(a) ? attendKernel<kPairsPerLane, kHeads, true>
                                        : attendKernel<kPairsPerLane, kHeads, false>;
    kernel<<<grid, kThreads, sharedBytes, stream>>>(a);
    const cudaError_t launched = cudaGetLastError();
    if (launched != cudaSuccess || splits == 1)
        return launched;
    mergeSplitsKernel<<<unsigned(pairs), kMergeThreads, 0, stream>>>(scratch, splits, pairs, a.width, a.y);
    return cudaGetLastError();
}

// The kernel sized for a.width: value pairs per lane and heads per block such that a lane's
// accumulators (heads * pairs * 2 floats) stay at most 64 registers.
cudaError_t attend(const CausalAttention& a, int tokens, int kvHeads, float* scratch, size_t scratchFloats,
                   cudaStream_t stream)
{
    if (a.width <= 128)
        return attendWith<2, 8>(a, tokens, kvHeads, scratch, scratchFloats, stream);
    if (a.width <= 256)
        return attendWith<4, 8>(a, tokens, kvHeads, scratch, scratchFloats, stream);
    if (a.width <= 512)
        return attendWith<8, 4>(a, tokens, kvHeads, scratch, scratchFloats, stream);
    return cudaErrorInvalidValue;
}

} // namespace

cudaError_t attention(const float* q, const uint16_t* keys, const uint16_t* values, float* y, int tokens, int heads,
                      int kvHeads, int headDim, int firstPosition, float scale, cudaStream_t stream, float* scratch,
                      size_t scratchFloats)
{
    if (!q || !keys || !values || !y || tokens <= 0 || heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0 ||
        headDim <= 0 || firstPosition < 0)
        return cudaErrorInvalidValue;
    CausalAttention a{};
    a.queries = q;
    a.keys = reinterpret_cast<const __half*>(keys);
    a.values = reinterpret_cast<const __half*>(values);
    a.keyStride = int64_t(kvHeads) * headDim;
    a.width = headDim;
    a.heads = heads;
    a.groupHeads = heads / kvHeads;
    a.firstPosition = firstPosition;
    a.scale = scale;
    a.y = y;
    return attend(a, tokens, kvHeads, scratch, scratchFloats, stream);
}

cudaError_t mlaAttention(const float* absorbed, const float* q, const uint16_t* latents, const uint16_t* ropeKeys,
                         float* y, int tokens, int heads, int nopeDim, int ropeDim, int latentDim, int firstPosition,
                         float scale, cudaStream_t stream, float* scratch, size_t scratchFloats)
{
    if (!absorbed || !q || !latents || (ropeDim > 0 && !ropeKeys) || !y || tokens <= 0 || heads <= 0 ||
        nopeDim < 0 || ropeDim < 0 || latentDim <= 0 || firstPosition < 0)
        return cudaErrorInvalidValue;
    // One key/value head (the latents) that every head shares.
    CausalAttention a{};
    a.queries = absorbed;
    a.ropeQueries = q + nopeDim;
    a.ropeQueryStride = int64_t(nopeDim) + ropeDim;
    a.keys = reinterpret_cast<const __half*>(latents);
    a.values = reinterpret_cast<const __half*>(latents);
    a.ropeKeys = reinterpret_cast<const __half*>(ropeKeys);
    a.keyStride = latentDim;
    a.width = latentDim;
    a.ropeWidth = ropeDim;
    a.heads = heads;
    a.groupHeads = heads;
    a.firstPosition = firstPosition;
    a.scale = scale;
    a.y = y;
    return attend(a, tokens, 1, scratch, scratchFloats, stream);
}

} // namespace latent::cuda
