#include "kernels/rms_norm.h"

namespace latent::cuda {
namespace {

constexpr int kThreads = 256;

// One block per row. Each warp reduces its partial sums with shuffles, then the first warp
// reduces the warps' sums: two shuffle trees instead of a shared-memory tree of 8 barriers.
__global__ void rmsNormKernel(const float* __restrict__ x, const float* __restrict__ weight,
                              float* __restrict__ y, int cols, float eps)
{
    const float* xRow = x + static_cast<size_t>(blockIdx.x) * cols;
    float* yRow = y + static_cast<size_t>(blockIdx.x) * cols;

    float sum = 0.0f;
    for (int i = threadIdx.x; i < cols; i += blockDim.x)
        sum += xRow[i] * xRow[i];
    for (int offset = 16; offset > 0; offset /= 2)
        sum += __shfl_xor_sync(0xffffffffu, sum, offset);

    __shared__ float warpSums[kThreads / 32];
    const int warp = threadIdx.x / 32;
    const int lane = threadIdx.x % 32;
    if (lane == 0)
        warpSums[warp] = sum;
    __syncthreads();
    if (warp == 0) {
        sum = lane < blockDim.x / 32 ? warpSums[lane] : 0.0f;
        for (int offset = 16; offset > 0; offset /= 2)
            sum += __shfl_xor_sync(0xffffffffu, sum, offset);
        if (lane == 0)
            warpSums[0] = sum;
    }
    __syncthreads();

    const float scale = rsqrtf(warpSums[0] / cols + eps);
    for (int i = threadIdx.x; i < cols; i += blockDim.x)
        yRow[i] = xRow[i] * scale * weight[i];
}

} // namespace

cudaError_t rmsNorm(const float* x, const float* weight, float* y, int rows, int cols, float eps,
                    cudaStream_t stream)
{
    if (rows <= 0 || cols <= 0)
        return cudaErrorInvalidValue;
    rmsNormKernel<<<rows, kThreads, 0, stream>>>(x, weight, y, cols, eps);
    return cudaGetLastError();
}

} // namespace latent::cuda
