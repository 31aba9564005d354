#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace latent::cuda {

// cache[i] = x[i] rounded to the nearest F16 (as bits), i < count: rows of a key/value cache.
cudaError_t storeHalf(const float* x, int64_t count, uint16_t* cache, cudaStream_t stream);

} // namespace latent::cuda
