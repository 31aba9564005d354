// AVX2 kernels of the interleaved groups (interleave.h: 16 rows, block by block, 4 positions of
// every row side by side): each 32-bit lane is one row all the way, as in the AVX-512 kernels, so
// a block's integer totals need no reduction across lanes. Without VNNI the products take
// maddubs, which wants one unsigned operand: Q4_0's nibbles are (q + 8 comes back out as
// 8 * sum(x)); Q8_0's weights, stored as q + 128, are made signed again and meet the
// activations with their signs (|w| * sign(x, w)). Eight rows (a register) at a time, up to four
// tokens, in float_sums.h's order: each block's term, blocks two at a time.

#include "engine/backend/cpu/dot_blocks_avx2.h"
#include "engine/backend/cpu/float_sums.h"
#include "engine/backend/cpu/interleaved_tiles.h"

#include <immintrin.h>

#include <cstring>

namespace latent::cpu::avx2 {
namespace {

__m256i broadcast4(const int8_t* p)
{
    int32_t four;
    std::memcpy(&four, p, 4);
    return _mm256_set1_epi32(four);
}

// Rows 8 * half .. 8 * half + 7 of one group against T tokens.
template <bool Q4, size_t T>
void halfTile(const uint8_t* group, size_t half, size_t blocks, const QuantizedRows& x, float* out, size_t outStride)
{
    constexpr size_t bytesPerBlock = Q4 ? 288 : 544;
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
        if constexpr (Q4) {
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t) // the nibbles are q + 8: take 8 * sum(x) back out
                sum[t] = _mm256_set1_epi32(-8 * x.sums[t * x.stride + b]);
            const __m256i low = _mm256_set1_epi8(0x0F);
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) {
                const __m256i packed = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32 + 64 * j + 32 * half));
                const __m256i nibbles[2] = {_mm256_and_si256(packed, low),
                                            _mm256_and_si256(_mm256_srli_epi16(packed, 4), low)};
#pragma GCC unroll 2
                for (int k = 0; k < 2; ++k) {
#pragma GCC unroll 4
                    for (size_t t = 0; t < T; ++t) {
                        const __m256i xq = broadcast4(x.quantsOf(t, b) + 4 * (2 * j + k));
                        sum[t] = _mm256_add_epi32(sum[t], _mm256_madd_epi16(_mm256_maddubs_epi16(nibbles[k], xq), ones));
                    }
                }
            }
        } else {
#pragma GCC unroll 4
            for (size_t t = 0; t < T; ++t)
                sum[t] = _mm256_setzero_si256();
            const __m256i offset = _mm256_set1_epi8(char(0x80));
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) {
                const __m256i w = _mm256_xor_si256(
                    _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32 + 64 * k + 32 * half)), offset);
                const __m256i magnitude = _mm256_abs_epi8(w);
#pragma GCC unroll 4
                for (size_t t = 0; t < T; ++t) {
                    const __m256i xq = _mm256_sign_epi8(broadcast4(x.quantsOf(t, b) + 4 * k), w);
                    sum[t] = _mm256_add_epi32(sum[t], _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, xq), ones));
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

template <bool Q4>
void interleaved(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                 size_t outStride)
{
    forEachHalfTile(x, tokens, out, outStride, [&]<size_t T>(size_t half, const QuantizedRows& tile, float* target) {
        halfTile<Q4, T>(group, half, blocks, tile, target, outStride);
    });
}

} // namespace

void interleavedQ8_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride)
{
    interleaved<false>(group, blocks, x, tokens, out, outStride);
}

void interleavedQ4_0(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                     size_t outStride)
{
    interleaved<true>(group, blocks, x, tokens, out, outStride);
}

} // namespace latent::cpu::avx2
