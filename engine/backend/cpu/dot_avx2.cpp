// AVX2 + FMA + F16C kernels (Haswell and later, Zen). Compiled with those instructions enabled
// for this file alone; bestKernels() uses them only where the processor has them. The float
// steps are float_sums.h's (a product, then a sum: no fused multiply-adds), so the results are
// the portable kernels' bits.

#include "engine/backend/cpu/dot_blocks_avx2.h"
#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/elementwise_lanes.h"
#include "engine/backend/cpu/float_tiles_avx2.h"
#include "engine/backend/cpu/x86_helpers.h"

#include "engine/core/half.h"

#include <immintrin.h>

#include <cmath>

namespace latent::cpu {
namespace {

void axpyF16(float* y, float a, const uint16_t* x, size_t n)
{
    const __m256 scale = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 values = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)));
        _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i), _mm256_mul_ps(scale, values)));
    }
    for (; i < n; ++i)
        y[i] = y[i] + a * half(x[i]);
}

void quantizeRow(const float* x, int8_t* quants, float* scales, size_t n)
{
    const __m256 signMask = _mm256_set1_ps(-0.0f);
    for (size_t b = 0; b < n / 32; ++b) {
        const float* v = x + b * 32;
        __m256 v0 = _mm256_loadu_ps(v), v1 = _mm256_loadu_ps(v + 8), v2 = _mm256_loadu_ps(v + 16),
               v3 = _mm256_loadu_ps(v + 24);
        const __m256 max8 = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(signMask, v0), _mm256_andnot_ps(signMask, v1)),
                                          _mm256_max_ps(_mm256_andnot_ps(signMask, v2), _mm256_andnot_ps(signMask, v3)));
        const float amax = horizontalMax(max8);
        scales[b] = half(floatToHalf(amax / 127.0f));
        const __m256 scale = _mm256_set1_ps(amax != 0 ? 127.0f / amax : 0.0f); // as the portable quantizeRow
        // cvtps rounds to nearest even, as the portable kernel's nearbyint does.
        const __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(v0, scale));
        const __m256i i1 = _mm256_cvtps_epi32(_mm256_mul_ps(v1, scale));
        const __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(v2, scale));
        const __m256i i3 = _mm256_cvtps_epi32(_mm256_mul_ps(v3, scale));
        // Pack to bytes; packs interleave 128-bit lanes, the permute restores the order.
        __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
        bytes = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_store_si256(reinterpret_cast<__m256i*>(quants + b * 32), bytes);
    }
}

// As the portable quantizeSuperBlocks (llama.cpp's Q8_K): the first value of largest magnitude,
// with its sign, maps to -127; values round to nearest even (cvtps, as nearbyint), at most 127.
void quantizeSuperBlocks(const float* x, int8_t* quants, float* scales, int16_t* sums, size_t n)
{
    const __m256 signMask = _mm256_set1_ps(-0.0f), most = _mm256_set1_ps(127.0f);
    for (size_t b = 0; b < n / 256; ++b) {
        const float* v = x + b * 256;
        int8_t* q = quants + b * 256;
        // The largest magnitude (max_ps returns its second operand where either is NaN: NaN is
        // passed over, as the portable loop's comparison passes it over).
        __m256 largest = _mm256_setzero_ps();
        for (size_t i = 0; i < 256; i += 8)
            largest = _mm256_max_ps(_mm256_andnot_ps(signMask, _mm256_loadu_ps(v + i)), largest);
        const float amax = horizontalMax(largest);
        if (amax == 0) {
            zeroSuperBlock(quants, scales, sums, b);
            continue;
        }
        // The first value of that magnitude, eight comparisons at a time.
        size_t first = 0;
        for (;; first += 8) {
            const __m256 equal = _mm256_cmp_ps(_mm256_andnot_ps(signMask, _mm256_loadu_ps(v + first)),
                                               _mm256_set1_ps(amax), _CMP_EQ_OQ);
            if (const int found = _mm256_movemask_ps(equal)) {
                first += size_t(__builtin_ctz(unsigned(found)));
                break;
            }
        }
        const float inverse = -127.0f / v[first];
        const __m256 scale = _mm256_set1_ps(inverse);
        for (size_t i = 0; i < 256; i += 32) {
            __m256i rounded[4];
            for (size_t k = 0; k < 4; ++k) {
                // min(127, x) with 127 where x is NaN, as std::min(127.0f, x).
                const __m256 scaled = _mm256_round_ps(_mm256_mul_ps(scale, _mm256_loadu_ps(v + i + 8 * k)),
                                                      _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
                rounded[k] = _mm256_cvtps_epi32(_mm256_min_ps(scaled, most));
            }
            // Pack to bytes; packs interleave 128-bit lanes, the permute restores the order.
            __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(rounded[0], rounded[1]),
                                               _mm256_packs_epi32(rounded[2], rounded[3]));
            bytes = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + i), bytes);
            // Each 16's sum: the bytes widened to 16 bits, then added pairwise to one per group.
            for (size_t half = 0; half < 2; ++half) {
                const __m256i wide = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q + i + 16 * half)));
                __m128i sum8 = _mm_add_epi16(_mm256_castsi256_si128(wide), _mm256_extracti128_si256(wide, 1));
                sum8 = _mm_add_epi16(sum8, _mm_unpackhi_epi64(sum8, sum8));
                sum8 = _mm_add_epi16(sum8, _mm_shufflelo_epi16(sum8, 0x4E));
                sum8 = _mm_add_epi16(sum8, _mm_shufflelo_epi16(sum8, 0xB1));
                sums[b * 16 + i / 16 + half] = int16_t(_mm_extract_epi16(sum8, 0));
            }
        }
        scales[b] = 1.0f / inverse;
    }
}

DotKernels makeTable()
{
    DotKernels table{.name = "avx2",
                     .f32 = floatRowsInTiles<avx2::FloatTiles, F32Values>,
                     .f16 = floatRowsInTiles<avx2::FloatTiles, F16Values>,
                     .bf16 = floatRowsInTiles<avx2::FloatTiles, Bf16Values>,
                     .axpyF16 = axpyF16,
                     .attentionScoresF16 = avx2::attentionScoresF16,
                     .attentionValuesF16 = avx2::attentionValuesF16,
                     .softmaxExponentials = lanes::softmaxExponentials,
                     .attentionWeights = attentionWeights,
                     .swiglu = lanes::swiglu,
                     .toHalf = lanes::toHalf,
                     .roundToHalf = lanes::roundToHalf,
                     .quantizeRow = quantizeRow,
                     .quantizeSuperBlocks = quantizeSuperBlocks,
                     .q8_0Interleaved = avx2::interleavedQ8_0,
                     .q4_0Interleaved = avx2::interleavedQ4_0,
                     .q5_0Interleaved = avx2::interleavedQ5_0,
                     .q4_KInterleaved = avx2::interleavedQ4_K,
                     .q6_KInterleaved = avx2::interleavedQ6_K};
    avx2::addBlockKernels(table);
    return table;
}

} // namespace

const DotKernels* avx2Kernels()
{
    static const DotKernels kTable = makeTable();
    return &kTable;
}

} // namespace latent::cpu
