// AVX2 kernels of the quantized block types. Each unpacks 32 weights at a time to bytes and
// multiplies them with 32 activation quants (maddubs into int16 pairs, then madd into eight int32
// lanes, with the sub-block's scale as the multiplier where it has one). The float steps after
// the integer sums are float_sums.h's, in its order: a block's lanes are summed as integers, and
// eight blocks' (or eight rows') totals share a vector for the float steps.

#include "engine/backend/cpu/dot_blocks_avx2.h"
#include "engine/backend/cpu/float_sums.h"
#include "engine/backend/cpu/x86_helpers.h"

#include "engine/core/half.h"

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
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

// A super-block's sub-block scales as int16 lanes, read once per block, then what the madd of
// each 32-value step multiplies by, one shuffle each: for 16-value sub-blocks, two scales (bytes
// 0-15 and 16-31 of the step); for 32-value ones, one.
struct SixteenScales {
    __m256i low, high; // scales 0..7 and 8..15, in both 128-bit halves

    explicit SixteenScales(__m128i scales) // 16 signed bytes
        : low(_mm256_broadcastsi128_si256(_mm_cvtepi8_epi16(scales))),
          high(_mm256_broadcastsi128_si256(_mm_cvtepi8_epi16(_mm_srli_si128(scales, 8))))
    {
    }

    // Sub-blocks 2k and 2k + 1 (k = 0..7).
    __m256i pair(int k) const
    {
        const int first = 4 * (k % 4), second = first + 2;
        const __m256i select = _mm256_setr_m128i(_mm_set1_epi16(short(((first + 1) << 8) | first)),
                                                 _mm_set1_epi16(short(((second + 1) << 8) | second)));
        return _mm256_shuffle_epi8(k < 4 ? low : high, select);
    }
};

struct EightScales {
    __m256i lanes; // scales 0..7, in both 128-bit halves

    explicit EightScales(__m128i scales) // 8 int16
        : lanes(_mm256_broadcastsi128_si256(scales))
    {
    }

    __m256i one(int j) const { return _mm256_shuffle_epi8(lanes, _mm256_set1_epi16(short(((2 * j + 1) << 8) | (2 * j)))); }
};

__m128i load16(const void* p)
{
    return _mm_loadu_si128(static_cast<const __m128i*>(p));
}

} // namespace

namespace {

// A block's 32 weights as bytes: signed, or unsigned (0..31) for the types with a minimum.
__m256i weights(const BlockQ8_0& b) { return load32(b.q); }
__m256i weights(const BlockQ4_0& b) { return _mm256_sub_epi8(nibbles(b.q), _mm256_set1_epi8(8)); }
__m256i weights(const BlockQ5_0& b) { return _mm256_sub_epi8(fiveBitValues(b.q, b.qh), _mm256_set1_epi8(16)); }
__m256i weights(const BlockIq4Nl& b) { return iq4Values(nibbles(b.q)); }
__m256i weights(const BlockQ4_1& b) { return nibbles(b.q); }
__m256i weights(const BlockQ5_1& b) { return fiveBitValues(b.q, b.qh); }

template <typename Block>
constexpr bool hasMinimum = requires(const Block& b) { b.m; };

// Eight rows' products (eight int32 lanes each) to one vector whose lane r is row r's total, in
// two steps: rows 2p and 2p + 1 summed pairwise as soon as both are made (pairs[p], within 128-bit
// halves), which keeps the live registers few; then the four pairs.
__m256i rowPair(__m256i even, __m256i odd)
{
    return _mm256_hadd_epi32(even, odd);
}

__m256i rowTotals(const __m256i pairs[4])
{
    const __m256i first = _mm256_hadd_epi32(pairs[0], pairs[1]);
    const __m256i second = _mm256_hadd_epi32(pairs[2], pairs[3]);
    return _mm256_add_epi32(_mm256_permute2x128_si256(first, second, 0x20),
                            _mm256_permute2x128_si256(first, second, 0x31));
}

// The eight rows a kernel call works on: the call's rows, the last one repeated past its count
// (their lanes are computed and dropped).
template <typename Block>
struct EightRows {
    const Block* row[8];

    explicit EightRows(const WeightRows& w)
    {
        for (size_t r = 0; r < 8; ++r)
            row[r] = reinterpret_cast<const Block*>(w.row(std::min(r, w.count - 1)));
    }

    // The fp16 field at byte `field` of block b, of the eight rows, as floats.
    template <size_t field>
    __m256 halves(size_t b) const
    {
        const auto at = [&](int r) {
            uint16_t h;
            std::memcpy(&h, reinterpret_cast<const uint8_t*>(row[r] + b) + field, 2);
            return short(h);
        };
        return _mm256_cvtph_ps(_mm_setr_epi16(at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)));
    }
};

// Each super-block type's integer sums of one row's block b against `tokens` activation rows:
// sums[t] in eight int32 lanes, with the sub-blocks' scales applied; and, for the types with
// minimums, the minimums' integer share minimums[t].

template <size_t tokens>
[[gnu::always_inline]] inline void superBlockSums(const BlockQ2_K& w, const ActivationRow* x, size_t b, __m256i sums[tokens], int32_t minimums[tokens])
{
    const SixteenScales stepScales(_mm_and_si128(load16(w.scales), _mm_set1_epi8(0x0F)));
    for (size_t t = 0; t < tokens; ++t)
        sums[t] = _mm256_setzero_si256();
#pragma GCC unroll 2
    for (int upper = 0; upper < 2; ++upper) {
        const __m256i bits = load32(w.qs + upper * 32);
#pragma GCC unroll 4
        for (int shift = 0; shift < 4; ++shift) {
            const __m256i values = _mm256_and_si256(_mm256_srli_epi16(bits, 2 * shift), _mm256_set1_epi8(3));
            const __m256i scales = stepScales.pair(upper * 4 + shift);
            for (size_t t = 0; t < tokens; ++t)
                sums[t] = _mm256_add_epi32(
                    sums[t], scaledProductSumsUnsigned(values, load32(x[t].quants + b * 256 + upper * 128 + shift * 32), scales));
        }
    }
    // Each sub-block's minimum (the high nibble of its scale byte) times its activations' sum.
    const __m256i minimumLanes = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(load16(w.scales), 4), _mm_set1_epi8(0x0F)));
    for (size_t t = 0; t < tokens; ++t)
        minimums[t] = horizontalSumInt(_mm256_madd_epi16(minimumLanes, load32(x[t].groupSums + b * 16)));
}

template <size_t tokens>
[[gnu::always_inline]] inline void superBlockSums(const BlockQ3_K& w, const ActivationRow* x, size_t b, __m256i sums[tokens], int32_t*)
{
    const SixteenScales stepScales(q3KScaleBytes(w.scales));
    for (size_t t = 0; t < tokens; ++t)
        sums[t] = _mm256_setzero_si256();
    const __m256i highMask = load32(w.hmask);
#pragma GCC unroll 2
    for (int upper = 0; upper < 2; ++upper) {
        const __m256i bits = load32(w.qs + upper * 32);
#pragma GCC unroll 4
        for (int shift = 0; shift < 4; ++shift) {
            const int k = upper * 4 + shift; // the 32-value step; its high bit is bit k of hmask
            const __m256i low = _mm256_and_si256(_mm256_srli_epi16(bits, 2 * shift), _mm256_set1_epi8(3));
            const __m256i highSet = _mm256_cmpeq_epi8(_mm256_and_si256(highMask, _mm256_set1_epi8(char(1 << k))),
                                                      _mm256_set1_epi8(char(1 << k)));
            // low - 4 where the high bit is clear
            const __m256i values = _mm256_sub_epi8(low, _mm256_andnot_si256(highSet, _mm256_set1_epi8(4)));
            const __m256i stepScale = stepScales.pair(k);
            for (size_t t = 0; t < tokens; ++t)
                sums[t] = _mm256_add_epi32(sums[t],
                                           scaledProductSums(values, load32(x[t].quants + b * 256 + k * 32), stepScale));
        }
    }
}

// Q4_K and Q5_K: 8 sub-blocks of 32 with a scale and a minimum each; Q5_K's fifth bits in qh.
template <size_t tokens, typename Block>
[[gnu::always_inline]] inline void q4Q5KSums(const Block& w, const uint8_t* fifthBits, const ActivationRow* x, size_t b, __m256i sums[tokens],
               int32_t minimums[tokens])
{
    const KQuantScales unpacked(w.scales);
    const EightScales stepScales(_mm_cvtepu8_epi16(_mm_cvtsi64_si128(int64_t(unpacked.scales))));
    const __m128i minimumLanes = _mm_cvtepu8_epi16(_mm_cvtsi64_si128(int64_t(unpacked.minimums)));
    for (size_t t = 0; t < tokens; ++t)
        sums[t] = _mm256_setzero_si256();
    const __m256i high = fifthBits ? load32(fifthBits) : _mm256_setzero_si256();
#pragma GCC unroll 4
    for (int pair = 0; pair < 4; ++pair) {
        const __m256i packed = load32(w.qs + pair * 32);
        __m256i low = _mm256_and_si256(packed, _mm256_set1_epi8(0x0F));
        __m256i upper = _mm256_and_si256(_mm256_srli_epi16(packed, 4), _mm256_set1_epi8(0x0F));
        if (fifthBits) {
            const __m256i bits = _mm256_srli_epi16(high, 2 * pair);
            low = _mm256_or_si256(low, _mm256_slli_epi16(_mm256_and_si256(bits, _mm256_set1_epi8(1)), 4));
            upper = _mm256_or_si256(upper, _mm256_slli_epi16(_mm256_and_si256(bits, _mm256_set1_epi8(2)), 3));
        }
        const __m256i lowScales = stepScales.one(2 * pair), upperScales = stepScales.one(2 * pair + 1);
        for (size_t t = 0; t < tokens; ++t) {
            const int8_t* q = x[t].quants + b * 256 + pair * 64;
            sums[t] = _mm256_add_epi32(sums[t], _mm256_add_epi32(scaledProductSumsUnsigned(low, load32(q), lowScales),
                                                                 scaledProductSumsUnsigned(upper, load32(q + 32), upperScales)));
        }
    }
    // Each minimum times the sum of its 32 activations (two group sums of 16).
    for (size_t t = 0; t < tokens; ++t) {
        const int16_t* groupSums = x[t].groupSums + b * 16;
        const __m128i pairSums = _mm_hadd_epi16(load16(groupSums), load16(groupSums + 8));
        minimums[t] = horizontalSumInt(_mm_madd_epi16(minimumLanes, pairSums));
    }
}

template <size_t tokens>
[[gnu::always_inline]] inline void superBlockSums(const BlockQ4_K& w, const ActivationRow* x, size_t b, __m256i sums[tokens], int32_t minimums[tokens])
{
    q4Q5KSums<tokens>(w, nullptr, x, b, sums, minimums);
}

template <size_t tokens>
[[gnu::always_inline]] inline void superBlockSums(const BlockQ5_K& w, const ActivationRow* x, size_t b, __m256i sums[tokens], int32_t minimums[tokens])
{
    q4Q5KSums<tokens>(w, w.qh, x, b, sums, minimums);
}

// Q6_K: 16 sub-blocks of 16 with int8 scales; values (4 low bits | 2 high bits) - 32.
template <size_t tokens>
[[gnu::always_inline]] inline void superBlockSums(const BlockQ6_K& w, const ActivationRow* x, size_t b, __m256i sums[tokens], int32_t*)
{
    const SixteenScales stepScales(load16(w.scales));
    for (size_t t = 0; t < tokens; ++t)
        sums[t] = _mm256_setzero_si256();
#pragma GCC unroll 2
    for (int upper = 0; upper < 2; ++upper) {
        const __m256i low0 = load32(w.ql + upper * 64), low1 = load32(w.ql + upper * 64 + 32);
        const __m256i high = load32(w.qh + upper * 32);
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            const __m256i lowBytes = k % 2 == 0 ? low0 : low1;
            const __m256i lowBits =
                _mm256_and_si256(k < 2 ? lowBytes : _mm256_srli_epi16(lowBytes, 4), _mm256_set1_epi8(0x0F));
            const __m256i highBits = _mm256_and_si256(_mm256_srli_epi16(high, 2 * k), _mm256_set1_epi8(3));
            const __m256i values =
                _mm256_sub_epi8(_mm256_or_si256(lowBits, _mm256_slli_epi16(highBits, 4)), _mm256_set1_epi8(32));
            const __m256i scales = stepScales.pair(upper * 4 + k);
            for (size_t t = 0; t < tokens; ++t)
                sums[t] = _mm256_add_epi32(
                    sums[t], scaledProductSums(values, load32(x[t].quants + b * 256 + upper * 128 + k * 32), scales));
        }
    }
}

template <size_t tokens>
[[gnu::always_inline]] inline void superBlockSums(const BlockIq4Xs& w, const ActivationRow* x, size_t b, __m256i sums[tokens], int32_t*)
{
    for (size_t t = 0; t < tokens; ++t)
        sums[t] = _mm256_setzero_si256();
    // Two sub-blocks a load: the low nibbles hold values 0..15 of each, the high ones 16..31.
#pragma GCC unroll 4
    for (int j = 0; j < 8; j += 2) {
        const __m256i packed = load32(w.qs + j * 16);
        const __m256i low = iq4Values(_mm256_and_si256(packed, _mm256_set1_epi8(0x0F)));
        const __m256i high = iq4Values(_mm256_and_si256(_mm256_srli_epi16(packed, 4), _mm256_set1_epi8(0x0F)));
        const __m256i first = _mm256_permute2x128_si256(low, high, 0x20), second = _mm256_permute2x128_si256(low, high, 0x31);
        const __m256i firstScales = _mm256_set1_epi16(short(iq4XsScale(w, j)));
        const __m256i secondScales = _mm256_set1_epi16(short(iq4XsScale(w, j + 1)));
        for (size_t t = 0; t < tokens; ++t) {
            const int8_t* q = x[t].quants + b * 256 + j * 32;
            sums[t] = _mm256_add_epi32(sums[t], _mm256_add_epi32(scaledProductSums(first, load32(q), firstScales),
                                                                 scaledProductSums(second, load32(q + 32), secondScales)));
        }
    }
}

template <typename Block>
constexpr bool hasMinimums = requires(const Block& b) { b.dmin; };

template <typename Block>
constexpr bool isSuperBlock = requires(const Block& b, const ActivationRow* x, __m256i* sums, int32_t* minimums) {
    superBlockSums<1>(b, x, 0, sums, minimums);
};

// The fp16 field at byte `field` of blocks first[0..7] as floats (past count, the last block again).
template <typename Block, size_t field>
__m256 blockHalves(const Block* first, size_t count)
{
    const auto at = [&](size_t j) {
        uint16_t h;
        std::memcpy(&h, reinterpret_cast<const uint8_t*>(first + std::min(j, count - 1)) + field, 2);
        return short(h);
    };
    return _mm256_cvtph_ps(_mm_setr_epi16(at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)));
}

// values[0..count) and zeros.
__m256 loadFirst(const float* values, size_t count)
{
    return _mm256_maskload_ps(values, _mm256_cmpgt_epi32(_mm256_set1_epi32(int(count)),
                                                         _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
}

// 32-value blocks: one row against `tokens` activation rows, eight blocks at a time, block b0 + j
// in lane j of the vectors of totals and terms; the terms then summed in pairs, which are added to
// the row's sum in order (float_sums.h). Each block is unpacked once for all the tokens, and rows
// are read one after another, as they lie in memory, the order the hardware prefetcher streams
// best.
template <typename Block, size_t tokens>
void rowTokens(const Block* row, const ActivationRow* x, size_t blocks, float* out, size_t outStride)
{
    const auto products = [](__m256i w, __m256i xq) {
        if constexpr (hasMinimum<Block>)
            return productSumsUnsigned(w, xq);
        else
            return productSums(w, xq);
    };
    float sum[tokens] = {};
    for (size_t b0 = 0; b0 < blocks; b0 += 8) {
        const size_t n = std::min<size_t>(8, blocks - b0);
        __m256i pairs[tokens][4];
#pragma GCC unroll 4
        for (size_t p = 0; p < 4; ++p) {
            const size_t even = b0 + 2 * p, odd = even + 1;
            // Blocks past the row's end give zero totals and terms, which leave the sum as it is.
            const __m256i evenWeights = 2 * p < n ? weights(row[even]) : _mm256_setzero_si256();
            const __m256i oddWeights = 2 * p + 1 < n ? weights(row[odd]) : _mm256_setzero_si256();
            for (size_t t = 0; t < tokens; ++t) {
                const int8_t* q = x[t].quants;
                pairs[t][p] = rowPair(products(evenWeights, load32(q + std::min(even, blocks - 1) * 32)),
                                      products(oddWeights, load32(q + std::min(odd, blocks - 1) * 32)));
            }
        }
        const __m256 d = blockHalves<Block, offsetof(Block, d)>(row + b0, n);
        for (size_t t = 0; t < tokens; ++t) {
            const __m256 totals = _mm256_cvtepi32_ps(rowTotals(pairs[t]));
            __m256 terms = _mm256_mul_ps(totals, _mm256_mul_ps(d, loadFirst(x[t].scales + b0, n)));
            if constexpr (hasMinimum<Block>)
                terms = _mm256_add_ps(terms, _mm256_mul_ps(blockHalves<Block, offsetof(Block, m)>(row + b0, n),
                                                           loadFirst(x[t].blockSums + b0, n)));
            // Lanes 0, 1, 4, 5: blocks 0+1, 2+3, 4+5, 6+7.
            alignas(32) float pairTerms[8];
            _mm256_store_ps(pairTerms, _mm256_hadd_ps(terms, terms));
            sum[t] = sum[t] + pairTerms[0];
            sum[t] = sum[t] + pairTerms[1];
            sum[t] = sum[t] + pairTerms[4];
            sum[t] = sum[t] + pairTerms[5];
        }
    }
    for (size_t t = 0; t < tokens; ++t)
        out[t * outStride] = sum[t];
}

// Eight rows of super-blocks against `tokens` activation rows (prompts): each row's integer sums,
// the eight rows' totals in one vector, then the float steps of float_sums.h lane by lane.
template <typename Block, size_t tokens>
void superRowsTile(const EightRows<Block>& rows, const ActivationRow* x, size_t blocks, __m256 acc[tokens])
{
    for (size_t b = 0; b < blocks; ++b) {
        __m256i pairs[tokens][4];
        alignas(32) int32_t minimums[tokens][8];
        for (int p = 0; p < 4; ++p) {
            __m256i even[tokens], odd[tokens];
            int32_t evenMinimums[tokens], oddMinimums[tokens];
            superBlockSums<tokens>(rows.row[2 * p][b], x, b, even, evenMinimums);
            superBlockSums<tokens>(rows.row[2 * p + 1][b], x, b, odd, oddMinimums);
            for (size_t t = 0; t < tokens; ++t) {
                pairs[t][p] = rowPair(even[t], odd[t]);
                if constexpr (hasMinimums<Block>) {
                    minimums[t][2 * p] = evenMinimums[t];
                    minimums[t][2 * p + 1] = oddMinimums[t];
                }
            }
        }
        const __m256 d = rows.template halves<offsetof(Block, d)>(b);
        for (size_t t = 0; t < tokens; ++t) {
            const __m256 totals = _mm256_cvtepi32_ps(rowTotals(pairs[t]));
            const __m256 xScale = _mm256_set1_ps(x[t].scales[b]);
            if constexpr (hasMinimums<Block>) {
                const __m256 mins = _mm256_cvtepi32_ps(_mm256_load_si256(reinterpret_cast<const __m256i*>(minimums[t])));
                const __m256 dmin = rows.template halves<offsetof(Block, dmin)>(b);
                acc[t] = _mm256_add_ps(
                    acc[t], _mm256_mul_ps(xScale, _mm256_sub_ps(_mm256_mul_ps(d, totals), _mm256_mul_ps(dmin, mins))));
            } else {
                acc[t] = _mm256_add_ps(acc[t], _mm256_mul_ps(_mm256_mul_ps(d, xScale), totals));
            }
        }
    }
}

// Super-blocks against one token (generation): row after row, as they lie in memory. Eight
// super-blocks of a row at a time have their integer totals gathered into one vector's lanes and
// their float steps taken together; the terms are then added to the row's sum one by one, in
// order (float_sums.h).
template <typename Block>
void superRowsOneToken(const WeightRows& w, const ActivationRow& x, float* out)
{
    for (size_t r = 0; r < w.count; ++r) {
        const auto* row = reinterpret_cast<const Block*>(w.row(r));
        float sum = 0;
        for (size_t b0 = 0; b0 < w.blocks; b0 += 8) {
            const size_t n = std::min<size_t>(8, w.blocks - b0);
            __m256i pairs[4];
            int32_t minimums[8] = {};
            for (size_t p = 0; p < 4; ++p) {
                __m256i even = _mm256_setzero_si256(), odd = _mm256_setzero_si256();
                if (2 * p < n)
                    superBlockSums<1>(row[b0 + 2 * p], &x, b0 + 2 * p, &even, &minimums[2 * p]);
                if (2 * p + 1 < n)
                    superBlockSums<1>(row[b0 + 2 * p + 1], &x, b0 + 2 * p + 1, &odd, &minimums[2 * p + 1]);
                pairs[p] = rowPair(even, odd);
            }
            const __m256 totals = _mm256_cvtepi32_ps(rowTotals(pairs));
            const __m256 d = blockHalves<Block, offsetof(Block, d)>(row + b0, n);
            const __m256 xScale = loadFirst(x.scales + b0, n);
            __m256 terms;
            if constexpr (hasMinimums<Block>) {
                const __m256 mins = _mm256_cvtepi32_ps(_mm256_setr_epi32(minimums[0], minimums[1], minimums[2], minimums[3],
                                                                         minimums[4], minimums[5], minimums[6], minimums[7]));
                terms = _mm256_mul_ps(xScale, _mm256_sub_ps(_mm256_mul_ps(d, totals),
                                                            _mm256_mul_ps(blockHalves<Block, offsetof(Block, dmin)>(row + b0, n), mins)));
            } else {
                terms = _mm256_mul_ps(_mm256_mul_ps(d, xScale), totals);
            }
            alignas(32) float term[8];
            _mm256_store_ps(term, terms);
            for (size_t j = 0; j < n; ++j)
                sum = sum + term[j];
        }
        out[r] = sum;
    }
}

// Any number of rows (w.count <= 8) against any number of tokens, four at a time.
template <typename Block>
void dotRows(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out, size_t outStride)
{
    constexpr size_t kTile = 4;
    if constexpr (!isSuperBlock<Block>) {
        for (size_t r = 0; r < w.count; ++r) {
            const auto* row = reinterpret_cast<const Block*>(w.row(r));
            for (size_t t0 = 0; t0 < tokens; t0 += kTile) {
                float* target = out + t0 * outStride + r;
                switch (std::min(kTile, tokens - t0)) {
                case 1: rowTokens<Block, 1>(row, x + t0, w.blocks, target, outStride); break;
                case 2: rowTokens<Block, 2>(row, x + t0, w.blocks, target, outStride); break;
                case 3: rowTokens<Block, 3>(row, x + t0, w.blocks, target, outStride); break;
                default: rowTokens<Block, 4>(row, x + t0, w.blocks, target, outStride); break;
                }
            }
        }
    } else if (tokens == 1) {
        superRowsOneToken<Block>(w, *x, out);
    } else {
        const EightRows<Block> rows(w);
        for (size_t t0 = 0; t0 < tokens; t0 += kTile) {
            const size_t n = std::min(kTile, tokens - t0);
            __m256 acc[kTile];
            for (__m256& a : acc)
                a = _mm256_setzero_ps();
            switch (n) {
            case 1: superRowsTile<Block, 1>(rows, x + t0, w.blocks, acc); break;
            case 2: superRowsTile<Block, 2>(rows, x + t0, w.blocks, acc); break;
            case 3: superRowsTile<Block, 3>(rows, x + t0, w.blocks, acc); break;
            default: superRowsTile<Block, 4>(rows, x + t0, w.blocks, acc); break;
            }
            for (size_t t = 0; t < n; ++t) {
                float* target = out + (t0 + t) * outStride;
                if (w.count == 8) {
                    _mm256_storeu_ps(target, acc[t]);
                } else {
                    alignas(32) float lanes[8];
                    _mm256_store_ps(lanes, acc[t]);
                    std::copy_n(lanes, w.count, target);
                }
            }
        }
    }
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

} // namespace latent::cpu::avx2
