#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace latent::cuda {

// Rotates pairs (firstDim + 2i, firstDim + 2i + 1), i < pairs, of each of `heads` heads (headDim
// values apart) of each row t < rows of x (rows of heads * headDim floats) by the angle whose
// (cos, sin) is rotations[t * pairs + i] (the host computes them as the CPU backend does).
cudaError_t rope(float* x, int rows, int heads, int headDim, int firstDim, int pairs, const float2* rotations,
                 cudaStream_t stream);

} // namespace latent::cuda
