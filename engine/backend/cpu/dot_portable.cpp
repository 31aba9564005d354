// The portable kernels: plain loops the compiler may vectorize for whatever it targets. They
// are also the reference the SIMD tables are tested against.

#include "engine/backend/cpu/dot_kernels.h"

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

float dotQ8_0(const BlockQ8_0* w, const BlockQ8_0* x, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        int32_t acc = 0;
        for (int i = 0; i < quant::kBlockQ8_0; ++i)
            acc += int32_t(w[b].q[i]) * int32_t(x[b].q[i]);
        sum += halfToFloat(w[b].d) * halfToFloat(x[b].d) * float(acc);
    }
    return sum;
}

float dotQ4_0(const BlockQ4_0* w, const BlockQ8_0* x, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        int32_t acc = 0;
        for (int i = 0; i < quant::kBlockQ4_0 / 2; ++i) {
            acc += (int32_t(w[b].q[i] & 0x0F) - 8) * x[b].q[i];
            acc += (int32_t(w[b].q[i] >> 4) - 8) * x[b].q[i + 16];
        }
        sum += halfToFloat(w[b].d) * halfToFloat(x[b].d) * float(acc);
    }
    return sum;
}

void quantizeRowQ8_0(const float* x, BlockQ8_0* out, size_t n)
{
    for (size_t b = 0; b < n / quant::kBlockQ8_0; ++b) {
        const float* v = x + b * quant::kBlockQ8_0;
        float amax = 0;
        for (int i = 0; i < quant::kBlockQ8_0; ++i)
            amax = std::max(amax, std::fabs(v[i]));
        const float d = amax / 127.0f;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        out[b].d = floatToHalf(d);
        for (int i = 0; i < quant::kBlockQ8_0; ++i)
            out[b].q[i] = int8_t(std::nearbyint(v[i] * id));
    }
}

template <typename Block, float (*dot)(const Block*, const BlockQ8_0*, size_t)>
void dotTimesFour(const Block* w, const QuantizedRows& x, size_t blocks, float out[4])
{
    for (size_t t = 0; t < 4; ++t)
        out[t] = dot(w, x.blocks + t * x.stride, blocks);
}

constexpr DotKernels kPortable{"portable",
                               dotF32,
                               dotF16,
                               dotBf16,
                               dotQ8_0,
                               dotQ4_0,
                               quantizeRowQ8_0,
                               dotTimesFour<BlockQ8_0, dotQ8_0>,
                               dotTimesFour<BlockQ4_0, dotQ4_0>};

} // namespace

const DotKernels& portableKernels()
{
    return kPortable;
}

} // namespace latent::cpu
