// AVX2 kernels of the block types beyond Q4_0 and Q8_0. Each unpacks 32 weights at a time to
// bytes and multiplies them with 32 activation quants (maddubs, then madd into eight int32 lanes,
// lane i the products of bytes 4i..4i+3); sub-block scales multiply the lanes, so a super-block
// needs one horizontal sum.

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

int32_t horizontalSumInt(__m256i v)
{
    __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, _MM_SHUFFLE(1, 0, 3, 2)));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(sum);
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

// Scales for lanes 0-3 and 4-7: two sub-blocks of 16 values in one 32-value step.
__m256i laneScales(int first, int second)
{
    return _mm256_setr_epi32(first, first, first, first, second, second, second, second);
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

float dotQ5_0(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockQ5_0*>(row);
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i values = _mm256_sub_epi8(fiveBitValues(w[b].q, w[b].qh), _mm256_set1_epi8(16));
        const __m256i sums = productSums(values, load32(x.quants + b * 32));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(w[b].d) * x.scales[b]), _mm256_cvtepi32_ps(sums), acc);
    }
    return horizontalSum(acc);
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
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* q = x.quants + b * 256;
        __m256i acc = _mm256_setzero_si256();
        for (int upper = 0; upper < 2; ++upper) {
            const __m256i bits = load32(w[b].qs + upper * 32);
            for (int shift = 0; shift < 4; ++shift) {
                const __m256i values = _mm256_and_si256(_mm256_srli_epi16(bits, 2 * shift), _mm256_set1_epi8(3));
                const int s = upper * 8 + shift * 2;
                const __m256i scales = laneScales(w[b].scales[s] & 0x0F, w[b].scales[s + 1] & 0x0F);
                const __m256i sums = productSumsUnsigned(values, load32(q + upper * 128 + shift * 32));
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(sums, scales));
            }
        }
        int32_t minimums = 0;
        for (int j = 0; j < 16; ++j)
            minimums += (w[b].scales[j] >> 4) * x.groupSums[b * 16 + size_t(j)];
        sum += x.scales[b] * (half(w[b].d) * float(horizontalSumInt(acc)) - half(w[b].dmin) * float(minimums));
    }
    return sum;
}

float dotQ3_K(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockQ3_K*>(row);
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* q = x.quants + b * 256;
        int scales[16];
        for (int j = 0; j < 16; ++j) {
            const int low = j < 8 ? (w[b].scales[j] & 0x0F) : (w[b].scales[j - 8] >> 4);
            const int high = (w[b].scales[8 + j % 4] >> (2 * (j / 4))) & 3;
            scales[j] = (low | (high << 4)) - 32;
        }
        const __m256i highMask = load32(w[b].hmask);
        __m256i acc = _mm256_setzero_si256();
        for (int upper = 0; upper < 2; ++upper) {
            const __m256i bits = load32(w[b].qs + upper * 32);
            for (int shift = 0; shift < 4; ++shift) {
                const int k = upper * 4 + shift; // the 32-value step; its high bit is bit k of hmask
                const __m256i low = _mm256_and_si256(_mm256_srli_epi16(bits, 2 * shift), _mm256_set1_epi8(3));
                const __m256i highSet = _mm256_cmpeq_epi8(_mm256_and_si256(highMask, _mm256_set1_epi8(char(1 << k))),
                                                          _mm256_set1_epi8(char(1 << k)));
                // low - 4 where the high bit is clear
                const __m256i values = _mm256_sub_epi8(low, _mm256_andnot_si256(highSet, _mm256_set1_epi8(4)));
                const __m256i sums = productSums(values, load32(q + k * 32));
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(sums, laneScales(scales[2 * k], scales[2 * k + 1])));
            }
        }
        sum += half(w[b].d) * x.scales[b] * float(horizontalSumInt(acc));
    }
    return sum;
}

namespace {

// Q4_K and Q5_K: 8 sub-blocks of 32 with a scale and a minimum each; qh: Q5_K's fifth bits or nullptr.
float superBlockQ4Q5K(uint16_t d, uint16_t dmin, const uint8_t* packedScales, const uint8_t* qs, const uint8_t* qh,
                      const int8_t* q, const int16_t* groupSums, float xScale)
{
    __m256i acc = _mm256_setzero_si256();
    int32_t minimums = 0;
    const __m256i high = qh ? load32(qh) : _mm256_setzero_si256();
    for (int pair = 0; pair < 4; ++pair) {
        const __m256i packed = load32(qs + pair * 32);
        for (int part = 0; part < 2; ++part) {
            const int j = pair * 2 + part;
            uint8_t scale, min;
            kQuantScaleMin(packedScales, j, scale, min);
            minimums += min * (groupSums[2 * j] + groupSums[2 * j + 1]);
            __m256i values = _mm256_and_si256(part == 0 ? packed : _mm256_srli_epi16(packed, 4), _mm256_set1_epi8(0x0F));
            if (qh) {
                const __m256i bit = _mm256_and_si256(_mm256_srli_epi16(high, j), _mm256_set1_epi8(1));
                values = _mm256_or_si256(values, _mm256_slli_epi16(bit, 4));
            }
            const __m256i sums = productSumsUnsigned(values, load32(q + j * 32));
            acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(sums, _mm256_set1_epi32(scale)));
        }
    }
    return xScale * (half(d) * float(horizontalSumInt(acc)) - half(dmin) * float(minimums));
}

} // namespace

float dotQ4_K(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockQ4_K*>(row);
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b)
        sum += superBlockQ4Q5K(w[b].d, w[b].dmin, w[b].scales, w[b].qs, nullptr, x.quants + b * 256,
                               x.groupSums + b * 16, x.scales[b]);
    return sum;
}

float dotQ5_K(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockQ5_K*>(row);
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b)
        sum += superBlockQ4Q5K(w[b].d, w[b].dmin, w[b].scales, w[b].qs, w[b].qh, x.quants + b * 256,
                               x.groupSums + b * 16, x.scales[b]);
    return sum;
}

float dotQ6_K(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockQ6_K*>(row);
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        const int8_t* q = x.quants + b * 256;
        __m256i acc = _mm256_setzero_si256();
        for (int upper = 0; upper < 2; ++upper) {
            const __m256i low0 = load32(w[b].ql + upper * 64), low1 = load32(w[b].ql + upper * 64 + 32);
            const __m256i high = load32(w[b].qh + upper * 32);
            for (int k = 0; k < 4; ++k) {
                const __m256i lowBytes = k % 2 == 0 ? low0 : low1;
                const __m256i lowBits = _mm256_and_si256(k < 2 ? lowBytes : _mm256_srli_epi16(lowBytes, 4),
                                                         _mm256_set1_epi8(0x0F));
                const __m256i highBits = _mm256_and_si256(_mm256_srli_epi16(high, 2 * k), _mm256_set1_epi8(3));
                const __m256i values =
                    _mm256_sub_epi8(_mm256_or_si256(lowBits, _mm256_slli_epi16(highBits, 4)), _mm256_set1_epi8(32));
                const int s = upper * 8 + 2 * k;
                const __m256i sums = productSums(values, load32(q + upper * 128 + k * 32));
                acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(sums, laneScales(w[b].scales[s], w[b].scales[s + 1])));
            }
        }
        sum += half(w[b].d) * x.scales[b] * float(horizontalSumInt(acc));
    }
    return sum;
}

float dotIq4Xs(const void* row, const ActivationRow& x, size_t blocks)
{
    const auto* w = static_cast<const BlockIq4Xs*>(row);
    float sum = 0;
    for (size_t b = 0; b < blocks; ++b) {
        __m256i acc = _mm256_setzero_si256();
        for (int j = 0; j < 8; ++j) {
            const int scale = ((w[b].scalesLow[j / 2] >> (4 * (j % 2))) & 0x0F) | (((w[b].scalesHigh >> (2 * j)) & 3) << 4);
            const __m256i sums = productSums(iq4Values(nibbles(w[b].qs + j * 16)), load32(x.quants + b * 256 + j * 32));
            acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(sums, _mm256_set1_epi32(scale - 32)));
        }
        sum += half(w[b].d) * x.scales[b] * float(horizontalSumInt(acc));
    }
    return sum;
}

} // namespace latent::cpu::avx2
