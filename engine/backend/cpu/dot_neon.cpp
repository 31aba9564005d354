// The ARM64 tables: "neon" (ARMv8.0's Advanced SIMD, which every AArch64 processor has),
// "neon-dotprod" (the block kernels and the interleaved Q4_0/Q5_0/Q8_0/Q4_K/Q6_K groups on sdot,
// FEAT_DotProd) and "neon-i8mm" (the same, the interleaved groups on smmla, FEAT_I8MM, for two
// tokens and more). Float rows, attention's axpy and the activation quantizers are ARMv8.0 code
// shared by all three. The float steps are float_sums.h's (a product, then a sum: never
// vfmaq), so the results are the portable kernels' bits; fp16 is widened by fcvtl, exact for every
// value, which ARMv8.0 has without FEAT_FP16.

#include "engine/backend/cpu/attention_by_pairs.h"
#include "engine/backend/cpu/dot_blocks_neon.h"
#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/elementwise_lanes.h"
#include "engine/backend/cpu/float_rows.h"

#include "engine/core/half.h"

#include <arm_neon.h>

#include <cmath>

namespace latent::cpu {
namespace {

float32x4_t halvesAt(const uint16_t* w)
{
    return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(w)));
}

float32x4_t bf16At(const uint16_t* w)
{
    return vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(w), 16));
}

// A float row product in the fixed order of float_sums.h: lane l of the 32 running sums is lane
// l % 4 of acc[l / 4]; load(i) gives w[i..i+4) as floats.
template <typename LoadWeights>
float floatDot(const float* x, size_t n, LoadWeights load)
{
    float32x4_t acc[8];
    for (float32x4_t& a : acc)
        a = vdupq_n_f32(0);
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (size_t k = 0; k < 8; ++k)
            acc[k] = vaddq_f32(acc[k], vmulq_f32(load(i + 4 * k), vld1q_f32(x + i + 4 * k)));
    for (; i + 8 <= n; i += 8)
        for (size_t k = 0; k < 2; ++k)
            acc[k] = vaddq_f32(acc[k], vmulq_f32(load(i + 4 * k), vld1q_f32(x + i + 4 * k)));
    // floatLanesSum: the four eights lane by lane, then eightLanesSum's tree.
    float32x4_t eight[2];
    for (size_t k = 0; k < 2; ++k)
        eight[k] = vaddq_f32(vaddq_f32(acc[k], acc[k + 2]), vaddq_f32(acc[k + 4], acc[k + 6]));
    const float32x4_t four = vaddq_f32(eight[0], eight[1]);
    const float32x2_t two = vadd_f32(vget_low_f32(four), vget_high_f32(four)); // 0+2, 1+3
    return vget_lane_f32(two, 0) + vget_lane_f32(two, 1);
}

float dotF32(const float* w, const float* x, size_t n)
{
    float sum = floatDot(x, n, [w](size_t i) { return vld1q_f32(w + i); });
    for (size_t i = n & ~size_t(7); i < n; ++i)
        sum = sum + w[i] * x[i];
    return sum;
}

float dotF16(const uint16_t* w, const float* x, size_t n)
{
    float sum = floatDot(x, n, [w](size_t i) { return halvesAt(w + i); });
    for (size_t i = n & ~size_t(7); i < n; ++i)
        sum = sum + halfToFloat(w[i]) * x[i];
    return sum;
}

float dotBf16(const uint16_t* w, const float* x, size_t n)
{
    float sum = floatDot(x, n, [w](size_t i) { return bf16At(w + i); });
    for (size_t i = n & ~size_t(7); i < n; ++i)
        sum = sum + bf16ToFloat(w[i]) * x[i];
    return sum;
}

using OneProduct = OneProductTiles<dotF32, dotF16, dotBf16>;

void axpyF16(float* y, float a, const uint16_t* x, size_t n)
{
    const float32x4_t scale = vdupq_n_f32(a);
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(y + i, vaddq_f32(vld1q_f32(y + i), vmulq_f32(scale, halvesAt(x + i))));
    for (; i < n; ++i)
        y[i] = y[i] + a * halfToFloat(x[i]);
}

// Four vectors of int32 (each within int8's range) to 16 bytes.
int8x16_t narrowToBytes(const int32x4_t v[4])
{
    const int16x8_t low = vcombine_s16(vqmovn_s32(v[0]), vqmovn_s32(v[1]));
    const int16x8_t high = vcombine_s16(vqmovn_s32(v[2]), vqmovn_s32(v[3]));
    return vcombine_s8(vqmovn_s16(low), vqmovn_s16(high));
}

// x[0..n) times scale, rounded to nearest even (fcvtns, as the portable nearbyint) and stored as
// bytes, at most `limit`; n a multiple of 16.
void scaleToBytes(const float* x, float scale, int32_t limit, int8_t* quants, size_t n)
{
    for (size_t i = 0; i < n; i += 16) {
        int32x4_t rounded[4];
        for (size_t k = 0; k < 4; ++k)
            rounded[k] = vminq_s32(vcvtnq_s32_f32(vmulq_f32(vld1q_f32(x + i + 4 * k), vdupq_n_f32(scale))), vdupq_n_s32(limit));
        vst1q_s8(quants + i, narrowToBytes(rounded));
    }
}

float absoluteMax(const float* x, size_t n)
{
    float32x4_t max = vdupq_n_f32(0);
    for (size_t i = 0; i < n; i += 4)
        max = vmaxq_f32(max, vabsq_f32(vld1q_f32(x + i)));
    return vmaxvq_f32(max);
}

// As the portable quantizeRow: 127 / amax as the inverse scale, amax / 127 through fp16 kept.
void quantizeRow(const float* x, int8_t* quants, float* scales, size_t n)
{
    for (size_t b = 0; b < n / 32; ++b) {
        const float amax = absoluteMax(x + b * 32, 32);
        scales[b] = halfToFloat(floatToHalf(amax / 127.0f));
        scaleToBytes(x + b * 32, amax != 0 ? 127.0f / amax : 0.0f, 127, quants + b * 32, 32);
    }
}

// As the portable quantizeSuperBlocks: the first value of largest magnitude, with its sign, maps
// to -127.
void quantizeSuperBlocks(const float* x, int8_t* quants, float* scales, int16_t* sums, size_t n)
{
    for (size_t b = 0; b < n / 256; ++b) {
        const float* v = x + b * 256;
        int8_t* q = quants + b * 256;
        const float amax = absoluteMax(v, 256);
        if (amax == 0) {
            zeroSuperBlock(quants, scales, sums, b);
            continue;
        }
        size_t first = 0;
        while (std::fabs(v[first]) != amax)
            ++first;
        const float inverse = -127.0f / v[first];
        scaleToBytes(v, inverse, 127, q, 256);
        for (size_t g = 0; g < 16; ++g)
            sums[b * 16 + g] = vaddlvq_s8(vld1q_s8(q + g * 16));
        scales[b] = 1.0f / inverse;
    }
}

DotKernels floatKernels(std::string_view name)
{
    return DotKernels{.name = name,
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
                      .quantizeSuperBlocks = quantizeSuperBlocks};
}

DotKernels makeNeonTable()
{
    DotKernels table = floatKernels("neon");
    neon::addBlockKernels(table);
    return table;
}

DotKernels makeDotprodTable()
{
    DotKernels table = floatKernels("neon-dotprod");
    neon::addDotprodBlockKernels(table);
    neon::addDotprodInterleavedKernels(table);
    return table;
}

// The dot-product table with the interleaved groups on smmla; the block kernels (the types and
// rows that are not interleaved) stay on sdot.
DotKernels makeI8mmTable()
{
    DotKernels table = floatKernels("neon-i8mm");
    neon::addDotprodBlockKernels(table);
    neon::addI8mmInterleavedKernels(table);
    return table;
}

} // namespace

const DotKernels* neonKernels()
{
    static const DotKernels kTable = makeNeonTable();
    return &kTable;
}

const DotKernels* neonDotprodKernels()
{
    static const DotKernels kTable = makeDotprodTable();
    return &kTable;
}

const DotKernels* neonI8mmKernels()
{
    static const DotKernels kTable = makeI8mmTable();
    return &kTable;
}

} // namespace latent::cpu
