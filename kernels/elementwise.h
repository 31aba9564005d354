#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace latent::cuda {

// y[i] = a[i] + b[i], i < count.
cudaError_t add(const float* a, const float* b, float* y, int64_t count, cudaStream_t stream);
// y[i] = silu(gate[i]) * up[i] = gate[i] / (1 + exp(-gate[i])) * up[i], i < count.
cudaError_t swiglu(const float* gate, const float* up, float* y, int64_t count, cudaStream_t stream);

} // namespace latent::cuda
