#include "kernels/rope.h"

#include "kernels/grid_stride.cuh"

namespace latent::cuda {
namespace {

// One item per (row, head, pair), pairs fastest so neighbouring threads touch neighbouring
// values. The products and sums are rounded one by one (no fused multiply-add), as the CPU
// backend computes them (it is built with -ffp-contract=off): with the host's (cos, sin), every
// rotated value has the CPU's bits.
__global__ void ropeKernel(float* __restrict__ x, int64_t items, int heads, int headDim, int firstDim, int pairs,
                           const float2* __restrict__ rotations)
{
    for (int64_t item = gridStrideFirst(); item < items; item += gridStride()) {
        const int64_t row = item / (int64_t(heads) * pairs);
        const int head = int(item / pairs % heads), pair = int(item % pairs);
        float* values = x + (row * heads + head) * headDim + firstDim + 2 * pair;
        const float2 rotation = rotations[row * pairs + pair];
        const float a = values[0], b = values[1];
        values[0] = __fsub_rn(__fmul_rn(a, rotation.x), __fmul_rn(b, rotation.y));
        values[1] = __fadd_rn(__fmul_rn(a, rotation.y), __fmul_rn(b, rotation.x));
    }
}

} // namespace

cudaError_t rope(float* x, int rows, int heads, int headDim, int firstDim, int pairs, const float2* rotations,
                 cudaStream_t stream)
{
    if (!x || !rotations || rows <= 0 || heads <= 0 || pairs <= 0 || firstDim < 0 ||
        firstDim + 2 * int64_t(pairs) > headDim)
        return cudaErrorInvalidValue;
    const int64_t items = int64_t(rows) * heads * pairs;
    ropeKernel<<<gridStrideBlocks(items), kGridStrideThreads, 0, stream>>>(x, items, heads, headDim, firstDim, pairs,
                                                                          rotations);
    return cudaGetLastError();
}

} // namespace latent::cuda
