#pragma once

// Sums and maxima across a warp or a block with shuffles: a warp's lanes combine in a butterfly
// (every lane gets the result), then a block's warps through one value each in shared memory.

#include <cuda_runtime.h>

namespace latent::cuda {

struct SumOf {
    __device__ float operator()(float a, float b) const { return a + b; }
};
struct MaximumOf {
    __device__ float operator()(float a, float b) const { return fmaxf(a, b); }
};

// Combines value over the lanes of each aligned group of `lanes` lanes (a power of two, at most
// 32); every lane of the group gets the result.
template <int lanes = 32, class Combine>
__device__ float warpReduce(float value, Combine combine)
{
    for (int offset = lanes / 2; offset > 0; offset /= 2)
        value = combine(value, __shfl_xor_sync(0xffffffffu, value, offset));
    return value;
}

__device__ inline float warpSum(float value)
{
    return warpReduce(value, SumOf{});
}

__device__ inline float warpMax(float value)
{
    return warpReduce(value, MaximumOf{});
}

// Combines value over the block (blockDim.x a multiple of 32); every thread gets the result, the
// warps' values combined in ascending order (so the same inputs give the same bits). scratch:
// blockDim.x / 32 floats of shared memory. Every thread must call it (it holds barriers).
template <class Combine>
__device__ float blockReduce(float value, float* scratch, Combine combine)
{
    value = warpReduce(value, combine);
    __syncthreads(); // the previous reduction's readers are done with scratch
    if (threadIdx.x % 32 == 0)
        scratch[threadIdx.x / 32] = value;
    __syncthreads();
    value = scratch[0];
    for (unsigned warp = 1; warp < blockDim.x / 32; ++warp)
        value = combine(value, scratch[warp]);
    return value;
}

} // namespace latent::cuda
