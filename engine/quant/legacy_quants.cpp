// The 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL): one fp16 scale, and for
// Q4_1 and Q5_1 a minimum, per block. Levels are packed in nibbles, byte j holding value j (low)
// and value j + 16 (high); Q5's fifth bits form a little-endian 32-bit mask, bit j for value j.

#include "engine/core/half.h"
#include "engine/quant/block_codecs.h"
#include "engine/quant/scale_search.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace latent::quant {
namespace {

constexpr int kHalfBlock = kBlockLegacy / 2;

void packNibbles(const uint8_t* levels, uint8_t* q)
{
    for (int j = 0; j < kHalfBlock; ++j)
        q[j] = uint8_t((levels[j] & 0xF) | ((levels[j + kHalfBlock] & 0xF) << 4));
}

void unpackNibbles(const uint8_t* q, uint8_t* levels)
{
    for (int j = 0; j < kHalfBlock; ++j) {
        levels[j] = q[j] & 0xF;
        levels[j + kHalfBlock] = uint8_t(q[j] >> 4);
    }
}

// qh must start zeroed.
void packFifthBits(const uint8_t* levels, uint8_t* qh)
{
    for (int j = 0; j < kBlockLegacy; ++j)
        qh[j / 8] |= uint8_t((levels[j] >> 4) << (j % 8));
}

void addFifthBits(const uint8_t* qh, uint8_t* levels)
{
    for (int j = 0; j < kBlockLegacy; ++j)
        levels[j] |= uint8_t(((qh[j / 8] >> (j % 8)) & 1) << 4);
}

// Q4_0, Q5_0: value = (level - offset) * d. The value of largest magnitude, with its sign, maps
// to level 0, so the block uses the whole range of levels (the other end is one short). Returns d.
float symmetricLevels(const float* x, int offset, uint8_t* levels)
{
    const float d = largestMagnitude({x, kBlockLegacy}) / float(-offset);
    const float inverse = d != 0 ? 1 / d : 0;
    const float maxLevel = float(2 * offset - 1);
    const float offsetAndRounding = float(offset) + 0.5f;
    for (int j = 0; j < kBlockLegacy; ++j)
        levels[j] = uint8_t(std::min(maxLevel, x[j] * inverse + offsetAndRounding));
    return d;
}

// Q4_1, Q5_1: value = level * d + min, the block's range spread over the levels.
struct ScaleAndOffset {
    float d;
    float min;
};

ScaleAndOffset affineLevels(const float* x, int maxLevel, uint8_t* levels)
{
    float min = FLT_MAX;
    float max = -FLT_MAX;
    for (int j = 0; j < kBlockLegacy; ++j) {
        min = std::min(min, x[j]);
        max = std::max(max, x[j]);
    }
    const float d = (max - min) / float(maxLevel);
    const float inverse = d != 0 ? 1 / d : 0;
    for (int j = 0; j < kBlockLegacy; ++j)
        levels[j] = uint8_t(std::min(float(maxLevel), (x[j] - min) * inverse + 0.5f));
    return {d, min};
}

} // namespace

void quantizeBlock(const float* values, BlockQ4_0& block)
{
    uint8_t levels[kBlockLegacy];
    block.d = floatToHalf(symmetricLevels(values, 8, levels));
    packNibbles(levels, block.q);
}

void quantizeBlock(const float* values, BlockQ4_1& block)
{
    uint8_t levels[kBlockLegacy];
    const ScaleAndOffset fit = affineLevels(values, 15, levels);
    block.d = floatToHalf(fit.d);
    block.m = floatToHalf(fit.min);
    packNibbles(levels, block.q);
}

void quantizeBlock(const float* values, BlockQ5_0& block)
{
    uint8_t levels[kBlockLegacy];
    block = {};
    block.d = floatToHalf(symmetricLevels(values, 16, levels));
    packNibbles(levels, block.q);
    packFifthBits(levels, block.qh);
}

void quantizeBlock(const float* values, BlockQ5_1& block)
{
    uint8_t levels[kBlockLegacy];
    block = {};
    const ScaleAndOffset fit = affineLevels(values, 31, levels);
    block.d = floatToHalf(fit.d);
    block.m = floatToHalf(fit.min);
    packNibbles(levels, block.q);
    packFifthBits(levels, block.qh);
}

void quantizeBlock(const float* values, BlockQ8_0& block)
{
    float amax = 0;
    for (int j = 0; j < kBlockQ8_0; ++j)
        amax = std::max(amax, std::fabs(values[j]));
    const float d = amax / 127.0f;
    const float inverse = d != 0 ? 1 / d : 0;
    block.d = floatToHalf(d);
    for (int j = 0; j < kBlockQ8_0; ++j)
        block.q[j] = int8_t(std::lround(values[j] * inverse));
}

// llama.cpp's quantize_row_iq4_nl_ref takes the first scale it tries; its quantize_iq4_nl, which
// llama-quantize runs, searches, and so do we.
void quantizeBlock(const float* values, BlockIq4Nl& block)
{
    const float d = fitIq4Scale({values, kBlockLegacy});
    block.d = floatToHalf(d);
    const float inverse = d != 0 ? 1 / d : 0;
    uint8_t levels[kBlockLegacy];
    for (int j = 0; j < kBlockLegacy; ++j)
        levels[j] = uint8_t(nearestIq4Level(inverse * values[j]));
    packNibbles(levels, block.q);
}

void dequantizeBlock(const BlockQ4_0& block, float* values)
{
    uint8_t levels[kBlockLegacy];
    unpackNibbles(block.q, levels);
    const float d = halfToFloat(block.d);
    for (int j = 0; j < kBlockLegacy; ++j)
        values[j] = float(levels[j] - 8) * d;
}

void dequantizeBlock(const BlockQ4_1& block, float* values)
{
    uint8_t levels[kBlockLegacy];
    unpackNibbles(block.q, levels);
    const float d = halfToFloat(block.d);
    const float min = halfToFloat(block.m);
    for (int j = 0; j < kBlockLegacy; ++j)
        values[j] = float(levels[j]) * d + min;
}

void dequantizeBlock(const BlockQ5_0& block, float* values)
{
    uint8_t levels[kBlockLegacy];
    unpackNibbles(block.q, levels);
    addFifthBits(block.qh, levels);
    const float d = halfToFloat(block.d);
    for (int j = 0; j < kBlockLegacy; ++j)
        values[j] = float(levels[j] - 16) * d;
}

void dequantizeBlock(const BlockQ5_1& block, float* values)
{
    uint8_t levels[kBlockLegacy];
    unpackNibbles(block.q, levels);
    addFifthBits(block.qh, levels);
    const float d = halfToFloat(block.d);
    const float min = halfToFloat(block.m);
    for (int j = 0; j < kBlockLegacy; ++j)
        values[j] = float(levels[j]) * d + min;
}

void dequantizeBlock(const BlockQ8_0& block, float* values)
{
    const float d = halfToFloat(block.d);
    for (int j = 0; j < kBlockQ8_0; ++j)
        values[j] = float(block.q[j]) * d;
}

void dequantizeBlock(const BlockIq4Nl& block, float* values)
{
    uint8_t levels[kBlockLegacy];
    unpackNibbles(block.q, levels);
    const float d = halfToFloat(block.d);
    for (int j = 0; j < kBlockLegacy; ++j)
        values[j] = d * float(kIq4Values[levels[j]]);
}

} // namespace latent::quant
