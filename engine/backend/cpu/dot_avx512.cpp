// AVX-512 kernels (Ice Lake, Zen 4 and later): groups of 16 interleaved rows (interleave.h)
// against up to 8 tokens, their integer products in VNNI's dpbusd (one instruction for what AVX2
// needs three), each row's sum in a lane, block after block in float_sums.h's order. The rest is
// AVX2's.

#include "engine/backend/cpu/dot_kernels.h"
#include "engine/backend/cpu/float_sums.h"
#include "engine/backend/cpu/x86_helpers.h"

#include <immintrin.h>

#include <cstring>

// GCC 12's AVX-512 intrinsics start some results from a self-initialized "undefined" register
// (_mm512_undefined_ps), which -Wmaybe-uninitialized reports at every use; the value is never read.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace latent::cpu {
namespace {

// Sixteen interleaved rows (interleave.h) against T activation rows: each dpbusd multiplies the
// same 4 positions of all 16 rows by one token's 4 activations, broadcast, so lane i is row i all
// the way: no reduction, and the rows' scales apply as one 16-lane vector. The T tokens' sums are
// independent chains, which keeps the dpbusd units busy. Blocks go two at a time, their terms
// summed before they meet the running sum (float_sums.h).
template <bool Q4, size_t T>
void interleavedTile(const uint8_t* group, size_t blocks, const QuantizedRows& x, float* out, size_t outStride)
{
    constexpr size_t bytesPerBlock = Q4 ? 288 : 544;
    const auto broadcast4 = [](const void* p) {
        int32_t four;
        std::memcpy(&four, p, 4);
        return _mm512_set1_epi32(four);
    };
    __m512 acc[T], first[T];
#pragma GCC unroll 8
    for (__m512& a : acc)
        a = _mm512_setzero_ps();
    // Block b's terms into first[] (the first of a pair) or, with first[], into acc[].
    const auto step = [&](size_t b, bool second) __attribute__((always_inline)) {
        const uint8_t* block = group + b * bytesPerBlock;
        const __m512 rowScales = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block)));
        // The weights are stored as q + 8 (Q4_0's nibbles) or q + 128 (Q8_0, regrouped so: dpbusd
        // wants them unsigned): each row's sum starts at -offset * sum(x) to take that back out.
        constexpr int32_t offset = Q4 ? 8 : 128;
        __m512i sum[T];
#pragma GCC unroll 8
        for (size_t t = 0; t < T; ++t)
            sum[t] = _mm512_set1_epi32(-offset * x.sums[t * x.stride + b]);
        // Four positions of the 16 rows at a time against every token: one weight register live.
        const auto products = [&](__m512i w, int k) __attribute__((always_inline)) {
#pragma GCC unroll 8
            for (size_t t = 0; t < T; ++t)
                sum[t] = _mm512_dpbusd_epi32(sum[t], w, broadcast4(x.quantsOf(t, b) + 4 * k));
        };
        if constexpr (Q4) {
            const __m512i low = _mm512_set1_epi8(0x0F);
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) {
                const __m512i packed = _mm512_loadu_si512(block + 32 + 64 * j);
                products(_mm512_and_si512(packed, low), 2 * j);
                products(_mm512_and_si512(_mm512_srli_epi16(packed, 4), low), 2 * j + 1);
            }
        } else {
#pragma GCC unroll 8
            for (int k = 0; k < 8; ++k)
                products(_mm512_loadu_si512(block + 32 + 64 * k), k);
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
    // AVX2's kernels for everything else (and for matrices that cannot be regrouped).
    DotKernels table = *avx2Kernels();
    table.name = "avx512";
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
