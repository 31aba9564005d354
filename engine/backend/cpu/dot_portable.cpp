// The portable kernels: plain loops the compiler may vectorize for whatever it targets. They
// are also the reference the SIMD tables are tested against.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/dot_blocks_portable.h"

#include "engine/core/half.h"

#include <algorithm>
#include <cmath>

namespace latent::cpu {
namespace {

using quant::BlockQ4_0;
using quant::BlockQ8_0;

float dotF32(const float* w, const float* x, size_t n)
{
    float sum = 0;
    for (size_t i = 0; i < n; ++i)
        sum += w[i] * x[i];
    return sum;
}

float dotF16(const uint16_t* w, const float* x, size_t n)
{
    float sum = 0;
    for (size_t i = 0; i < n; ++i)
        sum += halfToFloat(w[i]) * x[i];
    return sum;
}

float dotBf16(const uint16_t* w, const float* x, size_t n)
{
    float sum = 0;
    for (size_t i = 0; i < n; ++i)
        sum += bf16ToFloat(w[i]) * x[i];
    return sum;
}

void axpyF16(float* y, float a, const uint16_t* x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        y[i] += a * halfToFloat(x[i]);
}

// The scale of a block is rounded through fp16, as a Q8_0 block stores it; the quants use the
// unrounded one, as llama.cpp's quantizer does.
void quantizeRow(const float* x, int8_t* quants, float* scales, size_t n)
{
    for (size_t b = 0; b < n / 32; ++b) {
        const float* v = x + b * 32;
        float amax = 0;
        for (int i = 0; i < 32; ++i)
            amax = std::max(amax, std::fabs(v[i]));
        const float d = amax / 127.0f;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        scales[b] = halfToFloat(floatToHalf(d));
        for (int i = 0; i < 32; ++i)
            quants[b * 32 + size_t(i)] = int8_t(std::nearbyint(v[i] * id));
    }
}

float dotQ8_0(const BlockQ8_0* w, const int8_t* xq, const float* xs, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        int32_t acc = 0;
        for (int i = 0; i < 32; ++i)
            acc += int32_t(w[b].q[i]) * xq[b * 32 + size_t(i)];
        sum += halfToFloat(w[b].d) * xs[b] * float(acc);
    }
    return sum;
}

float dotQ4_0(const BlockQ4_0* w, const int8_t* xq, const float* xs, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* x = xq + b * 32;
        int32_t acc = 0;
        for (int i = 0; i < 16; ++i) {
            acc += (int32_t(w[b].q[i] & 0x0F) - 8) * x[i];
            acc += (int32_t(w[b].q[i] >> 4) - 8) * x[i + 16];
        }
        sum += halfToFloat(w[b].d) * xs[b] * float(acc);
    }
    return sum;
}

template <typename Block, float (*dot)(const Block*, const int8_t*, const float*, size_t)>
void dotTimesFour(const Block* w, const QuantizedRows& x, size_t blocks, float out[4])
{
    for (size_t t = 0; t < 4; ++t)
        out[t] = dot(w, x.quantsOf(t, 0), x.scalesOf(t, 0), blocks);
}

constexpr DotKernels kPortable{"portable",
                               dotF32,
                               dotF16,
                               dotBf16,
                               axpyF16,
                               quantizeRow,
                               dotQ8_0,
                               dotQ4_0,
                               dotTimesFour<BlockQ8_0, dotQ8_0>,
                               dotTimesFour<BlockQ4_0, dotQ4_0>,
                               nullptr,
                               nullptr,
                               portable::quantizeSuperBlocks,
                               portable::dotQ4_1,
                               portable::dotQ5_0,
                               portable::dotQ5_1,
                               portable::dotIq4Nl,
                               portable::dotQ2_K,
                               portable::dotQ3_K,
                               portable::dotQ4_K,
                               portable::dotQ5_K,
                               portable::dotQ6_K,
                               portable::dotIq4Xs};

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

BlockDot blockDot(const DotKernels& kernels, gguf::TensorType type)
{
    using gguf::TensorType;
    switch (type) {
    case TensorType::Q4_1: return kernels.q4_1;
    case TensorType::Q5_0: return kernels.q5_0;
    case TensorType::Q5_1: return kernels.q5_1;
    case TensorType::IQ4_NL: return kernels.iq4_nl;
    case TensorType::Q2_K: return kernels.q2_K;
    case TensorType::Q3_K: return kernels.q3_K;
    case TensorType::Q4_K: return kernels.q4_K;
    case TensorType::Q5_K: return kernels.q5_K;
    case TensorType::Q6_K: return kernels.q6_K;
    case TensorType::IQ4_XS: return kernels.iq4_xs;
    default: return nullptr;
    }
}

BlockDot4 blockDot4(const DotKernels& kernels, gguf::TensorType type)
{
    using gguf::TensorType;
    switch (type) {
    case TensorType::Q5_0: return kernels.q5_0x4;
    case TensorType::Q4_K: return kernels.q4_Kx4;
    case TensorType::Q5_K: return kernels.q5_Kx4;
    case TensorType::Q6_K: return kernels.q6_Kx4;
    default: return nullptr;
    }
}

const DotKernels& portableKernels()
{
    return kPortable;
}

} // namespace latent::cpu
