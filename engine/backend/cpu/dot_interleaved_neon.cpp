// Dot-product (sdot, FEAT_DotProd) kernels of the interleaved groups (interleave.h: 16 rows, block
// by block, 4 positions of every row side by side): 16 bytes hold 4 positions of 4 rows, and one
// sdot against 4 activation quants repeated in every lane adds each row's 4 products to its own
// lane, so a block's totals need no reduction across lanes. Q8_0's weights, stored as q + 128, are
// made signed again; Q4_0's nibbles are q + 8, which comes back out as 8 * sum(x). Eight rows (two
// vectors) at a time, up to four tokens, in float_sums.h's order: each block's term, blocks two at
// a time. Compiled for FEAT_DotProd; only the neon-dotprod table holds these kernels.

#include "engine/backend/cpu/dot_blocks_neon.h"
#include "engine/backend/cpu/float_sums.h"
#include "engine/backend/cpu/interleaved_tiles.h"

#include <arm_neon.h>

#include <cstring>

namespace latent::cpu::neon {
namespace {

// Activation quants p[0..4) in every 32-bit lane.
int8x16_t repeat4(const int8_t* p)
{
    int32_t four;
    std::memcpy(&four, p, 4);
    return vreinterpretq_s8_s32(vdupq_n_s32(four));
}

// Rows 8 * half .. 8 * half + 7 of one group against T tokens: rows 4v .. 4v + 3 of the half in
// the lanes of vector v.
template <bool Q4, size_t T>
void halfTile(const uint8_t* group, size_t half, size_t blocks, const QuantizedRows& x, float* out, size_t outStride)
{
    constexpr size_t bytesPerBlock = Q4 ? 288 : 544;
    float32x4_t acc[T][2], first[T][2];
    for (size_t t = 0; t < T; ++t)
        for (size_t v = 0; v < 2; ++v)
            acc[t][v] = vdupq_n_f32(0);
    const auto step = [&](size_t b, bool second) __attribute__((always_inline)) {
        const uint8_t* block = group + b * bytesPerBlock;
        const auto* scales = reinterpret_cast<const uint16_t*>(block) + 8 * half;
        const float32x4_t rowScales[2] = {vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(scales))),
                                          vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(scales + 4)))};
        int32x4_t sum[T][2];
        if constexpr (Q4) {
            for (size_t t = 0; t < T; ++t) // the nibbles are q + 8: take 8 * sum(x) back out
                sum[t][0] = sum[t][1] = vdupq_n_s32(-8 * x.sums[t * x.stride + b]);
            for (int j = 0; j < 4; ++j) {
                for (size_t v = 0; v < 2; ++v) {
                    const uint8x16_t packed = vld1q_u8(block + 32 + 64 * j + 32 * half + 16 * v);
                    const int8x16_t low = vreinterpretq_s8_u8(vandq_u8(packed, vdupq_n_u8(0x0F)));
                    const int8x16_t high = vreinterpretq_s8_u8(vshrq_n_u8(packed, 4));
                    for (size_t t = 0; t < T; ++t) {
                        const int8_t* q = x.quantsOf(t, b) + 8 * j;
                        sum[t][v] = vdotq_s32(vdotq_s32(sum[t][v], low, repeat4(q)), high, repeat4(q + 4));
                    }
                }
            }
        } else {
            for (size_t t = 0; t < T; ++t)
                sum[t][0] = sum[t][1] = vdupq_n_s32(0);
            for (int k = 0; k < 8; ++k) {
                for (size_t v = 0; v < 2; ++v) {
                    const int8x16_t w = vreinterpretq_s8_u8(
                        veorq_u8(vld1q_u8(block + 32 + 64 * k + 32 * half + 16 * v), vdupq_n_u8(0x80)));
                    for (size_t t = 0; t < T; ++t)
                        sum[t][v] = vdotq_s32(sum[t][v], w, repeat4(x.quantsOf(t, b) + 4 * k));
                }
            }
        }
        for (size_t t = 0; t < T; ++t) {
            const float32x4_t xScale = vdupq_n_f32(*x.scalesOf(t, b));
            for (size_t v = 0; v < 2; ++v) {
                const float32x4_t term = vmulq_f32(vcvtq_f32_s32(sum[t][v]), vmulq_f32(rowScales[v], xScale));
                if (second)
                    acc[t][v] = vaddq_f32(acc[t][v], vaddq_f32(first[t][v], term));
                else
                    first[t][v] = term;
            }
        }
    };
    forBlockPairs(blocks, step, [&] {
        for (size_t t = 0; t < T; ++t)
            for (size_t v = 0; v < 2; ++v)
                acc[t][v] = vaddq_f32(acc[t][v], first[t][v]);
    });
    for (size_t t = 0; t < T; ++t)
        for (size_t v = 0; v < 2; ++v)
            vst1q_f32(out + t * outStride + 8 * half + 4 * v, acc[t][v]);
}

template <bool Q4>
void interleaved(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                 size_t outStride)
{
    forEachHalfTile(x, tokens, out, outStride, [&]<size_t T>(size_t half, const QuantizedRows& tile, float* target) {
        halfTile<Q4, T>(group, half, blocks, tile, target, outStride);
    });
}

} // namespace

void interleavedQ8_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride)
{
    interleaved<false>(group, blocks, x, tokens, out, outStride);
}

void interleavedQ4_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride)
{
    interleaved<true>(group, blocks, x, tokens, out, outStride);
}

} // namespace latent::cpu::neon
