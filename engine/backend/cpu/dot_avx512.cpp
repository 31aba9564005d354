// AVX-512 kernels (Ice Lake, Zen 4 and later): groups of 16 interleaved rows (interleave.h:
// Q4_0, Q5_0, Q8_0, Q4_K, Q6_K) against up to 8 tokens, their integer products in VNNI's dpbusd (one
// instruction for what AVX2 needs three), each row's sum in a lane, block after block in
// float_sums.h's order; float products in tiles (float_tiles_avx512.h); attention's tiles
// (attention_avx512.cpp). The rest is AVX2's.

#include "engine/backend/cpu/attention_avx512.h"
#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/float_sums.h"
#include "engine/backend/cpu/float_tiles_avx512.h"
#include "engine/backend/cpu/interleave.h"
#include "engine/backend/cpu/x86_helpers.h"
#include "engine/quant/blocks.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace latent::cpu {
namespace {

int32_t load4(const void* p)
{
    int32_t four;
    std::memcpy(&four, p, 4);
    return four;
}

// Sixteen interleaved rows (interleave.h) of 32-value blocks against T activation rows: each
// dpbusd multiplies the same 4 positions of all 16 rows by one token's 4 activations, broadcast,
// so lane i is row i all the way: no reduction, and the rows' scales apply as one 16-lane vector.
// The T tokens' sums are independent chains, which keeps the dpbusd units busy. Blocks go two at
// a time, their terms summed before they meet the running sum (float_sums.h).
template <gguf::TensorType type, size_t T>
void interleavedTile(const uint8_t* group, size_t blocks, const QuantizedRows& x, float* out, size_t outStride)
{
    using gguf::TensorType;
    const size_t bytesPerBlock = interleavedGroupBlockBytes(type);
    const __m512i low = _mm512_set1_epi8(0x0F), bitFour = _mm512_set1_epi8(0x10);
    __m512 acc[T], first[T];
#pragma GCC unroll 8
    for (__m512& a : acc)
        a = _mm512_setzero_ps();
    // Block b's terms into first[] (the first of a pair) or, with first[], into acc[].
    const auto step = [&](size_t b, bool second) __attribute__((always_inline)) {
        const uint8_t* block = group + b * bytesPerBlock;
        const __m512 rowScales = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block)));
        // The weights are stored as q + 8 (Q4_0's nibbles), q + 16 (Q5_0's five bits) or q + 128
        // (Q8_0, regrouped so: dpbusd wants them unsigned): each row's sum starts at
        // -offset * sum(x) to take that back out.
        constexpr int32_t offset = type == TensorType::Q4_0 ? 8 : type == TensorType::Q5_0 ? 16 : 128;
        __m512i sum[T];
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t)
            sum[t] = _mm512_set1_epi32(-offset * x.sums[t * x.stride + b]);
        // Four positions of the 16 rows at a time against every token: one weight register live.
        const auto products = [&](__m512i w, int k) __attribute__((always_inline)) {
#pragma GCC unroll 8
            for (size_t t = 0; t < T; ++t)
                sum[t] = _mm512_dpbusd_epi32(sum[t], w, _mm512_set1_epi32(load4(x.quantsOf(t, b) + 4 * k)));
        };
        if constexpr (type == TensorType::Q8_0) {
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k)
                products(_mm512_loadu_si512(block + 32 + 64 * k), k);
        } else {
            // Q5_0's fifth bits: bit k of each row's byte i is position 4k + i's. Shifted to bit 4
            // of its byte (the neighbours' bits land elsewhere), then or-ed in through a mask in
            // one ternary-logic instruction: nibbles | (shifted & 0x10).
            const __m512i fifth = type == TensorType::Q5_0 ? _mm512_loadu_si512(block + 288) : _mm512_setzero_si512();
            const auto withFifth = [&](__m512i nibbles, int k) __attribute__((always_inline)) {
                if constexpr (type == TensorType::Q5_0) {
                    const __m512i shifted = k < 4 ? _mm512_slli_epi16(fifth, unsigned(4 - k))
                                          : k > 4 ? _mm512_srli_epi16(fifth, unsigned(k - 4))
                                                  : fifth;
                    return _mm512_ternarylogic_epi32(nibbles, shifted, bitFour, 0xF8);
                } else {
                    return nibbles;
                }
            };
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) {
                const __m512i packed = _mm512_loadu_si512(block + 32 + 64 * j);
                products(withFifth(_mm512_and_si512(packed, low), 2 * j), 2 * j);
                products(withFifth(_mm512_and_si512(_mm512_srli_epi16(packed, 4), low), 2 * j + 1), 2 * j + 1);
            }
        }
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t) {
            const __m512 term =
                _mm512_mul_ps(_mm512_cvtepi32_ps(sum[t]), _mm512_mul_ps(rowScales, _mm512_set1_ps(*x.scalesOf(t, b))));
            if (second)
                acc[t] = _mm512_add_ps(acc[t], _mm512_add_ps(first[t], term));
            else
                first[t] = term;
        }
    };
    forBlockPairs(blocks, step, [&] {
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t)
            acc[t] = _mm512_add_ps(acc[t], first[t]);
    });
#pragma GCC unroll 8
    for (size_t t = 0; t < T; ++t)
        _mm512_storeu_ps(out + t * outStride, acc[t]);
}

// Sub-block s's 6-bit values (scales or minimums) of the 16 rows as bytes, from interleave.h's
// Q4_K layout: low four bits at `low`, high two bits at `high`.
__m128i sixBits(const uint8_t* low, const uint8_t* high, int s)
{
    const __m128i nibbles = _mm_loadu_si128(reinterpret_cast<const __m128i*>(low + 16 * (s % 4)));
    const __m128i lowBits = _mm_and_si128(s < 4 ? nibbles : _mm_srli_epi16(nibbles, 4), _mm_set1_epi8(0x0F));
    const __m128i highBits = _mm_and_si128(
        _mm_srli_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(high + 16 * (s / 4))), 2 * (s % 4)),
        _mm_set1_epi8(3));
    return _mm_or_si128(lowBits, _mm_slli_epi16(highBits, 4));
}

// Q4_K groups (interleave.h) against T tokens' super-blocks: per sub-block, each row's sum of
// values times quants in its lane (dpbusd, the values unsigned 0..15 as stored), then times the
// row's 6-bit scale (an exact integer product); the minimums' share with dpwssd, each row's pair
// of minimums against each pair of sub-blocks' activation sums, broadcast. Then float_sums.h's
// superBlockWithMinimums lane by lane, super-block after super-block.
template <size_t T>
void q4KTile(const uint8_t* group, size_t blocks, const ActivationRow* x, float* out, size_t outStride)
{
    const size_t bytesPerBlock = interleavedGroupBlockBytes(gguf::TensorType::Q4_K);
    const __m512i low = _mm512_set1_epi8(0x0F);
    __m512 acc[T];
#pragma GCC unroll 8
    for (__m512& a : acc)
        a = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const uint8_t* block = group + b * bytesPerBlock;
        __m512i total[T];
#pragma GCC unroll 8
        for (__m512i& v : total)
            v = _mm512_setzero_si512();
        for (int s = 0; s < 8; ++s) {
            __m512i sub[T];
#pragma GCC unroll 8
            for (__m512i& v : sub)
                v = _mm512_setzero_si512();
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) {
                const __m512i packed = _mm512_loadu_si512(block + 256 + 256 * s + 64 * j);
                const __m512i lowNibbles = _mm512_and_si512(packed, low);
                const __m512i highNibbles = _mm512_and_si512(_mm512_srli_epi16(packed, 4), low);
#pragma GCC unroll 8
                for (size_t t = 0; t < T; ++t) {
                    const int8_t* q = x[t].quants + b * 256 + 32 * s + 8 * j;
                    sub[t] = _mm512_dpbusd_epi32(sub[t], lowNibbles, _mm512_set1_epi32(load4(q)));
                    sub[t] = _mm512_dpbusd_epi32(sub[t], highNibbles, _mm512_set1_epi32(load4(q + 4)));
                }
            }
            const __m512i scales = _mm512_cvtepu8_epi32(sixBits(block + 64, block + 128, s));
#pragma GCC unroll 8
            for (size_t t = 0; t < T; ++t)
                total[t] = _mm512_add_epi32(total[t], _mm512_mullo_epi32(sub[t], scales));
        }
        // Each row's minimums of sub-blocks 2k and 2k + 1 as the int16 halves of its lane.
        __m512i minimumPairs[4];
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k)
            minimumPairs[k] = _mm512_or_si512(_mm512_cvtepu8_epi32(sixBits(block + 160, block + 224, 2 * k)),
                                              _mm512_slli_epi32(_mm512_cvtepu8_epi32(sixBits(block + 160, block + 224, 2 * k + 1)), 16));
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block)));
        const __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32)));
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t) {
            const int16_t* groupSums = x[t].groupSums + b * 16;
            __m512i minimums = _mm512_setzero_si512();
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                // Sub-blocks 2k and 2k + 1: each the sum of two groups of 16 (|sum| <= 4064).
                const auto first = uint16_t(groupSums[4 * k] + groupSums[4 * k + 1]);
                const auto second = uint16_t(groupSums[4 * k + 2] + groupSums[4 * k + 3]);
                minimums = _mm512_dpwssd_epi32(minimums, minimumPairs[k], _mm512_set1_epi32(int32_t(first | uint32_t(second) << 16)));
            }
            const __m512 scaled = _mm512_sub_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(total[t])),
                                                _mm512_mul_ps(dmin, _mm512_cvtepi32_ps(minimums)));
            acc[t] = _mm512_add_ps(acc[t], _mm512_mul_ps(_mm512_set1_ps(x[t].scales[b]), scaled));
        }
    }
#pragma GCC unroll 8
    for (size_t t = 0; t < T; ++t)
        _mm512_storeu_ps(out + t * outStride, acc[t]);
}

// Q6_K groups (interleave.h) against T tokens' super-blocks: per sub-block of 16, each row's 6-bit
// values (low nibble | high two bits << 4, unsigned 0..63 as stored) times quants in its lane,
// starting from -32 * the group's sum of quants to re-centre them; then times the row's int8
// scale (exact). Then float_sums.h's superBlock lane by lane, super-block after super-block.
template <size_t T>
void q6KTile(const uint8_t* group, size_t blocks, const ActivationRow* x, float* out, size_t outStride)
{
    const size_t bytesPerBlock = interleavedGroupBlockBytes(gguf::TensorType::Q6_K);
    const __m512i low = _mm512_set1_epi8(0x0F), two = _mm512_set1_epi8(3);
    __m512 acc[T];
#pragma GCC unroll 8
    for (__m512& a : acc)
        a = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const uint8_t* block = group + b * bytesPerBlock;
        __m512i total[T];
#pragma GCC unroll 8
        for (__m512i& v : total)
            v = _mm512_setzero_si512();
        for (int s = 0; s < 16; ++s) {
            const uint8_t* sub = block + 288 + 192 * s;
            const __m512i lowChunks[2] = {_mm512_loadu_si512(sub), _mm512_loadu_si512(sub + 64)};
            const __m512i highBits = _mm512_loadu_si512(sub + 128);
            __m512i sums[T];
#pragma GCC unroll 8
            for (size_t t = 0; t < T; ++t)
                sums[t] = _mm512_set1_epi32(-32 * x[t].groupSums[b * 16 + size_t(s)]);
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) { // positions 4k..4k+3
                const __m512i chunk = lowChunks[k / 2];
                const __m512i lowBits = _mm512_and_si512(k % 2 == 0 ? chunk : _mm512_srli_epi16(chunk, 4), low);
                const __m512i high = _mm512_and_si512(_mm512_srli_epi16(highBits, 2 * k), two);
                const __m512i values = _mm512_or_si512(lowBits, _mm512_slli_epi16(high, 4));
#pragma GCC unroll 8
                for (size_t t = 0; t < T; ++t)
                    sums[t] = _mm512_dpbusd_epi32(sums[t], values,
                                                  _mm512_set1_epi32(load4(x[t].quants + b * 256 + 16 * s + 4 * k)));
            }
            const __m512i scales =
                _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 32 + 16 * s)));
#pragma GCC unroll 8
            for (size_t t = 0; t < T; ++t)
                total[t] = _mm512_add_epi32(total[t], _mm512_mullo_epi32(sums[t], scales));
        }
        const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block)));
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t)
            acc[t] = _mm512_add_ps(acc[t], _mm512_mul_ps(_mm512_mul_ps(d, _mm512_set1_ps(x[t].scales[b])),
                                                         _mm512_cvtepi32_ps(total[t])));
    }
#pragma GCC unroll 8
    for (size_t t = 0; t < T; ++t)
        _mm512_storeu_ps(out + t * outStride, acc[t]);
}

// A super-block's integer total against one token's 256 quants q, for the kernels below that
// unpack its values once for several tokens: four steps of 64 values (unsigned bytes), each
// dpbusd's lanes times their sub-block's scale (stepScales), summed.
inline int32_t scaledTotal(const __m512i values[4], const __m512i stepScales[4], const int8_t* q)
{
    __m512i acc = _mm512_setzero_si512();
#pragma GCC unroll 4
    for (int m = 0; m < 4; ++m)
        acc = _mm512_add_epi32(
            acc, _mm512_mullo_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), values[m], _mm512_loadu_si512(q + 64 * m)),
                                    stepScales[m]));
    return _mm512_reduce_add_epi32(acc);
}

// The activations' sums over a super-block's eight 32-value sub-blocks (its 16 group sums of 16
// added in pairs), as int16 lanes.
inline __m128i subBlockSums(const int16_t* groupSums)
{
    return _mm_hadd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(groupSums)),
                          _mm_loadu_si128(reinterpret_cast<const __m128i*>(groupSums + 8)));
}

// Q2_K and Q3_K rows against T tokens, 64 values a step where AVX2 takes 32: the two-bit planes
// unpacked by one variable shift for two planes at once, Q3_K's high bit or-ed in as 4 (values
// 0..7 instead of -4..3, the difference taken back out as 4 times the activations' sums, which
// the super-block's scales weigh), each super-block unpacked once for the T tokens; then per
// token one dpbusd a step and each lane times its sub-block's scale. The super-block's integer
// total is the one every table computes, and its float steps are float_sums.h's, super-block
// after super-block, so the bits are the portable kernels'.
template <typename Block, size_t T>
void twoBitRowsTile(const WeightRows& w, const ActivationRow* x, float* out, size_t outStride)
{
    constexpr bool isQ3 = std::is_same_v<Block, quant::BlockQ3_K>;
    // Step m covers values 64m..64m+63: planes 2m and 2m + 1 (of the 32 bytes at 32 (m / 2)),
    // one in each 256-bit half; the 16 scales' lanes 4m + j / 4 for its 16 lanes of four values.
    const __m512i planeShifts[2] = {_mm512_inserti64x4(_mm512_set1_epi16(0), _mm256_set1_epi16(2), 1),
                                    _mm512_inserti64x4(_mm512_set1_epi16(4), _mm256_set1_epi16(6), 1)};
    __m512i scaleLanes[4];
    for (int m = 0; m < 4; ++m)
        scaleLanes[m] = _mm512_add_epi32(_mm512_set1_epi32(4 * m),
                                         _mm512_srli_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 2));
    const __m512i three = _mm512_set1_epi8(3), one = _mm512_set1_epi8(1);
    for (size_t r = 0; r < w.count; ++r) {
        const auto* row = reinterpret_cast<const Block*>(w.row(r));
        float sum[T] = {};
        for (size_t b = 0; b < w.blocks; ++b) {
            const Block& block = row[b];
            __m128i scaleBytes;
            if constexpr (isQ3)
                scaleBytes = q3KScaleBytes(block.scales);
            else
                scaleBytes = _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block.scales)), _mm_set1_epi8(0x0F));
            const __m512i scales = isQ3 ? _mm512_cvtepi8_epi32(scaleBytes) : _mm512_cvtepu8_epi32(scaleBytes);
            __m512i high = _mm512_setzero_si512();
            if constexpr (isQ3) {
                const __m256i mask = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block.hmask));
                high = _mm512_broadcast_i64x4(mask);
            }
            __m512i values[4], stepScales[4];
#pragma GCC unroll 4
            for (int m = 0; m < 4; ++m) {
                const __m256i packed = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block.qs + 32 * (m / 2)));
                const __m512i planes = _mm512_broadcast_i64x4(packed);
                values[m] = _mm512_and_si512(_mm512_srlv_epi16(planes, planeShifts[m % 2]), three);
                if constexpr (isQ3) {
                    // Bits 2m and 2m + 1 of hmask's bytes: the high bits of the two planes.
                    const __m512i bitShifts = _mm512_inserti64x4(_mm512_set1_epi16(short(2 * m)), _mm256_set1_epi16(short(2 * m + 1)), 1);
                    const __m512i bit = _mm512_and_si512(_mm512_srlv_epi16(high, bitShifts), one);
                    values[m] = _mm512_or_si512(values[m], _mm512_slli_epi16(bit, 2));
                }
                stepScales[m] = _mm512_permutexvar_epi32(scaleLanes[m], scales);
            }
            const __m256i offsetWeights = isQ3 ? _mm256_cvtepi8_epi16(scaleBytes)
                                               : _mm256_cvtepu8_epi16(_mm_and_si128(
                                                     _mm_srli_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block.scales)), 4),
                                                     _mm_set1_epi8(0x0F)));
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t) {
                const int32_t total = scaledTotal(values, stepScales, x[t].quants + b * 256);
                // Q3_K: the scales weigh the offset's share; Q2_K: the minimums weigh theirs.
                const int32_t weightedSums = horizontalSumInt(_mm256_madd_epi16(
                    offsetWeights, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[t].groupSums + b * 16))));
                if constexpr (isQ3)
                    sum[t] = sum[t] + superBlock(half(block.d), x[t].scales[b], total - 4 * weightedSums);
                else
                    sum[t] = sum[t] + superBlockWithMinimums(x[t].scales[b], half(block.d), half(block.dmin), total, weightedSums);
            }
        }
        for (size_t t = 0; t < T; ++t)
            out[t * outStride + r] = sum[t];
    }
}

// Q5_K rows against T tokens, 64 values (two sub-blocks) a step: the nibbles of both by one
// variable shift, the fifth bits or-ed in as 16, each super-block unpacked once for the T tokens;
// then per token one dpbusd a step, each lane times its sub-block's scale, and the minimums'
// share as AVX2 weighs it. Integer totals and float steps are every table's, so the bits are the
// portable kernels'.
template <size_t T>
void q5KRowsTile(const WeightRows& w, const ActivationRow* x, float* out, size_t outStride)
{
    const __m512i nibbleShifts = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(4), 1);
    __m512i scaleLanes[4], bitShifts[4];
    for (int m = 0; m < 4; ++m) {
        scaleLanes[m] = _mm512_inserti64x4(_mm512_set1_epi32(2 * m), _mm256_set1_epi32(2 * m + 1), 1);
        bitShifts[m] = _mm512_inserti64x4(_mm512_set1_epi16(short(2 * m)), _mm256_set1_epi16(short(2 * m + 1)), 1);
    }
    const __m512i low = _mm512_set1_epi8(0x0F), one = _mm512_set1_epi8(1);
    for (size_t r = 0; r < w.count; ++r) {
        const auto* row = reinterpret_cast<const quant::BlockQ5_K*>(w.row(r));
        float sum[T] = {};
        for (size_t b = 0; b < w.blocks; ++b) {
            const quant::BlockQ5_K& block = row[b];
            const KQuantScales unpacked(block.scales);
            const __m512i scales = _mm512_cvtepu8_epi32(_mm_cvtsi64_si128(int64_t(unpacked.scales)));
            const __m128i minimumLanes = _mm_cvtepu8_epi16(_mm_cvtsi64_si128(int64_t(unpacked.minimums)));
            const __m256i fifth = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block.qh));
            const __m512i fifthBits = _mm512_broadcast_i64x4(fifth);
            __m512i values[4], stepScales[4];
#pragma GCC unroll 4
            for (int m = 0; m < 4; ++m) {
                const __m256i packed = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block.qs + 32 * m));
                const __m512i nibbles =
                    _mm512_and_si512(_mm512_srlv_epi16(_mm512_broadcast_i64x4(packed), nibbleShifts), low);
                const __m512i bit = _mm512_and_si512(_mm512_srlv_epi16(fifthBits, bitShifts[m]), one);
                values[m] = _mm512_or_si512(nibbles, _mm512_slli_epi16(bit, 4));
                stepScales[m] = _mm512_permutexvar_epi32(scaleLanes[m], scales);
            }
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t) {
                const int32_t total = scaledTotal(values, stepScales, x[t].quants + b * 256);
                // Each minimum times the sum of its 32 activations.
                const __m128i pairSums = subBlockSums(x[t].groupSums + b * 16);
                const int32_t minimums = horizontalSumInt(_mm_madd_epi16(minimumLanes, pairSums));
                sum[t] = sum[t] + superBlockWithMinimums(x[t].scales[b], half(block.d), half(block.dmin),
                                                         total, minimums);
            }
        }
        for (size_t t = 0; t < T; ++t)
            out[t * outStride + r] = sum[t];
    }
}

// IQ4_XS rows against T tokens, two sub-blocks a step: each 128-bit lane a 16-byte half of a
// sub-block (its low nibbles, then its high ones), looked up in the grid shifted by 128 (dpbusd's
// unsigned operand; 128 x the activations' sums, weighed by the scales, taken back out), each
// super-block unpacked once for the T tokens; then per token one dpbusd a step, each lane times
// its sub-block's scale. Integer totals and float steps are every table's, so the bits are the
// portable kernels'.
template <size_t T>
void iq4XsRowsTile(const WeightRows& w, const ActivationRow* x, float* out, size_t outStride)
{
    const __m512i grid = _mm512_broadcast_i32x4(_mm_xor_si128(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(quant::kIq4Values)), _mm_set1_epi8(char(0x80))));
    const __m512i nibbleShifts = _mm512_setr_epi64(0, 0, 0x0004000400040004, 0x0004000400040004, 0, 0,
                                                   0x0004000400040004, 0x0004000400040004);
    __m512i scaleLanes[4];
    for (int m = 0; m < 4; ++m)
        scaleLanes[m] = _mm512_inserti64x4(_mm512_set1_epi32(2 * m), _mm256_set1_epi32(2 * m + 1), 1);
    const __m256i lowShifts = _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28);
    const __m256i highShifts = _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14);
    for (size_t r = 0; r < w.count; ++r) {
        const auto* row = reinterpret_cast<const quant::BlockIq4Xs*>(w.row(r));
        float sum[T] = {};
        for (size_t b = 0; b < w.blocks; ++b) {
            const quant::BlockIq4Xs& block = row[b];
            // The eight 6-bit scales less 32 (quant::iq4XsScale's) in int32 lanes.
            uint32_t lowWord;
            std::memcpy(&lowWord, block.scalesLow, 4);
            const __m256i lowBits = _mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32(int(lowWord)), lowShifts), _mm256_set1_epi32(0x0F));
            const __m256i highBits = _mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32(block.scalesHigh), highShifts), _mm256_set1_epi32(3));
            const __m256i scaleWords =
                _mm256_sub_epi32(_mm256_or_si256(lowBits, _mm256_slli_epi32(highBits, 4)), _mm256_set1_epi32(32));
            const __m512i scales = _mm512_castsi256_si512(scaleWords);
            const __m128i scaleHalves = _mm256_cvtepi32_epi16(scaleWords);
            __m512i values[4], stepScales[4];
#pragma GCC unroll 4
            for (int m = 0; m < 4; ++m) {
                const __m256i packed = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block.qs + 32 * m));
                const __m512i both = _mm512_castsi256_si512(packed);
                const __m512i halves = _mm512_shuffle_i64x2(both, both, _MM_SHUFFLE(1, 1, 0, 0));
                const __m512i indices = _mm512_and_si512(_mm512_srlv_epi16(halves, nibbleShifts), _mm512_set1_epi8(0x0F));
                values[m] = _mm512_shuffle_epi8(grid, indices);
                stepScales[m] = _mm512_permutexvar_epi32(scaleLanes[m], scales);
            }
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t) {
                const int32_t total = scaledTotal(values, stepScales, x[t].quants + b * 256);
                const __m128i pairSums = subBlockSums(x[t].groupSums + b * 16);
                const int32_t offsetShare = horizontalSumInt(_mm_madd_epi16(scaleHalves, pairSums));
                sum[t] = sum[t] + superBlock(half(block.d), x[t].scales[b], total - 128 * offsetShare);
            }
        }
        for (size_t t = 0; t < T; ++t)
            out[t * outStride + r] = sum[t];
    }
}

// A super-block kind's tile for up to 4 tokens, over any number of tokens (the tables' entries).
template <void (*Tile1)(const WeightRows&, const ActivationRow*, float*, size_t),
          void (*Tile2)(const WeightRows&, const ActivationRow*, float*, size_t),
          void (*Tile3)(const WeightRows&, const ActivationRow*, float*, size_t),
          void (*Tile4)(const WeightRows&, const ActivationRow*, float*, size_t)>
void inTokenTiles(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride)
{
    for (size_t t0 = 0; t0 < tokens; t0 += 4) {
        float* target = out + t0 * outStride;
        switch (std::min<size_t>(4, tokens - t0)) {
        case 1: Tile1(w, x + t0, target, outStride); break;
        case 2: Tile2(w, x + t0, target, outStride); break;
        case 3: Tile3(w, x + t0, target, outStride); break;
        default: Tile4(w, x + t0, target, outStride); break;
        }
    }
}

// Each kind of group with its tile as a template of the token count, for forTokens.
template <gguf::TensorType type>
struct Blocks32Groups {
    template <size_t T>
    static void tile(const uint8_t* group, size_t blocks, const QuantizedRows& x, float* out, size_t outStride)
    {
        interleavedTile<type, T>(group, blocks, x, out, outStride);
    }
};

struct Q4KGroups {
    template <size_t T>
    static void tile(const uint8_t* group, size_t blocks, const ActivationRow* x, float* out, size_t outStride)
    {
        q4KTile<T>(group, blocks, x, out, outStride);
    }
};

struct Q6KGroups {
    template <size_t T>
    static void tile(const uint8_t* group, size_t blocks, const ActivationRow* x, float* out, size_t outStride)
    {
        q6KTile<T>(group, blocks, x, out, outStride);
    }
};

// A kind's tile for the run-time token count (1..8), as the tables' entries take it.
template <typename Groups, typename Activations>
void forTokens(const uint8_t* group, size_t blocks, Activations x, size_t tokens, float* out, size_t outStride)
{
    switch (tokens) {
    case 1: Groups::template tile<1>(group, blocks, x, out, outStride); break;
    case 2: Groups::template tile<2>(group, blocks, x, out, outStride); break;
    case 3: Groups::template tile<3>(group, blocks, x, out, outStride); break;
    case 4: Groups::template tile<4>(group, blocks, x, out, outStride); break;
    case 5: Groups::template tile<5>(group, blocks, x, out, outStride); break;
    case 6: Groups::template tile<6>(group, blocks, x, out, outStride); break;
    case 7: Groups::template tile<7>(group, blocks, x, out, outStride); break;
    default: Groups::template tile<8>(group, blocks, x, out, outStride); break;
    }
}

DotKernels makeTable()
{
    // AVX2's kernels for everything else (and for matrices that cannot be regrouped).
    DotKernels table = *avx2Kernels();
    table.name = "avx512";
    table.q8_0Interleaved = forTokens<Blocks32Groups<gguf::TensorType::Q8_0>, const QuantizedRows&>;
    table.q4_0Interleaved = forTokens<Blocks32Groups<gguf::TensorType::Q4_0>, const QuantizedRows&>;
    table.q5_0Interleaved = forTokens<Blocks32Groups<gguf::TensorType::Q5_0>, const QuantizedRows&>;
    table.q4_KInterleaved = forTokens<Q4KGroups, const ActivationRow*>;
    table.q6_KInterleaved = forTokens<Q6KGroups, const ActivationRow*>;
    using quant::BlockQ2_K, quant::BlockQ3_K;
    table.q2_K = inTokenTiles<twoBitRowsTile<BlockQ2_K, 1>, twoBitRowsTile<BlockQ2_K, 2>, twoBitRowsTile<BlockQ2_K, 3>,
                              twoBitRowsTile<BlockQ2_K, 4>>;
    table.q3_K = inTokenTiles<twoBitRowsTile<BlockQ3_K, 1>, twoBitRowsTile<BlockQ3_K, 2>, twoBitRowsTile<BlockQ3_K, 3>,
                              twoBitRowsTile<BlockQ3_K, 4>>;
    table.q5_K = inTokenTiles<q5KRowsTile<1>, q5KRowsTile<2>, q5KRowsTile<3>, q5KRowsTile<4>>;
    table.iq4_xs = inTokenTiles<iq4XsRowsTile<1>, iq4XsRowsTile<2>, iq4XsRowsTile<3>, iq4XsRowsTile<4>>;
    table.f32 = floatRowsInTiles<avx512::FloatTiles, F32Values>;
    table.f16 = floatRowsInTiles<avx512::FloatTiles, F16Values>;
    table.bf16 = floatRowsInTiles<avx512::FloatTiles, Bf16Values>;
    table.attentionScoresF16 = avx512::attentionScoresF16;
    table.attentionValuesF16 = avx512::attentionValuesF16;
    return table;
}

} // namespace

const DotKernels* avx512Kernels()
{
    static const DotKernels kTable = makeTable();
    return &kTable;
}

} // namespace latent::cpu
