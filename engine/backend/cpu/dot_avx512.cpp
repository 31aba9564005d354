// AVX-512 kernels (Ice Lake, Zen 4 and later): the integer products use VNNI's dpbusd, one
// instruction for what AVX2 needs three, on 256-bit registers (AVX512VL), where Zen 4 runs
// them at full rate. The float kernels are AVX2's.

#include "engine/backend/cpu/dot_kernels.h"

#include <immintrin.h>

namespace latent::cpu {
namespace {

using quant::BlockQ4_0;
using quant::BlockQ8_0;

inline float half(uint16_t h)
{
    return _cvtsh_ss(h);
}

float horizontalSum(__m256 v)
{
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

inline __m256i weightBytes(const BlockQ8_0& w)
{
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.q));
}

inline __m256i weightBytes(const BlockQ4_0& w)
{
    const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w.q));
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
    return _mm256_sub_epi8(_mm256_and_si256(both, _mm256_set1_epi8(0x0F)), _mm256_set1_epi8(8));
}

// 8 lanes of sums of products of signed bytes: dpbusd wants one unsigned operand, so |w| meets
// x carrying w's sign.
inline __m256 dotBytes(__m256i absW, __m256i w, __m256i x)
{
    return _mm256_cvtepi32_ps(_mm256_dpbusd_epi32(_mm256_setzero_si256(), absW, _mm256_sign_epi8(x, w)));
}

inline __m256i activationBytes(const int8_t* quants)
{
    return _mm256_load_si256(reinterpret_cast<const __m256i*>(quants)); // 32-byte aligned
}

template <typename Block>
float dotQuantized(const Block* w, const int8_t* xq, const float* xs, size_t blocks)
{
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i qw = weightBytes(w[b]);
        const __m256 scale = _mm256_set1_ps(half(w[b].d) * xs[b]);
        acc = _mm256_fmadd_ps(scale, dotBytes(_mm256_abs_epi8(qw), qw, activationBytes(xq + b * 32)), acc);
    }
    return horizontalSum(acc);
}

template <typename Block>
void dotTimesFour(const Block* w, const QuantizedRows& x, size_t blocks, float out[4])
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(),
           acc3 = _mm256_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const __m256i qw = weightBytes(w[b]);
        const __m256i absW = _mm256_abs_epi8(qw);
        const float dw = half(w[b].d);
        const auto product = [&](size_t t, __m256 acc) {
            const __m256 sums = dotBytes(absW, qw, activationBytes(x.quantsOf(t, b)));
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

DotKernels makeTable()
{
    DotKernels table = *avx2Kernels(); // float kernels and the quantizer
    table.name = "avx512";
    table.q8_0 = dotQuantized<BlockQ8_0>;
    table.q4_0 = dotQuantized<BlockQ4_0>;
    table.q8_0x4 = dotTimesFour<BlockQ8_0>;
    table.q4_0x4 = dotTimesFour<BlockQ4_0>;
    return table;
}

} // namespace

const DotKernels* avx512Kernels()
{
    static const DotKernels kTable = makeTable();
    return &kTable;
}

} // namespace latent::cpu
