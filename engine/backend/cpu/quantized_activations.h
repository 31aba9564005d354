#pragma once

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/thread_pool.h"
#include "engine/core/aligned_buffer.h"

#include <cstddef>

namespace latent::cpu {

// Each 32-value block's sum of values as llama.cpp's Q8_1 stores it: the unrounded scale
// (amax / 127) times the sum of the block's quants, rounded through fp16. x: the floats the quants
// were made from (n a multiple of 32).
void blockSumScales(const float* x, const int8_t* quants, float* out, size_t n);

// Activation rows quantized for the integer kernels, in storage kept between matrix products.
class QuantizedActivations {
public:
    struct Needs {
        bool sums = false;      // each block's sum of quants, for the interleaved kernels
        bool sumScales = false; // each block's blockSumScales, for Q4_1 and Q5_1
    };

    // rows of cols floats (row t at x + t * cols), cols a multiple of 32, split over pool.
    QuantizedRows quantize(const DotKernels& kernels, ThreadPool& pool, const float* x, size_t rows, size_t cols,
                           Needs needs);
    // The same rows as 256-value super-blocks (cols a multiple of 256): row t's ActivationRow.
    struct SuperBlockRows {
        const int8_t* quants;
        const float* scales;
        const int16_t* groupSums;
        size_t cols;
        ActivationRow row(size_t t) const
        {
            return {quants + t * cols, scales + t * (cols / 256), nullptr, groupSums + t * (cols / 16)};
        }
    };
    SuperBlockRows quantizeSuperBlocks(const DotKernels& kernels, ThreadPool& pool, const float* x, size_t rows,
                                       size_t cols);

private:
    AlignedBuffer<int8_t> quants_;
    AlignedBuffer<float> scales_;
    AlignedBuffer<int32_t> sums_;
    AlignedBuffer<int16_t> groupSums_;
    AlignedBuffer<float> sumScales_;
};

} // namespace latent::cpu
