#pragma once

// The NEON kernels of the quantized block types, written once over the 8-bit product they use
// (Products::dot16: ARMv8.0's widening multiplies in dot_blocks_neon.cpp, sdot in
// dot_blocks_neon_dotprod.cpp). Everything here has internal linkage: each of those files
// compiles it for its own instruction set, and the linker must not let one copy stand in for the
// other (the dot-product one would fault on a processor without the extension).
//
// Each kernel unpacks 16 or 32 weights at a time to bytes and takes their products with the
// activation quants; the integer sums are exact, and the float steps after them are
// float_sums.h's, in its order. Each weight block is unpacked once for up to four tokens.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/float_sums.h"

#include "engine/core/half.h"

#include <arm_neon.h>

#include <algorithm>
#include <cstddef>

namespace latent::cpu::neon {
namespace {

using namespace quant;

// Products::dot16(acc, w, x): acc plus the 16 products w[i] * x[i] (|w| <= 128, |x| <= 127),
// spread over its lanes in any way.
template <typename Products>
int32x4_t products32(int8x16x2_t w, const int8_t* x)
{
    return Products::dot16(Products::dot16(vdupq_n_s32(0), w.val[0], vld1q_s8(x)), w.val[1], vld1q_s8(x + 16));
}

template <typename Products>
int32x4_t products16(int8x16_t w, const int8_t* x)
{
    return Products::dot16(vdupq_n_s32(0), w, vld1q_s8(x));
}

int8x16_t asSigned(uint8x16_t bytes)
{
    return vreinterpretq_s8_u8(bytes);
}

// 16 packed bytes to 32 nibbles: values 0..15 (the low nibbles), then 16..31 (the high ones).
int8x16x2_t nibbles(const uint8_t* packed)
{
    const uint8x16_t bytes = vld1q_u8(packed);
    return {{asSigned(vandq_u8(bytes, vdupq_n_u8(0x0F))), asSigned(vshrq_n_u8(bytes, 4))}};
}

// Byte i is 0xFF where bit i of the 16 bits at bits (little-endian) is set.
uint8x16_t bitsToBytes(const uint8_t bits[2])
{
    const uint8x16_t spread = vcombine_u8(vdup_n_u8(bits[0]), vdup_n_u8(bits[1]));
    return vtstq_u8(spread, vreinterpretq_u8_u64(vdupq_n_u64(0x8040201008040201)));
}

// Q5_0/Q5_1's 32 values 0..31: the nibbles plus 16 where the block's high bit is set.
int8x16x2_t fiveBitValues(const uint8_t q[16], const uint8_t qh[4])
{
    const int8x16x2_t low = nibbles(q);
    const uint8x16_t sixteen = vdupq_n_u8(0x10);
    return {{vorrq_s8(low.val[0], asSigned(vandq_u8(bitsToBytes(qh), sixteen))),
             vorrq_s8(low.val[1], asSigned(vandq_u8(bitsToBytes(qh + 2), sixteen)))}};
}

// IQ4's non-linear grid, looked up for 16 nibbles.
int8x16_t iq4Values(int8x16_t indices)
{
    return vqtbl1q_s8(vld1q_s8(kIq4Values), vreinterpretq_u8_s8(indices));
}

int8x16x2_t minus(int8x16x2_t values, int8_t offset)
{
    return {{vsubq_s8(values.val[0], vdupq_n_s8(offset)), vsubq_s8(values.val[1], vdupq_n_s8(offset))}};
}

// A 32-value block's weights as bytes: signed, or unsigned (0..31) for the types with a minimum.
int8x16x2_t weights(const BlockQ8_0& b) { return {{vld1q_s8(b.q), vld1q_s8(b.q + 16)}}; }
int8x16x2_t weights(const BlockQ4_0& b) { return minus(nibbles(b.q), 8); }
int8x16x2_t weights(const BlockQ5_0& b) { return minus(fiveBitValues(b.q, b.qh), 16); }
int8x16x2_t weights(const BlockQ4_1& b) { return nibbles(b.q); }
int8x16x2_t weights(const BlockQ5_1& b) { return fiveBitValues(b.q, b.qh); }
int8x16x2_t weights(const BlockIq4Nl& b)
{
    const int8x16x2_t indices = nibbles(b.q);
    return {{iq4Values(indices.val[0]), iq4Values(indices.val[1])}};
}

template <typename Block>
constexpr bool hasMinimum = requires(const Block& b) { b.m; };

// 32-value blocks: one row against `tokens` activation rows, four blocks at a time, block b0 + j
// in lane j of the vectors of totals and terms; the terms then summed in pairs, which are added to
// the row's sum in order (float_sums.h).
template <typename Products, typename Block, size_t tokens>
void blocksRowTokens(const Block* row, const ActivationRow* x, size_t blocks, float* out, size_t outStride)
{
    float sum[tokens] = {};
    for (size_t b0 = 0; b0 < blocks; b0 += 4) {
        const size_t n = std::min<size_t>(4, blocks - b0);
        int32x4_t lanes[tokens][4];
        // Blocks past the row's end give zero totals and terms: a pair (u, 0) is u.
        float d[4] = {}, m[4] = {};
        for (size_t j = 0; j < 4; ++j) {
            if (j >= n) {
                for (size_t t = 0; t < tokens; ++t)
                    lanes[t][j] = vdupq_n_s32(0);
                continue;
            }
            const Block& block = row[b0 + j];
            const int8x16x2_t w = weights(block);
            for (size_t t = 0; t < tokens; ++t)
                lanes[t][j] = products32<Products>(w, x[t].quants + (b0 + j) * 32);
            d[j] = halfToFloat(block.d);
            if constexpr (hasMinimum<Block>)
                m[j] = halfToFloat(block.m);
        }
        for (size_t t = 0; t < tokens; ++t) {
            const int32x4_t totals = vpaddq_s32(vpaddq_s32(lanes[t][0], lanes[t][1]), vpaddq_s32(lanes[t][2], lanes[t][3]));
            float xScales[4] = {};
            std::copy_n(x[t].scales + b0, n, xScales);
            float32x4_t terms = vmulq_f32(vcvtq_f32_s32(totals), vmulq_f32(vld1q_f32(d), vld1q_f32(xScales)));
            if constexpr (hasMinimum<Block>) {
                float blockSums[4] = {};
                std::copy_n(x[t].blockSums + b0, n, blockSums);
                terms = vaddq_f32(terms, vmulq_f32(vld1q_f32(m), vld1q_f32(blockSums)));
            }
            // Lanes 0, 1: blocks 0+1, 2+3.
            const float32x2_t pairs = vpadd_f32(vget_low_f32(terms), vget_high_f32(terms));
            sum[t] = sum[t] + vget_lane_f32(pairs, 0);
            if (n > 2)
                sum[t] = sum[t] + vget_lane_f32(pairs, 1);
        }
    }
    for (size_t t = 0; t < tokens; ++t)
        out[t * outStride] = sum[t];
}

// Each super-block type's integer sums of one weight block against the activations' super-block b
// of `tokens` rows: acc[t] with the sub-blocks' scales applied (in its lanes), and, for the types
// with minimums, the minimums' share minimums[t].

// The 2-bit fields at `shift` of 16 bytes.
uint8x16_t twoBits(uint8x16_t bytes, int shift)
{
    return vandq_u8(vshlq_u8(bytes, vdupq_n_s8(int8_t(-shift))), vdupq_n_u8(3));
}

template <typename Products, size_t tokens>
void superBlockSums(const BlockQ2_K& w, const ActivationRow* x, size_t b, int32x4_t acc[tokens], int32_t minimums[tokens])
{
    for (int half = 0; half < 2; ++half) {
        const uint8x16_t bits[2] = {vld1q_u8(w.qs + half * 32), vld1q_u8(w.qs + half * 32 + 16)};
        for (int shift = 0; shift < 4; ++shift) {
            for (int part = 0; part < 2; ++part) { // values 128 half + 32 shift + 16 part .. + 15
                const int8x16_t values = asSigned(twoBits(bits[part], 2 * shift));
                const int scale = w.scales[half * 8 + shift * 2 + part] & 0x0F;
                for (size_t t = 0; t < tokens; ++t)
                    acc[t] = vmlaq_n_s32(acc[t], products16<Products>(values, x[t].quants + b * 256 + half * 128 + shift * 32 + part * 16), scale);
            }
        }
    }
    for (size_t t = 0; t < tokens; ++t) {
        int32_t sum = 0;
        for (int j = 0; j < 16; ++j)
            sum += (w.scales[j] >> 4) * x[t].groupSums[b * 16 + size_t(j)];
        minimums[t] = sum;
    }
}

template <typename Products, size_t tokens>
void superBlockSums(const BlockQ3_K& w, const ActivationRow* x, size_t b, int32x4_t acc[tokens], int32_t*)
{
    const uint8x16_t hmask[2] = {vld1q_u8(w.hmask), vld1q_u8(w.hmask + 16)};
    for (int half = 0; half < 2; ++half) {
        const uint8x16_t bits[2] = {vld1q_u8(w.qs + half * 32), vld1q_u8(w.qs + half * 32 + 16)};
        for (int shift = 0; shift < 4; ++shift) {
            const uint8x16_t highBit = vdupq_n_u8(uint8_t(1 << (half * 4 + shift)));
            for (int part = 0; part < 2; ++part) { // values 128 half + 32 shift + 16 part .. + 15
                // low - 4, plus 4 where the high bit is set.
                const uint8x16_t four = vandq_u8(vtstq_u8(hmask[part], highBit), vdupq_n_u8(4));
                const int8x16_t values = vsubq_s8(asSigned(vorrq_u8(twoBits(bits[part], 2 * shift), four)), vdupq_n_s8(4));
                const int scale = q3KScale(w.scales, half * 8 + shift * 2 + part);
                for (size_t t = 0; t < tokens; ++t)
                    acc[t] = vmlaq_n_s32(acc[t], products16<Products>(values, x[t].quants + b * 256 + half * 128 + shift * 32 + part * 16), scale);
            }
        }
    }
}

// Q4_K and Q5_K: 8 sub-blocks of 32, scale and minimum each; high: Q5_K's fifth bits or nullptr.
template <typename Products, size_t tokens>
void q4q5KSums(const uint8_t* packedScales, const uint8_t* qs, const uint8_t* high, const ActivationRow* x, size_t b,
               int32x4_t acc[tokens], int32_t minimums[tokens])
{
    for (size_t t = 0; t < tokens; ++t)
        minimums[t] = 0;
    for (int j = 0; j < 8; ++j) {
        uint8_t scale, min;
        kQuantScaleMin(packedScales, j, scale, min);
        const uint8_t* packed = qs + (j / 2) * 32;
        uint8x16_t values[2];
        for (int part = 0; part < 2; ++part) {
            const uint8x16_t bytes = vld1q_u8(packed + part * 16);
            values[part] = j % 2 == 0 ? vandq_u8(bytes, vdupq_n_u8(0x0F)) : vshrq_n_u8(bytes, 4);
            if (high) {
                const uint8x16_t set = vtstq_u8(vld1q_u8(high + part * 16), vdupq_n_u8(uint8_t(1 << j)));
                values[part] = vorrq_u8(values[part], vandq_u8(set, vdupq_n_u8(0x10)));
            }
        }
        const int8x16x2_t w = {{asSigned(values[0]), asSigned(values[1])}};
        for (size_t t = 0; t < tokens; ++t) {
            acc[t] = vmlaq_n_s32(acc[t], products32<Products>(w, x[t].quants + b * 256 + size_t(j) * 32), scale);
            minimums[t] += min * (x[t].groupSums[b * 16 + size_t(2 * j)] + x[t].groupSums[b * 16 + size_t(2 * j + 1)]);
        }
    }
}

template <typename Products, size_t tokens>
void superBlockSums(const BlockQ4_K& w, const ActivationRow* x, size_t b, int32x4_t acc[tokens], int32_t minimums[tokens])
{
    q4q5KSums<Products, tokens>(w.scales, w.qs, nullptr, x, b, acc, minimums);
}

template <typename Products, size_t tokens>
void superBlockSums(const BlockQ5_K& w, const ActivationRow* x, size_t b, int32x4_t acc[tokens], int32_t minimums[tokens])
{
    q4q5KSums<Products, tokens>(w.scales, w.qs, w.qh, x, b, acc, minimums);
}

template <typename Products, size_t tokens>
void superBlockSums(const BlockQ6_K& w, const ActivationRow* x, size_t b, int32x4_t acc[tokens], int32_t*)
{
    for (int half = 0; half < 2; ++half) {
        const uint8_t* ql = w.ql + half * 64;
        const uint8_t* qh = w.qh + half * 32;
        for (int k = 0; k < 4; ++k) {
            for (int part = 0; part < 2; ++part) { // values 128 half + 32 k + 16 part .. + 15
                const uint8x16_t lowBytes = vld1q_u8(ql + (k % 2) * 32 + part * 16);
                const uint8x16_t low = k < 2 ? vandq_u8(lowBytes, vdupq_n_u8(0x0F)) : vshrq_n_u8(lowBytes, 4);
                const uint8x16_t highBits = twoBits(vld1q_u8(qh + part * 16), 2 * k);
                const int8x16_t values = vsubq_s8(asSigned(vorrq_u8(low, vshlq_n_u8(highBits, 4))), vdupq_n_s8(32));
                const int scale = w.scales[half * 8 + k * 2 + part];
                for (size_t t = 0; t < tokens; ++t)
                    acc[t] = vmlaq_n_s32(acc[t], products16<Products>(values, x[t].quants + b * 256 + half * 128 + k * 32 + part * 16), scale);
            }
        }
    }
}

template <typename Products, size_t tokens>
void superBlockSums(const BlockIq4Xs& w, const ActivationRow* x, size_t b, int32x4_t acc[tokens], int32_t*)
{
    for (int j = 0; j < 8; ++j) {
        const int8x16x2_t indices = nibbles(w.qs + j * 16);
        const int8x16x2_t values = {{iq4Values(indices.val[0]), iq4Values(indices.val[1])}};
        const int scale = iq4XsScale(w, j);
        for (size_t t = 0; t < tokens; ++t)
            acc[t] = vmlaq_n_s32(acc[t], products32<Products>(values, x[t].quants + b * 256 + size_t(j) * 32), scale);
    }
}

template <typename Block>
constexpr bool hasMinimums = requires(const Block& b) { b.dmin; };

// The 32-value block types are the ones weights() unpacks whole; the others are super-blocks.
template <typename Block>
constexpr bool isSuperBlock = !requires(const Block& b) { weights(b); };

// Super-blocks: one row against `tokens` activation rows, super-block after super-block, each
// one's term added to the row's sum in order (float_sums.h).
template <typename Products, typename Block, size_t tokens>
void superBlocksRowTokens(const Block* row, const ActivationRow* x, size_t blocks, float* out, size_t outStride)
{
    float sum[tokens] = {};
    for (size_t b = 0; b < blocks; ++b) {
        int32x4_t acc[tokens];
        int32_t minimums[tokens] = {};
        for (size_t t = 0; t < tokens; ++t)
            acc[t] = vdupq_n_s32(0);
        superBlockSums<Products, tokens>(row[b], x, b, acc, minimums);
        const float d = halfToFloat(row[b].d);
        for (size_t t = 0; t < tokens; ++t) {
            const int32_t total = vaddvq_s32(acc[t]);
            if constexpr (hasMinimums<Block>)
                sum[t] = sum[t] + superBlockWithMinimums(x[t].scales[b], d, halfToFloat(row[b].dmin), total, minimums[t]);
            else
                sum[t] = sum[t] + superBlock(d, x[t].scales[b], total);
        }
    }
    for (size_t t = 0; t < tokens; ++t)
        out[t * outStride] = sum[t];
}

template <typename Products, typename Block, size_t tokens>
void rowTokens(const Block* row, const ActivationRow* x, size_t blocks, float* out, size_t outStride)
{
    if constexpr (isSuperBlock<Block>)
        superBlocksRowTokens<Products, Block, tokens>(row, x, blocks, out, outStride);
    else
        blocksRowTokens<Products, Block, tokens>(row, x, blocks, out, outStride);
}

// Any number of rows (w.count <= 8) against any number of tokens, four at a time: rows one after
// another, as they lie in memory.
template <typename Products, typename Block>
void dotRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride)
{
    constexpr size_t kTile = 4;
    for (size_t r = 0; r < w.count; ++r) {
        const auto* row = reinterpret_cast<const Block*>(w.row(r));
        for (size_t t0 = 0; t0 < tokens; t0 += kTile) {
            float* target = out + t0 * outStride + r;
            switch (std::min(kTile, tokens - t0)) {
            case 1: rowTokens<Products, Block, 1>(row, x + t0, w.blocks, target, outStride); break;
            case 2: rowTokens<Products, Block, 2>(row, x + t0, w.blocks, target, outStride); break;
            case 3: rowTokens<Products, Block, 3>(row, x + t0, w.blocks, target, outStride); break;
            default: rowTokens<Products, Block, 4>(row, x + t0, w.blocks, target, outStride); break;
            }
        }
    }
}

// dotRows as setBlockKernels takes it, for one kind of 8-bit product.
template <typename Products>
struct KernelsOf {
    template <typename Block>
    struct Rows {
        static void dot(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride)
        {
            dotRows<Products, Block>(w, x, tokens, out, outStride);
        }
    };
};

} // namespace
} // namespace latent::cpu::neon
