// The portable kernels: plain loops the compiler may vectorize for whatever it targets, in the
// order of float_sums.h. They are also the reference the SIMD tables are tested against.

#include "engine/backend/cpu/attention_by_pairs.h"
#include "engine/backend/cpu/dot_blocks_portable.h"
#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/elementwise_lanes.h"
#include "engine/backend/cpu/float_rows.h"
#include "engine/backend/cpu/float_sums.h"

#include "engine/core/half.h"

#include <algorithm>
#include <cmath>

namespace latent::cpu {
namespace {

// A float row product in the fixed order of float_sums.h; value(i) is w[i] as a float.
template <typename Value>
float floatDot(const float* x, size_t n, Value value)
{
    float lanes[32] = {};
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (size_t l = 0; l < 32; ++l)
            lanes[l] = lanes[l] + value(i + l) * x[i + l];
    for (; i + 8 <= n; i += 8)
        for (size_t l = 0; l < 8; ++l)
            lanes[l] = lanes[l] + value(i + l) * x[i + l];
    float sum = floatLanesSum(lanes);
    for (; i < n; ++i)
        sum = sum + value(i) * x[i];
    return sum;
}

float dotF32(const float* w, const float* x, size_t n)
{
    return floatDot(x, n, [w](size_t i) { return w[i]; });
}

float dotF16(const uint16_t* w, const float* x, size_t n)
{
    return floatDot(x, n, [w](size_t i) { return halfToFloat(w[i]); });
}

float dotBf16(const uint16_t* w, const float* x, size_t n)
{
    return floatDot(x, n, [w](size_t i) { return bf16ToFloat(w[i]); });
}

using OneProduct = OneProductTiles<dotF32, dotF16, dotBf16>;

void axpyF16(float* y, float a, const uint16_t* x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        y[i] = y[i] + a * halfToFloat(x[i]);
}

// As llama.cpp quantizes activations on x86: the inverse scale is 127 / amax (not 1 / (amax /
// 127), which differs in the last bit for some amax), quants round to nearest even, and the scale
// kept is amax / 127 rounded through fp16, as a Q8_0 block stores it.
void quantizeRow(const float* x, int8_t* quants, float* scales, size_t n)
{
    for (size_t b = 0; b < n / 32; ++b) {
        const float* v = x + b * 32;
        float amax = 0;
        for (int i = 0; i < 32; ++i)
            amax = std::max(amax, std::fabs(v[i]));
        const float inverse = amax != 0 ? 127.0f / amax : 0.0f;
        scales[b] = halfToFloat(floatToHalf(amax / 127.0f));
        for (int i = 0; i < 32; ++i)
            quants[b * 32 + size_t(i)] = int8_t(std::nearbyint(v[i] * inverse));
    }
}

DotKernels makeTable()
{
    DotKernels table{.name = "portable",
                     .f32 = floatRowsInTiles<OneProduct, F32Values>,
                     .f16 = floatRowsInTiles<OneProduct, F16Values>,
                     .bf16 = floatRowsInTiles<OneProduct, Bf16Values>,
                     .axpyF16 = axpyF16,
                     .attentionScoresF16 = attentionScoresByPairs<dotF16>,
                     .attentionValuesF16 = attentionValuesByKeys<axpyF16>,
                     .softmaxExponentials = lanes::softmaxExponentials,
                     .attentionWeights = lanes::attentionWeights,
                     .swiglu = lanes::swiglu,
                     .toHalf = lanes::toHalf,
                     .roundToHalf = lanes::roundToHalf,
                     .quantizeRow = quantizeRow,
                     .quantizeSuperBlocks = portable::quantizeSuperBlocks};
    portable::addBlockKernels(table);
    return table;
}

} // namespace

ActivationFormat activationFormat(gguf::TensorType type)
{
    using gguf::TensorType;
    switch (type) {
    case TensorType::Q4_1:
    case TensorType::Q5_1: return ActivationFormat::Blocks32WithSums;
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K:
    case TensorType::IQ4_XS: return ActivationFormat::SuperBlocks;
    default: return ActivationFormat::Blocks32;
    }
}

BlockRowsDot blockRowsDot(const DotKernels& kernels, gguf::TensorType type)
{
    using gguf::TensorType;
    switch (type) {
    case TensorType::Q8_0: return kernels.q8_0;
    case TensorType::Q4_0: return kernels.q4_0;
    case TensorType::Q5_0: return kernels.q5_0;
    case TensorType::IQ4_NL: return kernels.iq4_nl;
    case TensorType::Q4_1: return kernels.q4_1;
    case TensorType::Q5_1: return kernels.q5_1;
    case TensorType::Q2_K: return kernels.q2_K;
    case TensorType::Q3_K: return kernels.q3_K;
    case TensorType::Q4_K: return kernels.q4_K;
    case TensorType::Q5_K: return kernels.q5_K;
    case TensorType::Q6_K: return kernels.q6_K;
    case TensorType::IQ4_XS: return kernels.iq4_xs;
    default: return nullptr;
    }
}

InterleavedDot interleavedDot(const DotKernels& kernels, gguf::TensorType type)
{
    using gguf::TensorType;
    switch (type) {
    case TensorType::Q8_0: return kernels.q8_0Interleaved;
    case TensorType::Q4_0: return kernels.q4_0Interleaved;
    case TensorType::Q5_0: return kernels.q5_0Interleaved;
    default: return nullptr;
    }
}

InterleavedSuperDot interleavedSuperDot(const DotKernels& kernels, gguf::TensorType type)
{
    using gguf::TensorType;
    switch (type) {
    case TensorType::Q4_K: return kernels.q4_KInterleaved;
    case TensorType::Q6_K: return kernels.q6_KInterleaved;
    default: return nullptr;
    }
}

bool hasInterleavedKernel(const DotKernels& kernels, gguf::TensorType type)
{
    return interleavedDot(kernels, type) || interleavedSuperDot(kernels, type);
}

const DotKernels& portableKernels()
{
    static const DotKernels kTable = makeTable();
    return kTable;
}

} // namespace latent::cpu
