// AVX-512 kernels (Ice Lake, Zen 4 and later): the integer products use VNNI's dpbusd, one
// instruction for what AVX2 needs three, on 256-bit registers (AVX512VL), where Zen 4 runs
// them at full rate: single rows for generation, 8x8 tiles for prompts. The rest is AVX2's.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/x86_helpers.h"

#include <immintrin.h>

#include <cstring>

// GCC 12's AVX-512 intrinsics start some results from a self-initialized "undefined" register
// (_mm512_undefined_ps), which -Wmaybe-uninitialized reports at every use; the value is never read.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace latent::cpu {
namespace {

using quant::BlockQ4_0;
using quant::BlockQ8_0;

// 8 lanes of sums of products of signed bytes: dpbusd wants one unsigned operand, so |w| meets
// x carrying w's sign.
inline __m256 dotBytes(__m256i absW, __m256i w, __m256i x)
{
    return _mm256_cvtepi32_ps(_mm256_dpbusd_epi32(_mm256_setzero_si256(), absW, _mm256_sign_epi8(x, w)));
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

// Eight weight rows against eight activation rows. The activations come as unsigned bytes
// (q + 128) so dpbusd takes them as they are, shared by the eight rows; each row's sum starts at
// -128 * sum(w) to take the offset back out. The eight rows' sums of one token are reduced into
// one register, lane i = row i, where the rows' scales multiply them all at once.
template <typename Block>
void tile(const uint8_t* weights, size_t rowBytes, const QuantizedRows& x, size_t blocks, float* out,
          size_t outStride)
{
    const __m256i zero = _mm256_setzero_si256();
    const __m256i offset = _mm256_set1_epi8(char(0x80));
    __m256 acc[8];
    for (__m256& a : acc)
        a = _mm256_setzero_ps();
    const auto rowBlock = [&](int i, size_t b) -> const Block& {
        return reinterpret_cast<const Block*>(weights + size_t(i) * rowBytes)[b];
    };
    for (size_t b = 0; b < blocks; ++b) {
        __m256i w[8], start[8];
        for (int i = 0; i < 8; ++i) {
            w[i] = weightBytes(rowBlock(i, b));
            start[i] = _mm256_sub_epi32(zero, _mm256_dpbusd_epi32(zero, offset, w[i]));
        }
        const __m128i scaleBits =
            _mm_setr_epi16(short(rowBlock(0, b).d), short(rowBlock(1, b).d), short(rowBlock(2, b).d),
                           short(rowBlock(3, b).d), short(rowBlock(4, b).d), short(rowBlock(5, b).d),
                           short(rowBlock(6, b).d), short(rowBlock(7, b).d));
        const __m256 rowScales = _mm256_cvtph_ps(scaleBits);
        for (size_t t = 0; t < 8; ++t) {
            const __m256i xt = _mm256_load_si256(reinterpret_cast<const __m256i*>(x.unsignedQuants + (t * x.stride + b) * 32));
            const __m256i h01 = _mm256_hadd_epi32(_mm256_dpbusd_epi32(start[0], xt, w[0]), _mm256_dpbusd_epi32(start[1], xt, w[1]));
            const __m256i h23 = _mm256_hadd_epi32(_mm256_dpbusd_epi32(start[2], xt, w[2]), _mm256_dpbusd_epi32(start[3], xt, w[3]));
            const __m256i h45 = _mm256_hadd_epi32(_mm256_dpbusd_epi32(start[4], xt, w[4]), _mm256_dpbusd_epi32(start[5], xt, w[5]));
            const __m256i h67 = _mm256_hadd_epi32(_mm256_dpbusd_epi32(start[6], xt, w[6]), _mm256_dpbusd_epi32(start[7], xt, w[7]));
            const __m256i h0123 = _mm256_hadd_epi32(h01, h23); // rows 0-3: positions 0-3 low, 4-7 high
            const __m256i h4567 = _mm256_hadd_epi32(h45, h67);
            const __m256i rows = _mm256_add_epi32(_mm256_permute2x128_si256(h0123, h4567, 0x20),
                                                  _mm256_permute2x128_si256(h0123, h4567, 0x31));
            const __m256 scale = _mm256_mul_ps(rowScales, _mm256_set1_ps(*x.scalesOf(t, b)));
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(rows), scale, acc[t]);
        }
    }
    for (size_t t = 0; t < 8; ++t)
        _mm256_storeu_ps(out + t * outStride, acc[t]);
}

// Sixteen interleaved rows (interleave.h) against T activation rows: each dpbusd multiplies the
// same 4 positions of all 16 rows by one token's 4 activations, broadcast, so lane i is row i all
// the way: no reduction, and the rows' scales apply as one 16-lane vector. The T tokens' sums are
// independent chains, which keeps the dpbusd units busy.
template <bool Q4, size_t T>
void interleavedTile(const uint8_t* group, size_t blocks, const QuantizedRows& x, float* out, size_t outStride)
{
    constexpr size_t bytesPerBlock = Q4 ? 288 : 544;
    const auto broadcast4 = [](const void* p) {
        int32_t four;
        std::memcpy(&four, p, 4);
        return _mm512_set1_epi32(four);
    };
    __m512 acc[T];
#pragma GCC unroll 8
    for (__m512& a : acc)
        a = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; ++b) {
        const uint8_t* block = group + b * bytesPerBlock;
        const __m512 rowScales = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block)));
        __m512i w[8];
        __m512i sum[T];
        if constexpr (Q4) {
            const __m512i low = _mm512_set1_epi8(0x0F);
#pragma GCC unroll 8
            for (int j = 0; j < 4; ++j) {
                const __m512i packed = _mm512_loadu_si512(block + 32 + 64 * j);
                w[2 * j] = _mm512_and_si512(packed, low);
                w[2 * j + 1] = _mm512_and_si512(_mm512_srli_epi16(packed, 4), low);
            }
#pragma GCC unroll 8
            for (size_t t = 0; t < T; ++t) // the nibbles are q + 8: take 8 * sum(x) back out
                sum[t] = _mm512_set1_epi32(-8 * x.sums[t * x.stride + b]);
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) {
#pragma GCC unroll 8
                for (size_t t = 0; t < T; ++t)
                    sum[t] = _mm512_dpbusd_epi32(sum[t], w[k], broadcast4(x.quantsOf(t, b) + 4 * k));
            }
        } else {
            // The activations come as x + 128 (dpbusd's unsigned operand): start each row's sum at
            // -128 * sum(w) to take that back out.
            const __m512i offset = _mm512_set1_epi8(char(0x80));
            __m512i offsetSum = _mm512_setzero_si512();
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) {
                w[k] = _mm512_loadu_si512(block + 32 + 64 * k);
                offsetSum = _mm512_dpbusd_epi32(offsetSum, offset, w[k]);
            }
            const __m512i correction = _mm512_sub_epi32(_mm512_setzero_si512(), offsetSum);
#pragma GCC unroll 8
            for (size_t t = 0; t < T; ++t)
                sum[t] = correction;
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k) {
#pragma GCC unroll 8
                for (size_t t = 0; t < T; ++t) {
                    const uint8_t* xu = x.unsignedQuants + (t * x.stride + b) * 32;
                    sum[t] = _mm512_dpbusd_epi32(sum[t], broadcast4(xu + 4 * k), w[k]);
                }
            }
        }
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t)
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum[t]), _mm512_mul_ps(rowScales, _mm512_set1_ps(*x.scalesOf(t, b))),
                                     acc[t]);
    }
#pragma GCC unroll 8
    for (size_t t = 0; t < T; ++t)
        _mm512_storeu_ps(out + t * outStride, acc[t]);
}

template <bool Q4>
void interleaved(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                 size_t outStride)
{
    switch (tokens) {
    case 1: interleavedTile<Q4, 1>(group, blocks, x, out, outStride); break;
    case 2: interleavedTile<Q4, 2>(group, blocks, x, out, outStride); break;
    case 3: interleavedTile<Q4, 3>(group, blocks, x, out, outStride); break;
    case 4: interleavedTile<Q4, 4>(group, blocks, x, out, outStride); break;
    case 5: interleavedTile<Q4, 5>(group, blocks, x, out, outStride); break;
    case 6: interleavedTile<Q4, 6>(group, blocks, x, out, outStride); break;
    case 7: interleavedTile<Q4, 7>(group, blocks, x, out, outStride); break;
    default: interleavedTile<Q4, 8>(group, blocks, x, out, outStride); break;
    }
}

DotKernels makeTable()
{
    // AVX2's float kernels, quantizer and four-token kernels (prompts take the tiles here).
    DotKernels table = *avx2Kernels();
    table.name = "avx512";
    table.q8_0 = dotQuantized<BlockQ8_0>;
    table.q4_0 = dotQuantized<BlockQ4_0>;
    table.q8_0Tile = tile<BlockQ8_0>;
    table.q4_0Tile = tile<BlockQ4_0>;
    table.q8_0Interleaved = interleaved<false>;
    table.q4_0Interleaved = interleaved<true>;
    return table;
}

} // namespace

const DotKernels* avx512Kernels()
{
    static const DotKernels kTable = makeTable();
    return &kTable;
}

} // namespace latent::cpu
