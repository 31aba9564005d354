// Portable kernels of the quantized block types: exact integer sums inside each (sub-)block, then
// the float steps of float_sums.h. They are also the reference the SIMD kernels of these types
// are tested against, bit for bit.

#include "engine/backend/cpu/dot_blocks_portable.h"
#include "engine/backend/cpu/float_sums.h"

#include "engine/core/half.h"

#include <cmath>
#include <cstring>

namespace latent::cpu::portable {

using namespace quant;

namespace {

uint32_t highBits(const uint8_t qh[4])
{
    uint32_t bits;
    std::memcpy(&bits, qh, 4);
    return bits;
}

// The sixteen 6-bit scales of a Q3_K block, as signed values (scale - 32).
void q3KScales(const uint8_t packed[12], int8_t scales[16])
{
    for (int j = 0; j < 16; ++j) {
        const int low = j < 8 ? (packed[j] & 0x0F) : (packed[j - 8] >> 4);
        const int high = (packed[8 + j % 4] >> (2 * (j / 4))) & 3;
        scales[j] = int8_t((low | (high << 4)) - 32);
    }
}

} // namespace

void quantizeSuperBlocks(const float* x, int8_t* quants, float* scales, int16_t* sums, size_t n)
{
    for (size_t b = 0; b < n / 256; ++b) {
        const float* v = x + b * 256;
        // The value of largest magnitude, with its sign, maps to -127 (llama.cpp's Q8_K).
        float max = 0, amax = 0;
        for (int i = 0; i < 256; ++i) {
            if (std::fabs(v[i]) > amax) {
                amax = std::fabs(v[i]);
                max = v[i];
            }
        }
        int8_t* q = quants + b * 256;
        if (amax == 0) {
            zeroSuperBlock(quants, scales, sums, b);
            continue;
        }
        const float inverse = -127.0f / max;
        for (int i = 0; i < 256; ++i)
            q[i] = int8_t(std::min(127.0f, std::nearbyint(inverse * v[i])));
        for (int g = 0; g < 16; ++g) {
            int sum = 0;
            for (int i = 0; i < 16; ++i)
                sum += q[g * 16 + i];
            sums[b * 16 + size_t(g)] = int16_t(sum);
        }
        scales[b] = 1.0f / inverse;
    }
}

namespace {

// Value i (0..31) of a 32-value block, before its scale (and minimum): nibbles hold values i and
// i + 16 in one byte; Q5's fifth bits are bit i of qh.
int nibble(const uint8_t q[16], int i)
{
    return i < 16 ? q[i] & 0x0F : q[i - 16] >> 4;
}

int fiveBits(const uint8_t q[16], const uint8_t qh[4], int i)
{
    return nibble(q, i) | int(((highBits(qh) >> i) & 1) << 4);
}

int valueOf(const BlockQ8_0& b, int i) { return b.q[i]; }
int valueOf(const BlockQ4_0& b, int i) { return nibble(b.q, i) - 8; }
int valueOf(const BlockQ4_1& b, int i) { return nibble(b.q, i); }
int valueOf(const BlockQ5_0& b, int i) { return fiveBits(b.q, b.qh, i) - 16; }
int valueOf(const BlockQ5_1& b, int i) { return fiveBits(b.q, b.qh, i); }
int valueOf(const BlockIq4Nl& b, int i) { return kIq4Values[nibble(b.q, i)]; }

// One row against one activation row; blocks with a minimum (Q4_1, Q5_1) add it times the
// block's sum of activations.
template <typename Block>
float dotRow(const Block* w, const ActivationRow& x, size_t blocks)
{
    const auto term = [&](size_t b) {
        const int8_t* q = x.quants + b * 32;
        int32_t total = 0;
        for (int i = 0; i < 32; ++i)
            total += valueOf(w[b], i) * q[i];
        if constexpr (requires { w[b].m; })
            return blockTerm(total, halfToFloat(w[b].d), x.scales[b], halfToFloat(w[b].m), x.blockSums[b]);
        else
            return blockTerm(total, halfToFloat(w[b].d), x.scales[b]);
    };
    float sum = 0;
    for (size_t b = 0; b < blocks; b += 2)
        sum = sum + (b + 1 < blocks ? term(b) + term(b + 1) : term(b));
    return sum;
}

float dotRow(const BlockQ2_K* w, const ActivationRow& x, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* q = x.quants + b * 256;
        const int16_t* groupSums = x.groupSums + b * 16;
        int32_t minimums = 0, acc = 0;
        for (int j = 0; j < 16; ++j)
            minimums += (w[b].scales[j] >> 4) * groupSums[j];
        for (int half = 0; half < 2; ++half) {
            const uint8_t* bits = w[b].qs + half * 32;
            for (int shift = 0; shift < 4; ++shift) {
                for (int part = 0; part < 2; ++part) { // values 32 shift + 16 part .. + 15
                    const int scale = w[b].scales[half * 8 + shift * 2 + part] & 0x0F;
                    const int8_t* xq = q + half * 128 + shift * 32 + part * 16;
                    int32_t subSum = 0;
                    for (int l = 0; l < 16; ++l)
                        subSum += xq[l] * ((bits[part * 16 + l] >> (2 * shift)) & 3);
                    acc += scale * subSum;
                }
            }
        }
        sum = sum + superBlockWithMinimums(x.scales[b], halfToFloat(w[b].d), halfToFloat(w[b].dmin), acc, minimums);
    }
    return sum;
}

float dotRow(const BlockQ3_K* w, const ActivationRow& x, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* q = x.quants + b * 256;
        int8_t scales[16];
        q3KScales(w[b].scales, scales);
        int32_t acc = 0;
        for (int j = 0; j < 16; ++j) { // sub-block j: values 16 j .. 16 j + 15
            int32_t subSum = 0;
            for (int i = 0; i < 16; ++i) {
                const int v = j * 16 + i, half = v / 128, k = v / 32, l = v % 32;
                const int low = (w[b].qs[half * 32 + l] >> (2 * (k % 4))) & 3;
                const int value = low - ((w[b].hmask[l] >> k) & 1 ? 0 : 4);
                subSum += value * q[v];
            }
            acc += scales[j] * subSum;
        }
        sum = sum + superBlock(halfToFloat(w[b].d), x.scales[b], acc);
    }
    return sum;
}

// Q4_K and Q5_K: 8 sub-blocks of 32, scale and minimum each; high: Q5_K's fifth bits or nullptr.
float dotQ4Q5K(uint16_t d, uint16_t dmin, const uint8_t* packedScales, const uint8_t* qs, const uint8_t* high,
               const int8_t* q, const int16_t* groupSums, float xScale)
{
    int32_t acc = 0, minimums = 0;
    for (int j = 0; j < 8; ++j) {
        uint8_t scale, min;
        kQuantScaleMin(packedScales, j, scale, min);
        minimums += min * (groupSums[2 * j] + groupSums[2 * j + 1]);
        const uint8_t* nibbles = qs + (j / 2) * 32;
        int32_t subSum = 0;
        for (int l = 0; l < 32; ++l) {
            int value = j % 2 == 0 ? (nibbles[l] & 0x0F) : (nibbles[l] >> 4);
            if (high)
                value |= ((high[l] >> j) & 1) << 4;
            subSum += value * q[j * 32 + l];
        }
        acc += scale * subSum;
    }
    return superBlockWithMinimums(xScale, halfToFloat(d), halfToFloat(dmin), acc, minimums);
}

float dotRow(const BlockQ4_K* w, const ActivationRow& x, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b)
        sum = sum + dotQ4Q5K(w[b].d, w[b].dmin, w[b].scales, w[b].qs, nullptr, x.quants + b * 256, x.groupSums + b * 16,
                        x.scales[b]);
    return sum;
}

float dotRow(const BlockQ5_K* w, const ActivationRow& x, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b)
        sum = sum + dotQ4Q5K(w[b].d, w[b].dmin, w[b].scales, w[b].qs, w[b].qh, x.quants + b * 256, x.groupSums + b * 16,
                        x.scales[b]);
    return sum;
}

float dotRow(const BlockQ6_K* w, const ActivationRow& x, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* q = x.quants + b * 256;
        int32_t acc = 0;
        for (int j = 0; j < 16; ++j) { // sub-block j: values 16 j .. 16 j + 15
            int32_t subSum = 0;
            for (int i = 0; i < 16; ++i) {
                const int v = j * 16 + i, half = v / 128, r = v % 128, k = r / 32, l = r % 32;
                const uint8_t low = w[b].ql[half * 64 + (k % 2) * 32 + l];
                const int value = ((k < 2 ? low & 0x0F : low >> 4) | (((w[b].qh[half * 32 + l] >> (2 * k)) & 3) << 4)) - 32;
                subSum += value * q[v];
            }
            acc += w[b].scales[j] * subSum;
        }
        sum = sum + superBlock(halfToFloat(w[b].d), x.scales[b], acc);
    }
    return sum;
}

float dotRow(const BlockIq4Xs* w, const ActivationRow& x, size_t blocks)
{
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* q = x.quants + b * 256;
        int32_t acc = 0;
        for (int j = 0; j < 8; ++j) {
            const int scale = ((w[b].scalesLow[j / 2] >> (4 * (j % 2))) & 0x0F) | (((w[b].scalesHigh >> (2 * j)) & 3) << 4);
            const uint8_t* nibbles = w[b].qs + j * 16;
            int32_t subSum = 0;
            for (int l = 0; l < 16; ++l)
                subSum += kIq4Values[nibbles[l] & 0x0F] * q[j * 32 + l] + kIq4Values[nibbles[l] >> 4] * q[j * 32 + l + 16];
            acc += (scale - 32) * subSum;
        }
        sum = sum + superBlock(halfToFloat(w[b].d), x.scales[b], acc);
    }
    return sum;
}

template <typename Block>
void dotRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride)
{
    for (size_t t = 0; t < tokens; ++t)
        for (size_t r = 0; r < w.count; ++r)
            out[t * outStride + r] = dotRow(reinterpret_cast<const Block*>(w.row(r)), x[t], w.blocks);
}

// dotRows as setBlockKernels takes it.
template <typename Block>
struct RowsKernel {
    static void dot(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride)
    {
        dotRows<Block>(w, x, tokens, out, outStride);
    }
};

} // namespace

void addBlockKernels(DotKernels& table)
{
    setBlockKernels<RowsKernel>(table);
}

} // namespace latent::cpu::portable
