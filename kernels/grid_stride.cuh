#pragma once

// Element-wise kernels run as grid-stride loops: one item per thread while the grid is small
// enough, and every thread taking several beyond a cap (so any int64 count fits the grid).

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>

namespace latent::cuda {

constexpr int kGridStrideThreads = 256;

// Blocks of kGridStrideThreads for count items (count > 0): 8192 blocks fill the largest GPUs
// many times over, so the cap costs nothing.
inline unsigned gridStrideBlocks(int64_t count)
{
    constexpr int64_t kMaxBlocks = 8192;
    return unsigned(std::min((count + kGridStrideThreads - 1) / kGridStrideThreads, kMaxBlocks));
}

// The first item of this thread and the stride between its items.
__device__ inline int64_t gridStrideFirst()
{
    return int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
}

__device__ inline int64_t gridStride()
{
    return int64_t(gridDim.x) * blockDim.x;
}

} // namespace latent::cuda
