// AVX2 + FMA + F16C kernels (Haswell and later, Zen). Compiled with those instructions enabled
// for this file alone; bestKernels() uses them only where the processor has them.

#include "engine/backend/cpu/dot_blocks_avx2.h"
#include "engine/backend/cpu/dot_blocks_portable.h"
#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/x86_helpers.h"

#include "engine/core/half.h"

#include <immintrin.h>

#include <cmath>

namespace latent::cpu {
namespace {

using quant::BlockQ4_0;
using quant::BlockQ8_0;

// Sum of the products of 32 signed bytes pairs, as 8 int32 lanes converted to float.
__m256 dotBytes(__m256i a, __m256i b)
{
    // maddubs wants one unsigned operand: |a| times b carrying a's sign.
    const __m256i products = _mm256_maddubs_epi16(_mm256_sign_epi8(a, a), _mm256_sign_epi8(b, a));
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(products, _mm256_set1_epi16(1)));
}

// The sum of w[i] * x[i] over the first n - n % 8 values, load(i) giving w[i..i+8) as floats.
template <typename LoadWeights>
float dotVectorPart(const float* x, size_t n, LoadWeights load)
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(),
           acc3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm256_fmadd_ps(load(i), _mm256_loadu_ps(x + i), acc0);
        acc1 = _mm256_fmadd_ps(load(i + 8), _mm256_loadu_ps(x + i + 8), acc1);
        acc2 = _mm256_fmadd_ps(load(i + 16), _mm256_loadu_ps(x + i + 16), acc2);
        acc3 = _mm256_fmadd_ps(load(i + 24), _mm256_loadu_ps(x + i + 24), acc3);
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_fmadd_ps(load(i), _mm256_loadu_ps(x + i), acc0);
    return horizontalSum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
}

float dotF32(const float* w, const float* x, size_t n)
{
    float sum = dotVectorPart(x, n, [w](size_t i) { return _mm256_loadu_ps(w + i); });
    for (size_t i = n & ~size_t(7); i < n; ++i)
        sum += w[i] * x[i];
    return sum;
}

float dotF16(const uint16_t* w, const float* x, size_t n)
{
    float sum = dotVectorPart(x, n, [w](size_t i) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
    });
    for (size_t i = n & ~size_t(7); i < n; ++i)
        sum += halfToFloat(w[i]) * x[i];
    return sum;
}

float dotBf16(const uint16_t* w, const float* x, size_t n)
{
    float sum = dotVectorPart(x, n, [w](size_t i) {
        const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
    });
    for (size_t i = n & ~size_t(7); i < n; ++i)
        sum += bf16ToFloat(w[i]) * x[i];
    return sum;
}

void axpyF16(float* y, float a, const uint16_t* x, size_t n)
{
    const __m256 scale = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 values = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i)));
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(scale, values, _mm256_loadu_ps(y + i)));
    }
    for (; i < n; ++i)
        y[i] += a * half(x[i]);
}

template <typename Block>
float dotQuantized(const Block* w, const int8_t* xq, const float* xs, size_t blocks)
{
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const __m256 scale = _mm256_set1_ps(half(w[b].d) * xs[b]);
        acc = _mm256_fmadd_ps(scale, dotBytes(weightBytes(w[b]), activationBytes(xq + b * 32)), acc);
    }
    return horizontalSum(acc);
}

void quantizeRow(const float* x, int8_t* quants, float* scales, size_t n)
{
    const __m256 signMask = _mm256_set1_ps(-0.0f);
    for (size_t b = 0; b < n / 32; ++b) {
        const float* v = x + b * 32;
        __m256 v0 = _mm256_loadu_ps(v), v1 = _mm256_loadu_ps(v + 8), v2 = _mm256_loadu_ps(v + 16),
               v3 = _mm256_loadu_ps(v + 24);
        __m256 amax = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(signMask, v0), _mm256_andnot_ps(signMask, v1)),
                                    _mm256_max_ps(_mm256_andnot_ps(signMask, v2), _mm256_andnot_ps(signMask, v3)));
        __m128 max4 = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        max4 = _mm_max_ps(max4, _mm_movehl_ps(max4, max4));
        max4 = _mm_max_ss(max4, _mm_movehdup_ps(max4));
        const float d = _mm_cvtss_f32(max4) / 127.0f;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        scales[b] = half(floatToHalf(d));
        const __m256 scale = _mm256_set1_ps(id);
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

template <typename Block>
void dotTimesFour(const Block* w, const QuantizedRows& x, size_t blocks, float out[4])
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(),
           acc3 = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i qw = weightBytes(w[b]);
        const __m256i absW = _mm256_sign_epi8(qw, qw); // the unsigned operand, shared by the four
        const float dw = half(w[b].d);
        const auto product = [&](size_t t, __m256 acc) {
            const __m256i pairs = _mm256_maddubs_epi16(absW, _mm256_sign_epi8(activationBytes(x.quantsOf(t, b)), qw));
            const __m256 sums = _mm256_cvtepi32_ps(_mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
            return _mm256_fmadd_ps(_mm256_set1_ps(dw * *x.scalesOf(t, b)), sums, acc);
        };
        acc0 = product(0, acc0);
        acc1 = product(1, acc1);
        acc2 = product(2, acc2);
        acc3 = product(3, acc3);
    }
    out[0] = horizontalSum(acc0);
    out[1] = horizontalSum(acc1);
    out[2] = horizontalSum(acc2);
    out[3] = horizontalSum(acc3);
}

constexpr DotKernels kAvx2{"avx2",
                           dotF32,
                           dotF16,
                           dotBf16,
                           axpyF16,
                           quantizeRow,
                           dotQuantized<BlockQ8_0>,
                           dotQuantized<BlockQ4_0>,
                           dotTimesFour<BlockQ8_0>,
                           dotTimesFour<BlockQ4_0>,
                           nullptr,
                           nullptr,
                           portable::quantizeSuperBlocks,
                           avx2::dotQ4_1,
                           avx2::dotQ5_0,
                           avx2::dotQ5_1,
                           avx2::dotIq4Nl,
                           avx2::dotQ2_K,
                           avx2::dotQ3_K,
                           avx2::dotQ4_K,
                           avx2::dotQ5_K,
                           avx2::dotQ6_K,
                           avx2::dotIq4Xs,
                           avx2::dotQ5_0x4,
                           avx2::dotQ4_Kx4,
                           avx2::dotQ5_Kx4,
                           avx2::dotQ6_Kx4};

} // namespace

const DotKernels* avx2Kernels()
{
    return &kAvx2;
}

} // namespace latent::cpu
