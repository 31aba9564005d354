#pragma once

// The NEON kernels of the interleaved groups (interleave.h: 16 rows, block by block, 4 positions of
// every row side by side), written once over the 8-bit products they take (Sums, below: sdot in
// dot_interleaved_neon.cpp, smmla in dot_interleaved_neon_i8mm.cpp). Everything here has internal
// linkage: each of those files compiles it for its own instruction set, and the linker must not let
// the i8mm copy stand in for the other (it could fault on a processor without the extension).
//
// 16 bytes hold 4 positions of 4 rows. Q8_0's weights, stored as q + 128, are made signed again;
// Q4_0's nibbles are q + 8, which comes back out as 8 * sum(x), and Q5_0's five bits q + 16
// (16 * sum(x)). Q4_K's values (0..15, their 6-bit scales and minimums unpacked per sub-block) and
// Q6_K's (0..63, stored before re-centring by 32) are non-negative as int8: each sub-block's
// products are summed on their own, then one multiply-accumulate by the rows' scales adds them to
// the totals (exact in int32).
// Eight rows (two vectors of four) at a time, up to four tokens, in float_sums.h's order: each
// block's term, blocks two at a time; super-block after super-block for the K-quants.
//
// A kernel's integer sums of T tokens against the eight rows of a half are a Sums<T>:
//   Sums<T>(startOf): every row's sum of token t starts at startOf(t);
//   add(v, low, high, quantsOf): rows 4v..4v+3 gain their products with 8 positions of each token,
//     low holding the first 4 of them (row r at bytes 4r..4r+3, as interleave.h's chunks) and high
//     the next 4; quantsOf(t) points at token t's 8 activation quants;
//   addScaled(sums, scales): every row's sums gain sums' times the row's scale (scales[v]: rows
//     4v..4v+3);
//   rows(t, v): token t's sums of rows 4v..4v+3, a row a lane.
// How the lanes hold the sums in between is each product's own.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/float_sums.h"
#include "engine/backend/cpu/interleaved_tiles.h"

#include <arm_neon.h>

#include <array>
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

// sdot: one token's sums of four rows, a row a lane, each gaining 4 products at a time against the
// token's quants repeated in every lane: no reduction across lanes.
template <size_t T>
struct DotSums {
    std::array<std::array<int32x4_t, 2>, T> lanes; // token t's rows 4v..4v+3 in lanes[t][v]

    template <typename StartOf>
    explicit DotSums(StartOf startOf)
    {
        for (size_t t = 0; t < T; ++t)
            lanes[t][0] = lanes[t][1] = vdupq_n_s32(startOf(t));
    }

    template <typename QuantsOf>
    void add(size_t v, int8x16_t low, int8x16_t high, QuantsOf quantsOf)
    {
        for (size_t t = 0; t < T; ++t) {
            const int8_t* q = quantsOf(t);
            lanes[t][v] = vdotq_s32(vdotq_s32(lanes[t][v], low, repeat4(q)), high, repeat4(q + 4));
        }
    }

    void addScaled(const DotSums& sums, const int32x4_t scales[2])
    {
        for (size_t t = 0; t < T; ++t)
            for (size_t v = 0; v < 2; ++v)
                lanes[t][v] = vmlaq_s32(lanes[t][v], sums.lanes[t][v], scales[v]);
    }

    int32x4_t rows(size_t t, size_t v) const { return lanes[t][v]; }
};

// Sums that start at 0.
inline constexpr auto kFromZero = [](size_t) { return int32_t(0); };

// Bit k of each byte (of Q5_0's fifth bits: position 4k + i's in byte i of a row) moved to bit 4,
// above its position's nibble (ushl: a negative count shifts right).
uint8x16_t fifthBitOf(uint8x16_t bits, int k)
{
    return vandq_u8(vshlq_u8(bits, vdupq_n_s8(int8_t(4 - k))), vdupq_n_u8(0x10));
}

// Rows 8 * half .. 8 * half + 7 of one Q4_0, Q5_0 or Q8_0 group against T tokens: rows 4v .. 4v + 3
// of the half in the lanes of vector v.
template <template <size_t> class Sums, gguf::TensorType type, size_t T>
void halfTile(const uint8_t* group, size_t half, size_t blocks, const QuantizedRows& x, float* out, size_t outStride)
{
    using gguf::TensorType;
    const size_t bytesPerBlock = interleavedGroupBlockBytes(type);
    float32x4_t acc[T][2], first[T][2];
    for (size_t t = 0; t < T; ++t)
        for (size_t v = 0; v < 2; ++v)
            acc[t][v] = vdupq_n_f32(0);
    const auto step = [&](size_t b, bool second) __attribute__((always_inline)) {
        const uint8_t* block = group + b * bytesPerBlock;
        const auto* scales = reinterpret_cast<const uint16_t*>(block) + 8 * half;
        const float32x4_t rowScales[2] = {vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(scales))),
                                          vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(scales + 4)))};
        // The values of Q4_0 and Q5_0 are stored as q + 8 or q + 16: each row's sum starts at
        // -offset * sum(x) to take that back out.
        Sums<T> sums([&](size_t t) -> int32_t {
            if constexpr (type == TensorType::Q8_0)
                return 0;
            else
                return -(type == TensorType::Q4_0 ? 8 : 16) * x.sums[t * x.stride + b];
        });
        for (size_t v = 0; v < 2; ++v) {
            const auto rowsOfChunk = [&](size_t chunk) { return block + 32 + 64 * chunk + 32 * half + 16 * v; };
            if constexpr (type == TensorType::Q8_0) {
                const auto signedAt = [](const uint8_t* p) {
                    return vreinterpretq_s8_u8(veorq_u8(vld1q_u8(p), vdupq_n_u8(0x80)));
                };
                for (size_t j = 0; j < 4; ++j) // chunks 2j and 2j + 1: positions 8j..8j+3, 8j+4..8j+7
                    sums.add(v, signedAt(rowsOfChunk(2 * j)), signedAt(rowsOfChunk(2 * j + 1)),
                             [&](size_t t) { return x.quantsOf(t, b) + 8 * j; });
            } else {
                // Q5_0's fifth bits, above the nibbles of positions 4k..4k+3.
                const uint8x16_t fifth =
                    type == TensorType::Q5_0 ? vld1q_u8(block + 288 + 32 * half + 16 * v) : vdupq_n_u8(0);
                const auto withFifth = [&](uint8x16_t nibbles, int k) __attribute__((always_inline)) {
                    if constexpr (type == TensorType::Q5_0)
                        return vreinterpretq_s8_u8(vorrq_u8(nibbles, fifthBitOf(fifth, k)));
                    else
                        return vreinterpretq_s8_u8(nibbles);
                };
                for (size_t j = 0; j < 4; ++j) {
                    const uint8x16_t packed = vld1q_u8(rowsOfChunk(j));
                    sums.add(v, withFifth(vandq_u8(packed, vdupq_n_u8(0x0F)), int(2 * j)),
                             withFifth(vshrq_n_u8(packed, 4), int(2 * j + 1)),
                             [&](size_t t) { return x.quantsOf(t, b) + 8 * j; });
                }
            }
        }
        for (size_t t = 0; t < T; ++t) {
            const float32x4_t xScale = vdupq_n_f32(*x.scalesOf(t, b));
            for (size_t v = 0; v < 2; ++v) {
                const float32x4_t term =
                    vmulq_f32(vcvtq_f32_s32(sums.rows(t, v)), vmulq_f32(rowScales[v], xScale));
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

// A sub-block's eight int8 scales of rows 8 * half .. 8 * half + 7, as int32: rows 4v .. 4v + 3
// in wide[v]. (Q4_K's scales, 0..63, read the same as signed.)
void subBlockScales(int8x8_t scales, int32x4_t wide[2])
{
    const int16x8_t values = vmovl_s8(scales);
    wide[0] = vmovl_s16(vget_low_s16(values));
    wide[1] = vmovl_s16(vget_high_s16(values));
}

// The eight rows' fp16 values at p (d or dmin of a super-block) as floats, as subBlockScales.
void rowHalves(const uint8_t* p, float32x4_t halves[2])
{
    const auto* values = reinterpret_cast<const uint16_t*>(p);
    halves[0] = vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(values)));
    halves[1] = vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(values + 4)));
}

int16x4_t rowsOf(int16x8_t values, size_t v)
{
    return v == 0 ? vget_low_s16(values) : vget_high_s16(values);
}

// Sub-block s's 6-bit values (scales or minimums) of a half's eight rows, from interleave.h's Q4_K
// layout: `low` and `high` point at the half's bytes of the low four bits (sub-block j < 4 in the
// low nibbles of the bytes at low + 16 * j, j + 4 in their high nibbles) and of the high two
// (sub-block s in bits 2 * (s % 4) and up of the bytes at high + 16 * (s / 4)).
uint8x8_t sixBits(const uint8_t* low, const uint8_t* high, int s)
{
    const uint8x8_t nibbles = vld1_u8(low + 16 * (s % 4));
    const uint8x8_t lowBits = s < 4 ? vand_u8(nibbles, vdup_n_u8(0x0F)) : vshr_n_u8(nibbles, 4);
    // To bits 4 and 5, above the low four (ushl: a negative count shifts right).
    const uint8x8_t highBits =
        vand_u8(vshl_u8(vld1_u8(high + 16 * (s / 4)), vdup_n_s8(int8_t(4 - 2 * (s % 4)))), vdup_n_u8(0x30));
    return vorr_u8(lowBits, highBits);
}

// Rows 8 * half .. 8 * half + 7 of one Q4_K group against T tokens.
template <template <size_t> class Sums, size_t T>
void q4_KHalfTile(const uint8_t* group, size_t half, size_t blocks, const ActivationRow* x, float* out, size_t outStride)
{
    const size_t bytesPerBlock = interleavedGroupBlockBytes(gguf::TensorType::Q4_K);
    float32x4_t acc[T][2];
    for (size_t t = 0; t < T; ++t)
        for (size_t v = 0; v < 2; ++v)
            acc[t][v] = vdupq_n_f32(0);
    for (size_t b = 0; b < blocks; ++b) {
        const uint8_t* block = group + b * bytesPerBlock;
        // The half's bytes of the 6-bit scales and minimums (sixBits).
        const uint8_t *scaleLow = block + 64 + 8 * half, *scaleHigh = block + 128 + 8 * half;
        const uint8_t *minimumLow = block + 160 + 8 * half, *minimumHigh = block + 224 + 8 * half;
        // The sub-blocks' scales, unpacked before the loop over sub-blocks: its registers are the
        // products' (GCC spilled more with the unpacking inside it).
        uint8_t subScales[8][8];
        for (int s = 0; s < 8; ++s)
            vst1_u8(subScales[s], sixBits(scaleLow, scaleHigh, s));
        Sums<T> totals(kFromZero);
        for (int s = 0; s < 8; ++s) {
            const uint8_t* nibbles = block + 256 + 256 * s + 32 * half; // the half's bytes of sub-block s
            Sums<T> sums(kFromZero);
            for (size_t j = 0; j < 4; ++j) {
                for (size_t v = 0; v < 2; ++v) {
                    const uint8x16_t packed = vld1q_u8(nibbles + 64 * j + 16 * v);
                    sums.add(v, vreinterpretq_s8_u8(vandq_u8(packed, vdupq_n_u8(0x0F))),
                             vreinterpretq_s8_u8(vshrq_n_u8(packed, 4)),
                             [&](size_t t) { return x[t].quants + 256 * b + 32 * s + 8 * j; });
                }
            }
            int32x4_t scales[2];
            subBlockScales(vreinterpret_s8_u8(vld1_u8(subScales[s])), scales);
            totals.addScaled(sums, scales);
        }
        // Each minimum times the sum of its sub-block's 32 activations (two group sums of 16).
        int32x4_t minimums[T][2];
        for (size_t t = 0; t < T; ++t)
            minimums[t][0] = minimums[t][1] = vdupq_n_s32(0);
        for (int s = 0; s < 8; ++s) {
            const int16x8_t rowMinimums = vreinterpretq_s16_u16(vmovl_u8(sixBits(minimumLow, minimumHigh, s)));
            for (size_t t = 0; t < T; ++t) {
                const int16_t* sums = x[t].groupSums + 16 * b + 2 * s;
                const auto subBlockSum = int16_t(sums[0] + sums[1]);
                for (size_t v = 0; v < 2; ++v)
                    minimums[t][v] = vmlal_n_s16(minimums[t][v], rowsOf(rowMinimums, v), subBlockSum);
            }
        }
        float32x4_t d[2], dmin[2];
        rowHalves(block + 16 * half, d);
        rowHalves(block + 32 + 16 * half, dmin);
        for (size_t t = 0; t < T; ++t) { // superBlockWithMinimums, lane by lane
            const float32x4_t xScale = vdupq_n_f32(x[t].scales[b]);
            for (size_t v = 0; v < 2; ++v) {
                const float32x4_t scaled = vsubq_f32(vmulq_f32(d[v], vcvtq_f32_s32(totals.rows(t, v))),
                                                     vmulq_f32(dmin[v], vcvtq_f32_s32(minimums[t][v])));
                acc[t][v] = vaddq_f32(acc[t][v], vmulq_f32(xScale, scaled));
            }
        }
    }
    for (size_t t = 0; t < T; ++t)
        for (size_t v = 0; v < 2; ++v)
            vst1q_f32(out + t * outStride + 8 * half + 4 * v, acc[t][v]);
}

// The two high bits of position group g of a Q6_K sub-block (bits 2g, 2g + 1 of each byte)
// moved to bits 4 and 5, above the four low ones (ushl: a negative count shifts right).
uint8x16_t highBitsOf(uint8x16_t bits, int g)
{
    return vandq_u8(vshlq_u8(bits, vdupq_n_s8(int8_t(4 - 2 * g))), vdupq_n_u8(0x30));
}

// Rows 8 * half .. 8 * half + 7 of one Q6_K group against T tokens.
template <template <size_t> class Sums, size_t T>
void q6_KHalfTile(const uint8_t* group, size_t half, size_t blocks, const ActivationRow* x, float* out, size_t outStride)
{
    const size_t bytesPerBlock = interleavedGroupBlockBytes(gguf::TensorType::Q6_K);
    float32x4_t acc[T][2];
    for (size_t t = 0; t < T; ++t)
        for (size_t v = 0; v < 2; ++v)
            acc[t][v] = vdupq_n_f32(0);
    for (size_t b = 0; b < blocks; ++b) {
        const uint8_t* block = group + b * bytesPerBlock;
        Sums<T> totals(kFromZero);
        for (int s = 0; s < 16; ++s) {
            const uint8_t* sub = block + 288 + 192 * s;
            // The values are stored + 32: take 32 * sum(x) back out.
            Sums<T> sums([&](size_t t) { return -32 * x[t].groupSums[16 * b + size_t(s)]; });
            for (size_t v = 0; v < 2; ++v) {
                const uint8x16_t highBits = vld1q_u8(sub + 128 + 32 * half + 16 * v);
                for (size_t j = 0; j < 2; ++j) {
                    const uint8x16_t packed = vld1q_u8(sub + 64 * j + 32 * half + 16 * v);
                    const int g = int(2 * j);
                    sums.add(v,
                             vreinterpretq_s8_u8(vorrq_u8(vandq_u8(packed, vdupq_n_u8(0x0F)), highBitsOf(highBits, g))),
                             vreinterpretq_s8_u8(vorrq_u8(vshrq_n_u8(packed, 4), highBitsOf(highBits, g + 1))),
                             [&](size_t t) { return x[t].quants + 256 * b + 16 * s + 8 * j; });
                }
            }
            int32x4_t scales[2];
            subBlockScales(vld1_s8(reinterpret_cast<const int8_t*>(block + 32 + 16 * s + 8 * half)), scales);
            totals.addScaled(sums, scales);
        }
        float32x4_t d[2];
        rowHalves(block + 16 * half, d);
        for (size_t t = 0; t < T; ++t) { // superBlock, lane by lane
            const float32x4_t xScale = vdupq_n_f32(x[t].scales[b]);
            for (size_t v = 0; v < 2; ++v)
                acc[t][v] =
                    vaddq_f32(acc[t][v], vmulq_f32(vmulq_f32(d[v], xScale), vcvtq_f32_s32(totals.rows(t, v))));
        }
    }
    for (size_t t = 0; t < T; ++t)
        for (size_t v = 0; v < 2; ++v)
            vst1q_f32(out + t * outStride + 8 * half + 4 * v, acc[t][v]);
}

template <template <size_t> class Sums, gguf::TensorType type>
void interleaved(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                 size_t outStride)
{
    forEachHalfTile(x, tokens, out, outStride, [&]<size_t T>(size_t half, const QuantizedRows& tile, float* target) {
        halfTile<Sums, type, T>(group, half, blocks, tile, target, outStride);
    });
}

template <template <size_t> class Sums>
void interleavedQ4_K(const uint8_t* group, size_t blocks, const ActivationRow* x, size_t tokens, float* out,
                     size_t outStride)
{
    forEachHalfTile(x, tokens, out, outStride, [&]<size_t T>(size_t half, const ActivationRow* tile, float* target) {
        q4_KHalfTile<Sums, T>(group, half, blocks, tile, target, outStride);
    });
}

template <template <size_t> class Sums>
void interleavedQ6_K(const uint8_t* group, size_t blocks, const ActivationRow* x, size_t tokens, float* out,
                     size_t outStride)
{
    forEachHalfTile(x, tokens, out, outStride, [&]<size_t T>(size_t half, const ActivationRow* tile, float* target) {
        q6_KHalfTile<Sums, T>(group, half, blocks, tile, target, outStride);
    });
}

// Sets a table's interleaved entries (DotKernels::q8_0Interleaved .. q6_KInterleaved) to these
// kernels on Sums' products.
template <template <size_t> class Sums>
void setInterleavedKernels(DotKernels& table)
{
    using gguf::TensorType;
    table.q8_0Interleaved = interleaved<Sums, TensorType::Q8_0>;
    table.q4_0Interleaved = interleaved<Sums, TensorType::Q4_0>;
    table.q5_0Interleaved = interleaved<Sums, TensorType::Q5_0>;
    table.q4_KInterleaved = interleavedQ4_K<Sums>;
    table.q6_KInterleaved = interleavedQ6_K<Sums>;
}

} // namespace
} // namespace latent::cpu::neon
