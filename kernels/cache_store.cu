#include "kernels/cache_store.h"

#include "kernels/grid_stride.cuh"

#include <cuda_fp16.h>

namespace latent::cuda {
namespace {

// Round to nearest even, as the CPU's floatToHalf (engine/core/half.h) and the Vulkan store.comp;
// only a NaN's payload may differ.
__global__ void storeHalfKernel(const float* __restrict__ x, int64_t count, uint16_t* __restrict__ cache)
{
    for (int64_t i = gridStrideFirst(); i < count; i += gridStride())
        cache[i] = __half_as_ushort(__float2half_rn(x[i]));
}

} // namespace

cudaError_t storeHalf(const float* x, int64_t count, uint16_t* cache, cudaStream_t stream)
{
    if (!x || !cache || count <= 0)
        return cudaErrorInvalidValue;
    storeHalfKernel<<<gridStrideBlocks(count), kGridStrideThreads, 0, stream>>>(x, count, cache);
    return cudaGetLastError();
}

} // namespace latent::cuda
