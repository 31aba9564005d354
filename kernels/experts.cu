#include "kernels/experts.h"

#include "kernels/block_reduce.cuh"
#include "kernels/grid_stride.cuh"

#include <algorithm>

namespace latent::cuda {
namespace {

constexpr int kRouteMaxThreads = 256;

// routeToken's team on the device: a block, its threads taking indices threadIdx.x, + blockDim.x...
// Its reductions run over the threads' partial results (so the softmax's sum adds in another
// order than the CPU's, and its exp is the device's: probabilities may differ from the CPU's in
// the last bits, never the rule that chooses).
struct BlockTeam {
    float* reduceScratch; // kRouteMaxThreads / 32 floats of shared memory

    template <class F>
    __device__ void forEach(int n, F f) const
    {
        for (int i = threadIdx.x; i < n; i += blockDim.x)
            f(i);
    }
    template <class F>
    __device__ float maximum(int n, F f) const
    {
        float value = -INFINITY;
        forEach(n, [&](int i) { value = fmaxf(value, f(i)); });
        return blockReduce(value, reduceScratch, MaximumOf{});
    }
    template <class F>
    __device__ float sum(int n, F f) const
    {
        float value = 0.0f;
        forEach(n, [&](int i) { value += f(i); });
        return blockReduce(value, reduceScratch, SumOf{});
    }
    __device__ void sync() const { __syncthreads(); }
};

// One block per token; its scratch (routeScratchFloats) in dynamic shared memory.
__global__ void routeKernel(const float* __restrict__ logits, const float* __restrict__ bias,
                            int32_t* __restrict__ ids, float* __restrict__ weights, Routing r)
{
    extern __shared__ float scratch[];
    __shared__ float reduceScratch[kRouteMaxThreads / 32];
    const RoutingScratch s{scratch, scratch + r.experts, scratch + 2 * r.experts, scratch + 2 * r.experts + r.groups};
    BlockTeam team{reduceScratch};
    const int64_t t = blockIdx.x;
    routeToken(team, r, logits + t * r.experts, bias, s, ids + t * r.used, weights + t * r.used);
}

size_t routeScratchFloats(const Routing& r)
{
    return size_t(2 * r.experts + r.groups + r.used);
}

// Rows of cols floats: item (t, c), c fastest.
__global__ void combineExpertsKernel(const float* __restrict__ expertOutputs, const float* __restrict__ weights,
                                     float* __restrict__ y, int64_t items, int used, int cols)
{
    for (int64_t item = gridStrideFirst(); item < items; item += gridStride()) {
        const int64_t t = item / cols, c = item % cols;
        const float* tokenWeights = weights + t * used;
        const float* outputs = expertOutputs + t * used * cols + c;
        float sum = 0.0f;
        for (int k = 0; k < used; ++k)
            sum += tokenWeights[k] * outputs[int64_t(k) * cols];
        y[item] = sum;
    }
}

} // namespace

cudaError_t route(const float* logits, const float* bias, int32_t* ids, float* weights, int tokens,
                  const Routing& routing, cudaStream_t stream)
{
    // The CPU backend's routeArgumentsProblem, and the shared memory's bound.
    const Routing& r = routing;
    if (!logits || !ids || !weights || tokens <= 0 || r.experts <= 0 || r.experts > kMaxRoutedExperts ||
        r.used <= 0 || r.used > r.experts || r.groups <= 0 || r.experts % r.groups != 0 || r.groupsUsed <= 0 ||
        r.groupsUsed > r.groups || r.used > r.experts / r.groups * r.groupsUsed)
        return cudaErrorInvalidValue;
    const int threads = std::min(kRouteMaxThreads, (r.experts + 31) / 32 * 32);
    routeKernel<<<tokens, threads, routeScratchFloats(r) * sizeof(float), stream>>>(logits, bias, ids, weights, r);
    return cudaGetLastError();
}

cudaError_t combineExperts(const float* expertOutputs, const float* weights, float* y, int tokens, int used,
                           int cols, cudaStream_t stream)
{
    if (!expertOutputs || !weights || !y || tokens <= 0 || used <= 0 || cols <= 0)
        return cudaErrorInvalidValue;
    const int64_t items = int64_t(tokens) * cols;
    combineExpertsKernel<<<gridStrideBlocks(items), kGridStrideThreads, 0, stream>>>(expertOutputs, weights, y, items,
                                                                                    used, cols);
    return cudaGetLastError();
}

} // namespace latent::cuda
