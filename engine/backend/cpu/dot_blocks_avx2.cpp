// AVX2 kernels of the block types beyond Q4_0 and Q8_0. Each unpacks 32 weights at a time to
// bytes and multiplies them with 32 activation quants (maddubs into int16 pairs, then madd into
// eight int32 lanes with the sub-block's scale as the multiplier); a super-block's lanes are
// scaled once as floats, and a row needs one horizontal sum.

#include "engine/backend/cpu/dot_blocks_avx2.h"
#include "engine/backend/cpu/x86_helpers.h"

#include "engine/core/half.h"

#include <immintrin.h>

#include <cstring>

namespace latent::cpu::avx2 {

using namespace quant;

namespace {

// Products of signed weight bytes (|w| <= 127) and signed activation bytes.
__m256i productSums(__m256i w, __m256i x)
{
    return _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w)),
                             _mm256_set1_epi16(1));
}

// Products of unsigned weight bytes (0..127) and signed activation bytes.
__m256i productSumsUnsigned(__m256i w, __m256i x)
{
    return _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), _mm256_set1_epi16(1));
}

// The same sums with each pair of products scaled first (madd with the scales instead of ones):
// scales holds 16 int16 lanes, lane i for bytes 2i and 2i + 1.
__m256i scaledProductSums(__m256i w, __m256i x, __m256i scales)
{
    return _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w)), scales);
}

__m256i scaledProductSumsUnsigned(__m256i w, __m256i x, __m256i scales)
{
    return _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), scales);
}

__m256i load32(const void* p)
{
    return _mm256_loadu_si256(static_cast<const __m256i*>(p));
}

// 16 packed bytes to 32 nibbles: the low ones first, then the high ones (values j and j + 16).
__m256i nibbles(const uint8_t* packed)
{
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(packed));
    return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(bytes, 4), bytes), _mm256_set1_epi8(0x0F));
}

// Byte i is 0xFF where bit i of bits is set.
__m256i bitsToBytes(uint32_t bits)
{
    const __m256i spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32(int(bits)),
        _mm256_setr_epi64x(0x0000000000000000, 0x0101010101010101, 0x0202020202020202, 0x0303030303030303));
    const __m256i allButBit = _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe);
    return _mm256_cmpeq_epi8(_mm256_or_si256(spread, allButBit), _mm256_set1_epi64x(-1));
}

// Q5_0/Q5_1's 32 values 0..31: the nibbles plus 16 where the block's high bit is set.
__m256i fiveBitValues(const uint8_t q[16], const uint8_t qh[4])
{
    uint32_t high;
    std::memcpy(&high, qh, 4);
    return _mm256_or_si256(nibbles(q), _mm256_and_si256(bitsToBytes(high), _mm256_set1_epi8(0x10)));
}

// IQ4's non-linear grid, looked up for 32 nibbles.
__m256i iq4Values(__m256i indices)
{
    const __m128i grid = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kIq4Values));
    return _mm256_shuffle_epi8(_mm256_set_m128i(grid, grid), indices);
}

// Scales for a 32-value step: one sub-block of 32, or two of 16 (bytes 0-15 and 16-31).
__m256i stepScales(int scale)
{
    return _mm256_set1_epi16(int16_t(scale));
}

__m256i stepScales(int first, int second)
{
    return _mm256_set_m128i(_mm_set1_epi16(int16_t(second)), _mm_set1_epi16(int16_t(first)));
}

} // namespace

float dotQ4_1(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockQ4_1*>(row);
    __m256 acc = _mm256_setzero_ps();
    float minimums = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i sums = productSumsUnsigned(nibbles(w[b].q), load32(x.quants + b * 32));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(w[b].d) * x.scales[b]), _mm256_cvtepi32_ps(sums), acc);
        minimums += half(w[b].m) * x.blockSums[b];
    }
    return horizontalSum(acc) + minimums;
}

namespace {

// One weight row against `tokens` activation rows: each block is unpacked once for all of them.
template <size_t tokens>
void dotQ5_0Rows(const void* row, const ActivationRow* x, size_t blocks, float* out)
{
    const auto* w = static_cast<const BlockQ5_0*>(row);
    __m256 acc[tokens];
    for (size_t t = 0; t < tokens; ++t)
        acc[t] = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i values = _mm256_sub_epi8(fiveBitValues(w[b].q, w[b].qh), _mm256_set1_epi8(16));
        const float d = half(w[b].d);
        for (size_t t = 0; t < tokens; ++t) {
            const __m256i sums = productSums(values, load32(x[t].quants + b * 32));
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(d * x[t].scales[b]), _mm256_cvtepi32_ps(sums), acc[t]);
        }
    }
    for (size_t t = 0; t < tokens; ++t)
        out[t] = horizontalSum(acc[t]);
}

} // namespace

float dotQ5_0(const void* row, const ActivationRow& x, size_t blocks)
{
    float out;
    dotQ5_0Rows<1>(row, &x, blocks, &out);
    return out;
}

void dotQ5_0x4(const void* row, const ActivationRow* x, size_t blocks, float out[4])
{
    dotQ5_0Rows<4>(row, x, blocks, out);
}

float dotQ5_1(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockQ5_1*>(row);
    __m256 acc = _mm256_setzero_ps();
    float minimums = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i sums = productSumsUnsigned(fiveBitValues(w[b].q, w[b].qh), load32(x.quants + b * 32));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(w[b].d) * x.scales[b]), _mm256_cvtepi32_ps(sums), acc);
        minimums += half(w[b].m) * x.blockSums[b];
    }
    return horizontalSum(acc) + minimums;
}

float dotIq4Nl(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockIq4Nl*>(row);
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i sums = productSums(iq4Values(nibbles(w[b].q)), load32(x.quants + b * 32));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(w[b].d) * x.scales[b]), _mm256_cvtepi32_ps(sums), acc);
    }
    return horizontalSum(acc);
}

float dotQ2_K(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockQ2_K*>(row);
    __m256 acc = _mm256_setzero_ps();
    float minimums = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* q = x.quants + b * 256;
        __m256i sums = _mm256_setzero_si256();
        for (int upper = 0; upper < 2; ++upper) {
            const __m256i bits = load32(w[b].qs + upper * 32);
            for (int shift = 0; shift < 4; ++shift) {
                const __m256i values = _mm256_and_si256(_mm256_srli_epi16(bits, 2 * shift), _mm256_set1_epi8(3));
                const int s = upper * 8 + shift * 2;
                sums = _mm256_add_epi32(sums, scaledProductSumsUnsigned(values, load32(q + upper * 128 + shift * 32),
                                                                        stepScales(w[b].scales[s] & 0x0F,
                                                                                   w[b].scales[s + 1] & 0x0F)));
            }
        }
        int32_t mins = 0;
        for (int j = 0; j < 16; ++j)
            mins += (w[b].scales[j] >> 4) * x.groupSums[b * 16 + size_t(j)];
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(w[b].d) * x.scales[b]), _mm256_cvtepi32_ps(sums), acc);
        minimums += half(w[b].dmin) * x.scales[b] * float(mins);
    }
    return horizontalSum(acc) - minimums;
}

float dotQ3_K(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockQ3_K*>(row);
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* q = x.quants + b * 256;
        int scales[16];
        for (int j = 0; j < 16; ++j) {
            const int low = j < 8 ? (w[b].scales[j] & 0x0F) : (w[b].scales[j - 8] >> 4);
            const int high = (w[b].scales[8 + j % 4] >> (2 * (j / 4))) & 3;
            scales[j] = (low | (high << 4)) - 32;
        }
        const __m256i highMask = load32(w[b].hmask);
        __m256i sums = _mm256_setzero_si256();
        for (int upper = 0; upper < 2; ++upper) {
            const __m256i bits = load32(w[b].qs + upper * 32);
            for (int shift = 0; shift < 4; ++shift) {
                const int k = upper * 4 + shift; // the 32-value step; its high bit is bit k of hmask
                const __m256i low = _mm256_and_si256(_mm256_srli_epi16(bits, 2 * shift), _mm256_set1_epi8(3));
                const __m256i highSet = _mm256_cmpeq_epi8(_mm256_and_si256(highMask, _mm256_set1_epi8(char(1 << k))),
                                                          _mm256_set1_epi8(char(1 << k)));
                // low - 4 where the high bit is clear
                const __m256i values = _mm256_sub_epi8(low, _mm256_andnot_si256(highSet, _mm256_set1_epi8(4)));
                sums = _mm256_add_epi32(
                    sums, scaledProductSums(values, load32(q + k * 32), stepScales(scales[2 * k], scales[2 * k + 1])));
            }
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(w[b].d) * x.scales[b]), _mm256_cvtepi32_ps(sums), acc);
    }
    return horizontalSum(acc);
}

namespace {

// Q4_K and Q5_K: 8 sub-blocks of 32 with a scale and a minimum each; Q5_K's fifth bits in qh.
template <typename Block, bool fifthBit, size_t tokens>
void dotQ4Q5KRows(const Block* w, const ActivationRow* x, size_t blocks, float* out)
{
    __m256 acc[tokens];
    float minimums[tokens] = {};
    for (size_t t = 0; t < tokens; ++t)
        acc[t] = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        // The scales and minimums first, so the vector loop below runs without branches.
        uint8_t scales[8], mins[8];
#pragma GCC unroll 8
        for (int j = 0; j < 8; ++j)
            kQuantScaleMin(w[b].scales, j, scales[j], mins[j]);
        __m256i sums[tokens];
        for (size_t t = 0; t < tokens; ++t)
            sums[t] = _mm256_setzero_si256();
        __m256i high = _mm256_setzero_si256();
        if constexpr (fifthBit)
            high = load32(w[b].qh);
#pragma GCC unroll 4
        for (int pair = 0; pair < 4; ++pair) {
            const __m256i packed = load32(w[b].qs + pair * 32);
            __m256i low = _mm256_and_si256(packed, _mm256_set1_epi8(0x0F));
            __m256i upper = _mm256_and_si256(_mm256_srli_epi16(packed, 4), _mm256_set1_epi8(0x0F));
            if constexpr (fifthBit) {
                const __m256i bits = _mm256_srli_epi16(high, 2 * pair);
                low = _mm256_or_si256(low, _mm256_slli_epi16(_mm256_and_si256(bits, _mm256_set1_epi8(1)), 4));
                upper = _mm256_or_si256(upper, _mm256_slli_epi16(_mm256_and_si256(bits, _mm256_set1_epi8(2)), 3));
            }
            const __m256i lowScales = stepScales(scales[2 * pair]), upperScales = stepScales(scales[2 * pair + 1]);
            for (size_t t = 0; t < tokens; ++t) {
                const int8_t* q = x[t].quants + b * 256 + pair * 64;
                sums[t] = _mm256_add_epi32(sums[t],
                                           _mm256_add_epi32(scaledProductSumsUnsigned(low, load32(q), lowScales),
                                                            scaledProductSumsUnsigned(upper, load32(q + 32), upperScales)));
            }
        }
        const float d = half(w[b].d), dmin = half(w[b].dmin);
        for (size_t t = 0; t < tokens; ++t) {
            const int16_t* groupSums = x[t].groupSums + b * 16;
            int32_t minimumSum = 0;
            for (int j = 0; j < 8; ++j)
                minimumSum += mins[j] * (groupSums[2 * j] + groupSums[2 * j + 1]);
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(d * x[t].scales[b]), _mm256_cvtepi32_ps(sums[t]), acc[t]);
            minimums[t] += dmin * x[t].scales[b] * float(minimumSum);
        }
    }
    for (size_t t = 0; t < tokens; ++t)
        out[t] = horizontalSum(acc[t]) - minimums[t];
}

// Q6_K: 16 sub-blocks of 16 with int8 scales; values (4 low bits | 2 high bits) - 32.
template <size_t tokens>
void dotQ6KRows(const void* row, const ActivationRow* x, size_t blocks, float* out)
{
    const auto* w = static_cast<const BlockQ6_K*>(row);
    __m256 acc[tokens];
    for (size_t t = 0; t < tokens; ++t)
        acc[t] = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        __m256i sums[tokens];
        for (size_t t = 0; t < tokens; ++t)
            sums[t] = _mm256_setzero_si256();
#pragma GCC unroll 2
        for (int upper = 0; upper < 2; ++upper) {
            const __m256i low0 = load32(w[b].ql + upper * 64), low1 = load32(w[b].ql + upper * 64 + 32);
            const __m256i high = load32(w[b].qh + upper * 32);
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                const __m256i lowBytes = k % 2 == 0 ? low0 : low1;
                const __m256i lowBits = _mm256_and_si256(k < 2 ? lowBytes : _mm256_srli_epi16(lowBytes, 4),
                                                         _mm256_set1_epi8(0x0F));
                const __m256i highBits = _mm256_and_si256(_mm256_srli_epi16(high, 2 * k), _mm256_set1_epi8(3));
                const __m256i values =
                    _mm256_sub_epi8(_mm256_or_si256(lowBits, _mm256_slli_epi16(highBits, 4)), _mm256_set1_epi8(32));
                const int s = upper * 8 + 2 * k;
                const __m256i scales = stepScales(w[b].scales[s], w[b].scales[s + 1]);
                for (size_t t = 0; t < tokens; ++t)
                    sums[t] = _mm256_add_epi32(
                        sums[t], scaledProductSums(values, load32(x[t].quants + b * 256 + upper * 128 + k * 32), scales));
            }
        }
        const float d = half(w[b].d);
        for (size_t t = 0; t < tokens; ++t)
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(d * x[t].scales[b]), _mm256_cvtepi32_ps(sums[t]), acc[t]);
    }
    for (size_t t = 0; t < tokens; ++t)
        out[t] = horizontalSum(acc[t]);
}

} // namespace

float dotQ4_K(const void* row, const ActivationRow& x, size_t blocks)
{
    float out;
    dotQ4Q5KRows<BlockQ4_K, false, 1>(static_cast<const BlockQ4_K*>(row), &x, blocks, &out);
    return out;
}

void dotQ4_Kx4(const void* row, const ActivationRow* x, size_t blocks, float out[4])
{
    dotQ4Q5KRows<BlockQ4_K, false, 4>(static_cast<const BlockQ4_K*>(row), x, blocks, out);
}

float dotQ5_K(const void* row, const ActivationRow& x, size_t blocks)
{
    float out;
    dotQ4Q5KRows<BlockQ5_K, true, 1>(static_cast<const BlockQ5_K*>(row), &x, blocks, &out);
    return out;
}

void dotQ5_Kx4(const void* row, const ActivationRow* x, size_t blocks, float out[4])
{
    dotQ4Q5KRows<BlockQ5_K, true, 4>(static_cast<const BlockQ5_K*>(row), x, blocks, out);
}

float dotQ6_K(const void* row, const ActivationRow& x, size_t blocks)
{
    float out;
    dotQ6KRows<1>(row, &x, blocks, &out);
    return out;
}

void dotQ6_Kx4(const void* row, const ActivationRow* x, size_t blocks, float out[4])
{
    dotQ6KRows<4>(row, x, blocks, out);
}

float dotIq4Xs(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockIq4Xs*>(row);
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        __m256i sums = _mm256_setzero_si256();
#pragma GCC unroll 8
        for (int j = 0; j < 8; ++j) {
            const int scale = ((w[b].scalesLow[j / 2] >> (4 * (j % 2))) & 0x0F) | (((w[b].scalesHigh >> (2 * j)) & 3) << 4);
            sums = _mm256_add_epi32(sums, scaledProductSums(iq4Values(nibbles(w[b].qs + j * 16)),
                                                            load32(x.quants + b * 256 + j * 32), stepScales(scale - 32)));
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(w[b].d) * x.scales[b]), _mm256_cvtepi32_ps(sums), acc);
    }
    return horizontalSum(acc);
}

} // namespace latent::cpu::avx2
