#pragma once

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/thread_pool.h"
#include "engine/core/aligned_buffer.h"

#include <cstddef>

namespace latent::cpu {

// Activation rows quantized for the integer kernels, in storage kept between matrix products.
class QuantizedActivations {
public:
    struct Needs {
        bool unsignedQuants = false; // q + 128, for the interleaved Q8_0 kernels
        bool sums = false;           // each block's sum of quants, for the interleaved Q4_0 kernels
    };

    // rows of cols floats (row t at x + t * cols), cols a multiple of 32, split over pool.
    QuantizedRows quantize(const DotKernels& kernels, ThreadPool& pool, const float* x, size_t rows, size_t cols,
                           Needs needs);

private:
    AlignedBuffer<int8_t> quants_;
    AlignedBuffer<float> scales_;
    AlignedBuffer<uint8_t> unsignedQuants_;
    AlignedBuffer<int32_t> sums_;
};

} // namespace latent::cpu
