// The 256-value super-block types (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_XS): each sub-block's scale
// (and minimum) is searched for, then stored as a small integer times the super-block's fp16 d
// (and dmin), and every level is chosen again for the scales as stored.

#include "engine/core/half.h"
#include "engine/quant/block_codecs.h"
#include "engine/quant/scale_search.h"

#include <algorithm>
#include <cmath>

namespace latent::quant {
namespace {

// Where value v (0..255) of a super-block keeps a field of its level.
struct BitField {
    int byte;
    int shift;
};

// 2-bit fields (Q2_K's levels, Q3_K's low bits, Q6_K's high bits): each half of 128 values uses
// 32 bytes, byte l holding the half's values l, l + 32, l + 64, l + 96 in bit pairs 0, 2, 4, 6.
BitField twoBitField(int v)
{
    return {32 * (v / 128) + v % 32, 2 * (v % 128 / 32)};
}

// Q4_K's and Q5_K's nibbles: each 64 values use 32 bytes, the first 32 in the low nibbles.
BitField nibbleField(int v)
{
    return {32 * (v / 64) + v % 32, 4 * (v % 64 / 32)};
}

// Q6_K's low nibbles: each half of 128 values uses 64 bytes, its first 64 values in the low nibbles.
BitField q6LowNibbleField(int v)
{
    return {64 * (v / 128) + v % 64, 4 * (v % 128 / 64)};
}

// Q3_K's third bits and Q5_K's fifth bits: bit v / 32 of byte v % 32.
BitField bitPlaneField(int v)
{
    return {v % 32, v / 32};
}

// IQ4_XS: each sub-block of 32 values packed as a 32-value legacy block's nibbles.
BitField iq4XsNibbleField(int v)
{
    return {16 * (v / 32) + v % 16, 4 * (v % 32 / 16)};
}

// bytes must start zeroed.
void setBits(uint8_t* bytes, BitField field, int bits)
{
    bytes[field.byte] |= uint8_t(bits << field.shift);
}

int bitsAt(const uint8_t* bytes, BitField field, int mask)
{
    return (bytes[field.byte] >> field.shift) & mask;
}

// value ~ d * level - dm for d and dm as stored. A sub-block whose scale was stored as zero keeps
// the search's levels: they no longer change its values.
void chooseAffineLevels(const float* x, int count, float d, float dm, int maxLevel, uint8_t* levels)
{
    if (d == 0)
        return;
    for (int i = 0; i < count; ++i)
        levels[i] = uint8_t(std::clamp(nearestInt((x[i] + dm) / d), 0, maxLevel));
}

// value ~ d * (level - halfRange) for d as stored; as chooseAffineLevels for a zero scale.
void chooseSymmetricLevels(const float* x, int count, float d, int halfRange, int8_t* levels)
{
    if (d == 0)
        return;
    for (int i = 0; i < count; ++i)
        levels[i] = int8_t(std::clamp(nearestInt(x[i] / d), -halfRange, halfRange - 1) + halfRange);
}

// The sub-block scale of largest magnitude, with its sign.
float largestScale(const float* scales, int count)
{
    return largestMagnitude({scales, size_t(count)});
}

// The largest of values and +0 (a minimum of -0 must not make the stored dmin -0).
float largestOrZero(const float* values, int count)
{
    float largest = 0;
    for (int i = 0; i < count; ++i)
        largest = std::max(largest, values[i]);
    return largest;
}

// Q4_K, Q5_K: eight sub-blocks of 32, weighted towards their larger values, each with a scale and
// minimum stored as 6-bit multiples of d and dmin.
template <typename Block>
void quantizeScalesAndMinimums(const float* x, int maxLevel, ScaleCandidates candidates, Block& block,
                               uint8_t* levels)
{
    constexpr int kSub = 32;
    constexpr int kSubs = kSuperBlock / kSub;
    float scales[kSubs], minimums[kSubs], weights[kSub];
    for (int j = 0; j < kSubs; ++j) {
        const float* xs = x + kSub * j;
        float sumSquares = 0;
        for (int i = 0; i < kSub; ++i)
            sumSquares += xs[i] * xs[i];
        const float rms = std::sqrt(sumSquares / kSub);
        for (int i = 0; i < kSub; ++i)
            weights[i] = rms + std::fabs(xs[i]);
        const ScaleAndMinimum fit = fitScaleAndMinimum({xs, kSub}, weights, maxLevel, candidates, ErrorNorm::Squared,
                                                       {levels + kSub * j, kSub});
        scales[j] = fit.scale;
        minimums[j] = fit.minimum;
    }
    const float maxScale = largestOrZero(scales, kSubs);
    const float maxMinimum = largestOrZero(minimums, kSubs);
    const float inverseScale = maxScale > 0 ? 63 / maxScale : 0;
    const float inverseMinimum = maxMinimum > 0 ? 63 / maxMinimum : 0;
    for (int j = 0; j < kSubs; ++j)
        setKQuantScaleMin(block.scales, j, uint8_t(std::clamp(nearestInt(inverseScale * scales[j]), 0, 63)),
                          uint8_t(std::clamp(nearestInt(inverseMinimum * minimums[j]), 0, 63)));
    block.d = floatToHalf(maxScale / 63);
    block.dmin = floatToHalf(maxMinimum / 63);

    for (int j = 0; j < kSubs; ++j) {
        uint8_t scale, minimum;
        kQuantScaleMin(block.scales, j, scale, minimum);
        chooseAffineLevels(x + kSub * j, kSub, halfToFloat(block.d) * scale, halfToFloat(block.dmin) * minimum,
                           maxLevel, levels + kSub * j);
    }
}

// Q4_K, Q5_K: sub-block j's scale and minimum, as value = d * level - dm.
void subBlockScaleMin(const uint8_t* scales, uint16_t d, uint16_t dmin, int j, float& dl, float& dm)
{
    uint8_t scale, minimum;
    kQuantScaleMin(scales, j, scale, minimum);
    dl = halfToFloat(d) * float(scale);
    dm = halfToFloat(dmin) * float(minimum);
}

} // namespace

void quantizeBlock(const float* x, BlockQ2_K& block)
{
    constexpr int kSub = 16;
    constexpr int kSubs = kSuperBlock / kSub;
    uint8_t levels[kSuperBlock];
    float scales[kSubs], minimums[kSubs], weights[kSub];
    for (int j = 0; j < kSubs; ++j) {
        const float* xs = x + kSub * j;
        for (int i = 0; i < kSub; ++i)
            weights[i] = std::fabs(xs[i]);
        const ScaleAndMinimum fit = fitScaleAndMinimum({xs, kSub}, weights, 3, {-0.5f, 0.1f, 15}, ErrorNorm::Absolute,
                                                       {levels + kSub * j, kSub});
        scales[j] = fit.scale;
        minimums[j] = fit.minimum;
    }
    // Scales and minimums as 4-bit multiples of d and dmin.
    block = {};
    const float maxScale = largestOrZero(scales, kSubs);
    const float maxMinimum = largestOrZero(minimums, kSubs);
    if (maxScale > 0) {
        const float inverse = 15 / maxScale;
        for (int j = 0; j < kSubs; ++j)
            block.scales[j] = uint8_t(std::clamp(nearestInt(inverse * scales[j]), 0, 15));
        block.d = floatToHalf(maxScale / 15);
    }
    if (maxMinimum > 0) {
        const float inverse = 15 / maxMinimum;
        for (int j = 0; j < kSubs; ++j)
            block.scales[j] |= uint8_t(std::clamp(nearestInt(inverse * minimums[j]), 0, 15) << 4);
        block.dmin = floatToHalf(maxMinimum / 15);
    }

    for (int j = 0; j < kSubs; ++j) {
        chooseAffineLevels(x + kSub * j, kSub, halfToFloat(block.d) * float(block.scales[j] & 0xF),
                           halfToFloat(block.dmin) * float(block.scales[j] >> 4), 3, levels + kSub * j);
    }
    for (int v = 0; v < kSuperBlock; ++v)
        setBits(block.qs, twoBitField(v), levels[v]);
}

void quantizeBlock(const float* x, BlockQ3_K& block)
{
    constexpr int kSub = 16;
    constexpr int kSubs = kSuperBlock / kSub;
    int8_t levels[kSuperBlock];
    float scales[kSubs];
    for (int j = 0; j < kSubs; ++j)
        scales[j] = fitSymmetricScaleByDescent({x + kSub * j, kSub}, 4, {levels + kSub * j, kSub});

    // Signed 6-bit multiples of d; the largest magnitude is -32.
    block = {};
    const float maxScale = largestScale(scales, kSubs);
    if (maxScale != 0) {
        const float inverse = -32 / maxScale;
        for (int j = 0; j < kSubs; ++j)
            setQ3KScale(block.scales, j, std::clamp(nearestInt(inverse * scales[j]), -32, 31));
        block.d = floatToHalf(1 / inverse);
    }

    for (int j = 0; j < kSubs; ++j) {
        const float d = halfToFloat(block.d) * float(q3KScale(block.scales, j));
        chooseSymmetricLevels(x + kSub * j, kSub, d, 4, levels + kSub * j);
    }
    for (int v = 0; v < kSuperBlock; ++v) {
        setBits(block.hmask, bitPlaneField(v), levels[v] >> 2);
        setBits(block.qs, twoBitField(v), levels[v] & 3);
    }
}

void quantizeBlock(const float* x, BlockQ4_K& block)
{
    uint8_t levels[kSuperBlock];
    block = {};
    quantizeScalesAndMinimums(x, 15, {-1.0f, 0.1f, 20}, block, levels);
    for (int v = 0; v < kSuperBlock; ++v)
        setBits(block.qs, nibbleField(v), levels[v]);
}

void quantizeBlock(const float* x, BlockQ5_K& block)
{
    uint8_t levels[kSuperBlock];
    block = {};
    quantizeScalesAndMinimums(x, 31, {-0.5f, 0.1f, 15}, block, levels);
    for (int v = 0; v < kSuperBlock; ++v) {
        setBits(block.qs, nibbleField(v), levels[v] & 0xF);
        setBits(block.qh, bitPlaneField(v), levels[v] >> 4);
    }
}

void quantizeBlock(const float* x, BlockQ6_K& block)
{
    constexpr int kSub = 16;
    constexpr int kSubs = kSuperBlock / kSub;
    int8_t levels[kSuperBlock];
    float scales[kSubs];
    for (int j = 0; j < kSubs; ++j)
        scales[j] = fitSymmetricScale({x + kSub * j, kSub}, 32, {levels + kSub * j, kSub});

    block = {};
    const float maxScale = largestScale(scales, kSubs);
    if (std::fabs(maxScale) < kZeroBlockMagnitude)
        return;
    // int8 multiples of d; the largest magnitude is -128.
    const float inverse = -128 / maxScale;
    block.d = floatToHalf(1 / inverse);
    for (int j = 0; j < kSubs; ++j)
        block.scales[j] = int8_t(std::min(127, nearestInt(inverse * scales[j])));

    for (int j = 0; j < kSubs; ++j) {
        const float d = halfToFloat(block.d) * float(block.scales[j]);
        chooseSymmetricLevels(x + kSub * j, kSub, d, 32, levels + kSub * j);
    }
    for (int v = 0; v < kSuperBlock; ++v) {
        setBits(block.ql, q6LowNibbleField(v), levels[v] & 0xF);
        setBits(block.qh, twoBitField(v), levels[v] >> 4);
    }
}

void quantizeBlock(const float* x, BlockIq4Xs& block)
{
    constexpr int kSub = 32;
    constexpr int kSubs = kSuperBlock / kSub;
    float scales[kSubs];
    for (int j = 0; j < kSubs; ++j)
        scales[j] = fitIq4Scale({x + kSub * j, kSub});

    // Signed 6-bit multiples of d; the largest magnitude is -32. The levels are chosen for each
    // sub-block's scale before d is rounded to fp16, as llama.cpp does.
    block = {};
    const float d = -largestScale(scales, kSubs) / 32;
    block.d = floatToHalf(d);
    const float inverse = d != 0 ? 1 / d : 0;
    for (int j = 0; j < kSubs; ++j) {
        const int scale = std::clamp(nearestInt(inverse * scales[j]), -32, 31);
        setIq4XsScale(block, j, scale);
        const float dl = d * float(scale);
        const float inverseDl = dl != 0 ? 1 / dl : 0;
        for (int i = 0; i < kSub; ++i) {
            const int v = kSub * j + i;
            setBits(block.qs, iq4XsNibbleField(v), nearestIq4Level(inverseDl * x[v]));
        }
    }
}

void dequantizeBlock(const BlockQ2_K& block, float* values)
{
    const float d = halfToFloat(block.d);
    const float dmin = halfToFloat(block.dmin);
    for (int j = 0; j < 16; ++j) {
        const float dl = d * float(block.scales[j] & 0xF);
        const float ml = dmin * float(block.scales[j] >> 4);
        for (int v = 16 * j; v < 16 * j + 16; ++v)
            values[v] = dl * float(bitsAt(block.qs, twoBitField(v), 3)) - ml;
    }
}

void dequantizeBlock(const BlockQ3_K& block, float* values)
{
    const float d = halfToFloat(block.d);
    for (int j = 0; j < 16; ++j) {
        const float dl = d * float(q3KScale(block.scales, j));
        for (int v = 16 * j; v < 16 * j + 16; ++v) {
            const int level = bitsAt(block.qs, twoBitField(v), 3) - (bitsAt(block.hmask, bitPlaneField(v), 1) ? 0 : 4);
            values[v] = dl * float(level);
        }
    }
}

void dequantizeBlock(const BlockQ4_K& block, float* values)
{
    for (int j = 0; j < 8; ++j) {
        float dl, dm;
        subBlockScaleMin(block.scales, block.d, block.dmin, j, dl, dm);
        for (int v = 32 * j; v < 32 * j + 32; ++v)
            values[v] = dl * float(bitsAt(block.qs, nibbleField(v), 0xF)) - dm;
    }
}

void dequantizeBlock(const BlockQ5_K& block, float* values)
{
    for (int j = 0; j < 8; ++j) {
        float dl, dm;
        subBlockScaleMin(block.scales, block.d, block.dmin, j, dl, dm);
        for (int v = 32 * j; v < 32 * j + 32; ++v) {
            const int level = bitsAt(block.qs, nibbleField(v), 0xF) | (bitsAt(block.qh, bitPlaneField(v), 1) << 4);
            values[v] = dl * float(level) - dm;
        }
    }
}

void dequantizeBlock(const BlockQ6_K& block, float* values)
{
    const float d = halfToFloat(block.d);
    for (int j = 0; j < 16; ++j) {
        const float dl = d * float(block.scales[j]);
        for (int v = 16 * j; v < 16 * j + 16; ++v) {
            const int level = bitsAt(block.ql, q6LowNibbleField(v), 0xF) | (bitsAt(block.qh, twoBitField(v), 3) << 4);
            values[v] = dl * float(level - 32);
        }
    }
}

void dequantizeBlock(const BlockIq4Xs& block, float* values)
{
    const float d = halfToFloat(block.d);
    for (int j = 0; j < 8; ++j) {
        const float dl = d * float(iq4XsScale(block, j));
        for (int v = 32 * j; v < 32 * j + 32; ++v)
            values[v] = dl * float(kIq4Values[bitsAt(block.qs, iq4XsNibbleField(v), 0xF)]);
    }
}

} // namespace latent::quant
