#pragma once

// How the CUDA backend reports a failed runtime call: an Error naming the step and the runtime's
// own words, and marked out of memory where it is (the app then says to free memory or choose a
// smaller model rather than that something broke).

#include "engine/core/error.h"

#include <cuda_runtime_api.h>
#include <fmt/format.h>

namespace latent::cuda {

inline void check(cudaError_t status, const char* step)
{
    if (status == cudaSuccess)
        return;
    cudaGetLastError(); // clear it, so the next call does not report it again
    throw Error(fmt::format("cuda: {}: {}", step, cudaGetErrorString(status)),
                status == cudaErrorMemoryAllocation ? ErrorKind::OutOfMemory : ErrorKind::Unspecified);
}

} // namespace latent::cuda
