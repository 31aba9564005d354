#include "kernels/elementwise.h"

#include "kernels/grid_stride.cuh"

namespace latent::cuda {
namespace {

// y may be a or b (x = x + y), so nothing is restrict.
__global__ void addKernel(const float* a, const float* b, float* y, int64_t count)
{
    for (int64_t i = gridStrideFirst(); i < count; i += gridStride())
        y[i] = a[i] + b[i];
}

// As the CPU backend's swiglu (engine/backend/cpu/swiglu.h), with the device's expf.
__global__ void swigluKernel(const float* gate, const float* up, float* y, int64_t count)
{
    for (int64_t i = gridStrideFirst(); i < count; i += gridStride()) {
        const float g = gate[i];
        y[i] = g / (1.0f + expf(-g)) * up[i];
    }
}

} // namespace

cudaError_t add(const float* a, const float* b, float* y, int64_t count, cudaStream_t stream)
{
    if (!a || !b || !y || count <= 0)
        return cudaErrorInvalidValue;
    addKernel<<<gridStrideBlocks(count), kGridStrideThreads, 0, stream>>>(a, b, y, count);
    return cudaGetLastError();
}

cudaError_t swiglu(const float* gate, const float* up, float* y, int64_t count, cudaStream_t stream)
{
    if (!gate || !up || !y || count <= 0)
        return cudaErrorInvalidValue;
    swigluKernel<<<gridStrideBlocks(count), kGridStrideThreads, 0, stream>>>(gate, up, y, count);
    return cudaGetLastError();
}

} // namespace latent::cuda
