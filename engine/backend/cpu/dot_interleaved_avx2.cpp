// AVX2 kernels of the interleaved groups (interleave.h: 16 rows, block by block, 4 positions of
// every row side by side): each 32-bit lane is one row all the way, as in the AVX-512 kernels, so
// a block's integer totals need no reduction across lanes. Without VNNI the products take
// maddubs, which wants one unsigned operand: Q4_0's nibbles are (q + 8 comes back out as
// 8 * sum(x)), and so are Q5_0's five bits (q + 16, 16 * sum(x)); Q8_0's weights, stored as
// q + 128, are made signed again and meet the activations with their signs (|w| * sign(x, w)).
// Q4_K's values (0..15, their 6-bit scales and minimums unpacked per sub-block) and Q6_K's (0..63,
// stored before re-centring by 32) are unsigned too; maddubs' int16 pairs are summed over a
// sub-block as far as int16 holds them, then one madd by the row's sub-block scale (repeated in
// both int16 halves of its lane) makes them int32 and scales them at once. Eight rows (a
// register) at a time, up to four tokens, in float_sums.h's order: each block's term, blocks two
// at a time; super-block after super-block for the K-quants.

#include "engine/backend/cpu/dot_blocks_avx2.h"
#include "engine/backend/cpu/float_sums.h"
#include "engine/backend/cpu/interleaved_tiles.h"

#include <immintrin.h>

#include <cstring>

namespace latent::cpu::avx2 {
namespace {

// The four bytes at p (four activation quants, or two int16 sums) in every 32-bit lane.
__m256i broadcast4(const void* p)
{
    int32_t four;
    std::memcpy(&four, p, 4);
    return _mm256_set1_epi32(four);
}

__m128i load8(const uint8_t* p)
{
    return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
}

__m256i load32(const uint8_t* p)
{
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// Bit k of each byte (of Q5_0's fifth bits: position 4k + i's in byte i of a row) moved to bit 4,
// above its position's nibble.
__m256i fifthBitOf(__m256i bits, int k)
{
    const __m256i moved = k < 4 ? _mm256_slli_epi16(bits, 4 - k) : _mm256_srli_epi16(bits, k - 4);
    return _mm256_and_si256(moved, _mm256_set1_epi8(0x10));
}

// Rows 8 * half .. 8 * half + 7 of one Q4_0, Q5_0 or Q8_0 group against T tokens.
template <gguf::TensorType type, size_t T>
void halfTile(const uint8_t* group, size_t half, size_t blocks, const QuantizedRows& x, float* out, size_t outStride)
{
    using gguf::TensorType;
    const size_t bytesPerBlock = interleavedGroupBlockBytes(type);
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 acc[T], first[T];
#pragma GCC unroll 4
    for (__m256& a : acc)
        a = _mm256_setzero_ps();
    const auto step = [&](size_t b, bool second) __attribute__((always_inline)) {
        const uint8_t* block = group + b * bytesPerBlock;
        const __m256 rowScales =
            _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * half)));
        __m256i sum[T];
        if constexpr (type == TensorType::Q8_0) {
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t)
                sum[t] = _mm256_setzero_si256();
            const __m256i offset = _mm256_set1_epi8(char(0x80));
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) {
                const __m256i w = _mm256_xor_si256(load32(block + 32 + 64 * k + 32 * half), offset);
                const __m256i magnitude = _mm256_abs_epi8(w);
#pragma GCC unroll 4
                for (size_t t = 0; t < T; ++t) {
                    const __m256i xq = _mm256_sign_epi8(broadcast4(x.quantsOf(t, b) + 4 * k), w);
                    sum[t] = _mm256_add_epi32(sum[t], _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, xq), ones));
                }
            }
        } else {
            // The values are stored as q + 8 (Q4_0's nibbles) or q + 16 (Q5_0's five bits): each
            // row's sum starts at -offset * sum(x) to take that back out.
            constexpr int32_t offset = type == TensorType::Q4_0 ? 8 : 16;
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t)
                sum[t] = _mm256_set1_epi32(-offset * x.sums[t * x.stride + b]);
            const __m256i low = _mm256_set1_epi8(0x0F);
            // Q5_0's fifth bits, above the nibbles of positions 4k..4k+3: values 0..31, whose
            // maddubs pairs (at most 2 * 31 * 128) are far from int16's limit.
            const __m256i fifth = type == TensorType::Q5_0 ? load32(block + 288 + 32 * half) : _mm256_setzero_si256();
            const auto withFifth = [&](__m256i nibbles, int k) __attribute__((always_inline)) {
                if constexpr (type == TensorType::Q5_0)
                    return _mm256_or_si256(nibbles, fifthBitOf(fifth, k));
                else
                    return nibbles;
            };
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) {
                const __m256i packed = load32(block + 32 + 64 * j + 32 * half);
                const __m256i values[2] = {withFifth(_mm256_and_si256(packed, low), 2 * j),
                                           withFifth(_mm256_and_si256(_mm256_srli_epi16(packed, 4), low), 2 * j + 1)};
#pragma GCC unroll 2
                for (int k = 0; k < 2; ++k) {
#pragma GCC unroll 4
                    for (size_t t = 0; t < T; ++t) {
                        const __m256i xq = broadcast4(x.quantsOf(t, b) + 4 * (2 * j + k));
                        sum[t] = _mm256_add_epi32(sum[t], _mm256_madd_epi16(_mm256_maddubs_epi16(values[k], xq), ones));
                    }
                }
            }
        }
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t) {
            const __m256 term =
                _mm256_mul_ps(_mm256_cvtepi32_ps(sum[t]), _mm256_mul_ps(rowScales, _mm256_set1_ps(*x.scalesOf(t, b))));
            if (second)
                acc[t] = _mm256_add_ps(acc[t], _mm256_add_ps(first[t], term));
            else
                first[t] = term;
        }
    };
    forBlockPairs(blocks, step, [&] {
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t)
            acc[t] = _mm256_add_ps(acc[t], first[t]);
    });
#pragma GCC unroll 4
    for (size_t t = 0; t < T; ++t)
        _mm256_storeu_ps(out + t * outStride + 8 * half, acc[t]);
}

// A sub-block's eight int8 scales of rows 8 * half .. 8 * half + 7 (the low 8 bytes of `eight`),
// each in both int16 halves of its row's lane: madd's operand that multiplies a lane's two int16
// sums by the row's scale. (Q4_K's scales, 0..63, read the same as signed.)
__m256i rowScalesTwice(__m128i eight)
{
    const __m256i wide = _mm256_cvtepi8_epi32(eight);
    const __m256i lowHalfTwice = // bytes 0, 1 of each lane (the int16 value) in both halves
        _mm256_setr_epi8(0, 1, 0, 1, 4, 5, 4, 5, 8, 9, 8, 9, 12, 13, 12, 13, 0, 1, 0, 1, 4, 5, 4, 5, 8, 9, 8, 9, 12, 13, 12, 13);
    return _mm256_shuffle_epi8(wide, lowHalfTwice);
}

// first and second (int16) in the low and high halves of every 32-bit lane.
__m256i broadcastPair(int16_t first, int16_t second)
{
    return _mm256_set1_epi32(int32_t(uint32_t(uint16_t(first)) | uint32_t(uint16_t(second)) << 16));
}

// The eight rows' fp16 values at p (d or dmin of a super-block) as floats.
__m256 rowHalves(const uint8_t* p)
{
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

// Sub-block s's 6-bit values (scales or minimums) of a half's eight rows, in the low 8 bytes,
// from interleave.h's Q4_K layout: `low` and `high` point at the half's bytes of the low four bits
// (sub-block j < 4 in the low nibbles of the bytes at low + 16 * j, j + 4 in their high nibbles)
// and of the high two (sub-block s in bits 2 * (s % 4) and up of the bytes at high + 16 * (s / 4)).
__m128i sixBits(const uint8_t* low, const uint8_t* high, int s)
{
    const __m128i nibbles = load8(low + 16 * (s % 4));
    const __m128i lowBits = _mm_and_si128(s < 4 ? nibbles : _mm_srli_epi16(nibbles, 4), _mm_set1_epi8(0x0F));
    const __m128i twoBits = load8(high + 16 * (s / 4));
    const int shift = 2 * (s % 4); // to bits 4 and 5, above the low four
    const __m128i highBits = _mm_and_si128(
        shift < 4 ? _mm_slli_epi16(twoBits, 4 - shift) : _mm_srli_epi16(twoBits, shift - 4), _mm_set1_epi8(0x30));
    return _mm_or_si128(lowBits, highBits);
}

// Rows 8 * half .. 8 * half + 7 of one Q4_K group against T tokens.
template <size_t T>
void q4_KHalfTile(const uint8_t* group, size_t half, size_t blocks, const ActivationRow* x, float* out, size_t outStride)
{
    const size_t bytesPerBlock = interleavedGroupBlockBytes(gguf::TensorType::Q4_K);
    const __m256i low = _mm256_set1_epi8(0x0F);
    __m256 acc[T];
#pragma GCC unroll 4
    for (__m256& a : acc)
        a = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const uint8_t* block = group + b * bytesPerBlock;
        // The half's bytes of the 6-bit scales and minimums (sixBits).
        const uint8_t *scaleLow = block + 64 + 8 * half, *scaleHigh = block + 128 + 8 * half;
        const uint8_t *minimumLow = block + 160 + 8 * half, *minimumHigh = block + 224 + 8 * half;
        __m256i totals[T];
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t)
            totals[t] = _mm256_setzero_si256();
        for (int s = 0; s < 8; ++s) {
            // The sub-block's 32 positions of the eight rows, 4 a register (values 0..15).
            __m256i nibbles[8];
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) {
                const __m256i packed = load32(block + 256 + 256 * s + 64 * j + 32 * half);
                nibbles[2 * j] = _mm256_and_si256(packed, low);
                nibbles[2 * j + 1] = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low);
            }
            const __m256i scales = rowScalesTwice(sixBits(scaleLow, scaleHigh, s));
            // A token at a time, so that only one token's products are live: the 8 maddubs summed
            // in int16 (at most 8 * 2 * 15 * 128 = 30720), then one madd by the scales.
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t) {
                const int8_t* q = x[t].quants + 256 * b + 32 * s;
                __m256i products = _mm256_maddubs_epi16(nibbles[0], broadcast4(q));
#pragma GCC unroll 8
                for (int i = 1; i < 8; ++i)
                    products = _mm256_add_epi16(products, _mm256_maddubs_epi16(nibbles[i], broadcast4(q + 4 * i)));
                totals[t] = _mm256_add_epi32(totals[t], _mm256_madd_epi16(products, scales));
            }
        }
        // Each minimum times the sum of its sub-block's 32 activations (two group sums of 16),
        // two sub-blocks a madd: the rows' (min_2k, min_2k+1) against the token's pair of sums.
        __m256i minimums[T];
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t)
            minimums[t] = _mm256_setzero_si256();
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            const __m128i even = sixBits(minimumLow, minimumHigh, 2 * k);
            const __m128i odd = sixBits(minimumLow, minimumHigh, 2 * k + 1);
            const __m256i pairs = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(even, odd));
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t) {
                const int16_t* sums = x[t].groupSums + 16 * b + 4 * k;
                const __m256i pairOfSums = broadcastPair(int16_t(sums[0] + sums[1]), int16_t(sums[2] + sums[3]));
                minimums[t] = _mm256_add_epi32(minimums[t], _mm256_madd_epi16(pairs, pairOfSums));
            }
        }
        const __m256 d = rowHalves(block + 16 * half), dmin = rowHalves(block + 32 + 16 * half);
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t) { // superBlockWithMinimums, lane by lane
            const __m256 scaled = _mm256_sub_ps(_mm256_mul_ps(d, _mm256_cvtepi32_ps(totals[t])),
                                                _mm256_mul_ps(dmin, _mm256_cvtepi32_ps(minimums[t])));
            acc[t] = _mm256_add_ps(acc[t], _mm256_mul_ps(_mm256_set1_ps(x[t].scales[b]), scaled));
        }
    }
#pragma GCC unroll 4
    for (size_t t = 0; t < T; ++t)
        _mm256_storeu_ps(out + t * outStride + 8 * half, acc[t]);
}

// The two high bits of position group g of a Q6_K sub-block (bits 2g, 2g + 1 of each byte)
// moved to bits 4 and 5, above the four low ones.
__m256i highBitsOf(__m256i bits, int g)
{
    const __m256i moved = g < 2 ? _mm256_slli_epi16(bits, 4 - 2 * g) : _mm256_srli_epi16(bits, 2 * g - 4);
    return _mm256_and_si256(moved, _mm256_set1_epi8(0x30));
}

// Rows 8 * half .. 8 * half + 7 of one Q6_K group against T tokens.
template <size_t T>
void q6_KHalfTile(const uint8_t* group, size_t half, size_t blocks, const ActivationRow* x, float* out, size_t outStride)
{
    const size_t bytesPerBlock = interleavedGroupBlockBytes(gguf::TensorType::Q6_K);
    const __m256i low = _mm256_set1_epi8(0x0F);
    __m256 acc[T];
#pragma GCC unroll 4
    for (__m256& a : acc)
        a = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const uint8_t* block = group + b * bytesPerBlock;
        __m256i totals[T];
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t)
            totals[t] = _mm256_setzero_si256();
#pragma GCC unroll 2
        for (int s = 0; s < 16; ++s) {
            const uint8_t* sub = block + 288 + 192 * s;
            const __m256i highBits = load32(sub + 128 + 32 * half);
            const __m256i scales = rowScalesTwice(load8(block + 32 + 16 * s + 8 * half));
#pragma GCC unroll 2
            for (int j = 0; j < 2; ++j) {
                const __m256i packed = load32(sub + 64 * j + 32 * half);
                const __m256i values[2] = {
                    _mm256_or_si256(_mm256_and_si256(packed, low), highBitsOf(highBits, 2 * j)),
                    _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(packed, 4), low), highBitsOf(highBits, 2 * j + 1))};
#pragma GCC unroll 4
                for (size_t t = 0; t < T; ++t) {
                    // Two maddubs summed in int16 (at most 2 * 2 * 63 * 128 = 32256), then scaled.
                    const int8_t* q = x[t].quants + 256 * b + 16 * s + 8 * j;
                    const __m256i products = _mm256_add_epi16(_mm256_maddubs_epi16(values[0], broadcast4(q)),
                                                              _mm256_maddubs_epi16(values[1], broadcast4(q + 4)));
                    totals[t] = _mm256_add_epi32(totals[t], _mm256_madd_epi16(products, scales));
                }
            }
        }
        // The values are stored + 32: take 32 * sum_s scale_s * groupSum_s back out, two
        // sub-blocks a madd: the rows' (scale_2k, scale_2k+1) against the token's two group sums.
        __m256i recentring[T];
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t)
            recentring[t] = _mm256_setzero_si256();
        for (int k = 0; k < 8; ++k) {
            const uint8_t* scales = block + 32 + 32 * k + 8 * half; // sub-block 2k's, then 2k + 1's at + 16
            const __m256i pairs = _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(load8(scales), load8(scales + 16)));
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t)
                recentring[t] =
                    _mm256_add_epi32(recentring[t], _mm256_madd_epi16(pairs, broadcast4(x[t].groupSums + 16 * b + 2 * k)));
        }
        const __m256 d = rowHalves(block + 16 * half);
#pragma GCC unroll 4
        for (size_t t = 0; t < T; ++t) { // superBlock, lane by lane
            const __m256i total = _mm256_sub_epi32(totals[t], _mm256_slli_epi32(recentring[t], 5));
            acc[t] = _mm256_add_ps(acc[t], _mm256_mul_ps(_mm256_mul_ps(d, _mm256_set1_ps(x[t].scales[b])),
                                                         _mm256_cvtepi32_ps(total)));
        }
    }
#pragma GCC unroll 4
    for (size_t t = 0; t < T; ++t)
        _mm256_storeu_ps(out + t * outStride + 8 * half, acc[t]);
}

template <gguf::TensorType type>
void interleaved(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                 size_t outStride)
{
    forEachHalfTile(x, tokens, out, outStride, [&]<size_t T>(size_t half, const QuantizedRows& tile, float* target) {
        halfTile<type, T>(group, half, blocks, tile, target, outStride);
    });
}

} // namespace

void interleavedQ8_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride)
{
    interleaved<gguf::TensorType::Q8_0>(group, blocks, x, tokens, out, outStride);
}

void interleavedQ4_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride)
{
    interleaved<gguf::TensorType::Q4_0>(group, blocks, x, tokens, out, outStride);
}

void interleavedQ5_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride)
{
    interleaved<gguf::TensorType::Q5_0>(group, blocks, x, tokens, out, outStride);
}

void interleavedQ4_K(const uint8_t* group, size_t blocks, const ActivationRow* x, size_t tokens, float* out,
                     size_t outStride)
{
    forEachHalfTile(x, tokens, out, outStride, [&]<size_t T>(size_t half, const ActivationRow* tile, float* target) {
        q4_KHalfTile<T>(group, half, blocks, tile, target, outStride);
    });
}

void interleavedQ6_K(const uint8_t* group, size_t blocks, const ActivationRow* x, size_t tokens, float* out,
                     size_t outStride)
{
    forEachHalfTile(x, tokens, out, outStride, [&]<size_t T>(size_t half, const ActivationRow* tile, float* target) {
        q6_KHalfTile<T>(group, half, blocks, tile, target, outStride);
    });
}

} // namespace latent::cpu::avx2
