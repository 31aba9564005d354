#pragma once

#include <cuda_runtime_api.h>

namespace latent::cuda {

// y[r] = x[r] / sqrt(mean(x[r]^2) + eps) * weight for each of rows rows of cols floats.
// x, weight, y: device pointers, (rows, cols), (cols), (rows, cols). Queued on stream.
cudaError_t rmsNorm(const float* x, const float* weight, float* y, int rows, int cols, float eps,
                    cudaStream_t stream);

} // namespace latent::cuda
