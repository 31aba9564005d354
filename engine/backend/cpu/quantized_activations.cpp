#include "engine/backend/cpu/quantized_activations.h"

#include "engine/core/half.h"

#include <algorithm>
#include <cmath>

namespace latent::cpu {

void blockSumScales(const float* x, const int8_t* quants, float* out, size_t n)
{
    for (size_t b = 0; b < n / 32; ++b) {
        float amax = 0;
        int32_t sum = 0;
        for (size_t i = 0; i < 32; ++i) {
            amax = std::max(amax, std::fabs(x[b * 32 + i]));
            sum += quants[b * 32 + i];
        }
        out[b] = halfToFloat(floatToHalf(amax / 127.0f * float(sum)));
    }
}

QuantizedRows QuantizedActivations::quantize(const DotKernels& kernels, ThreadPool& pool, const float* x, size_t rows,
                                             size_t cols, Needs needs)
{
    const size_t blocks = cols / 32;
    quants_.resize(cols * rows);
    scales_.resize(blocks * rows);
    if (needs.sums)
        sums_.resize(blocks * rows);
    if (needs.sumScales)
        sumScales_.resize(blocks * rows);
    pool.parallelFor(rows, 1, [&](size_t begin, size_t end) {
        for (size_t t = begin; t < end; ++t) {
            int8_t* quants = quants_.data() + t * cols;
            kernels.quantizeRow(x + t * cols, quants, scales_.data() + t * blocks, cols);
            if (needs.sumScales)
                blockSumScales(x + t * cols, quants, sumScales_.data() + t * blocks, cols);
            if (needs.sums) {
                for (size_t b = 0; b < blocks; ++b) {
                    int32_t sum = 0;
                    for (size_t i = 0; i < 32; ++i)
                        sum += quants[b * 32 + i];
                    sums_[t * blocks + b] = sum;
                }
            }
        }
    });
    return QuantizedRows{quants_.data(),
                         scales_.data(),
                         blocks,
                         needs.sums ? sums_.data() : nullptr,
                         needs.sumScales ? sumScales_.data() : nullptr};
}

QuantizedActivations::SuperBlockRows QuantizedActivations::quantizeSuperBlocks(const DotKernels& kernels,
                                                                              ThreadPool& pool, const float* x,
                                                                              size_t rows, size_t cols)
{
    quants_.resize(cols * rows);
    scales_.resize(cols / 256 * rows);
    groupSums_.resize(cols / 16 * rows);
    pool.parallelFor(rows, 1, [&](size_t begin, size_t end) {
        for (size_t t = begin; t < end; ++t)
            kernels.quantizeSuperBlocks(x + t * cols, quants_.data() + t * cols, scales_.data() + t * (cols / 256),
                                        groupSums_.data() + t * (cols / 16), cols);
    });
    return {quants_.data(), scales_.data(), groupSums_.data(), cols};
}

} // namespace latent::cpu
