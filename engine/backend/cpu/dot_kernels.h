#pragma once

#include "engine/gguf/tensor_type.h"
#include "engine/quant/blocks.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace latent::cpu {

// The inner products the CPU backend spends its time in: weight rows (in their stored type)
// against activation rows. Quantized weights meet activations quantized to 8-bit blocks, so
// the products run on 8-bit integers, as GGUF's formats are designed for.
//
// Each instruction set has its own table (one file each); the backend picks the best one the
// processor supports at run time.
//
// Every table computes the same bits (float_sums.h). Integer sums are exact in any order, float
// sums are not, and a last-bit difference in one layer's output can round one activation the
// other way in the next layer's quantization: the logits then move by ~1e-2, and the cache carries
// it to every later position. So the float steps of each kernel are fixed, the SIMD kernels take
// them in the portable kernels' order, and the tests hold every table to the portable one bit for
// bit. (The engine is compiled with -ffp-contract=off, so no compiler fuses them either.)

// Activation rows quantized for the integer kernels (llama.cpp's Q8_0 activation blocks): each
// block of 32 values as 32 int8 quants, 32-byte aligned so that no load straddles two cache lines,
// and a float scale (the fp16-rounded scale a Q8_0 block would store). The interleaved kernels
// read them as rows of a matrix.
struct QuantizedRows {
    const int8_t* quants; // row t, block b: quants + (t * stride + b) * 32
    const float* scales;  // row t, block b: scales[t * stride + b]
    size_t stride;        // blocks per row
    const int32_t* sums = nullptr;    // each block's sum of quants, as scales (the interleaved kernels)
    const float* sumScales = nullptr; // each block's blockSumScales, as scales (Q4_1, Q5_1)

    const int8_t* quantsOf(size_t row, size_t block) const { return quants + (row * stride + block) * 32; }
    const float* scalesOf(size_t row, size_t block) const { return scales + row * stride + block; }
};

// One activation row quantized in the format a weight type pairs with (as llama.cpp pairs them):
// 32-value blocks as QuantizedRows holds them (Q8_0, Q4_0, Q5_0, IQ4_NL; with each block's sum of
// values for Q4_1 and Q5_1, whose minimum multiplies it), or 256-value super-blocks with float
// scales and the sum of each 16 quants (K-quants and IQ4_XS, llama.cpp's Q8_K).
struct ActivationRow {
    const int8_t* quants;
    const float* scales;                // per 32-block, or per super-block
    const float* blockSums = nullptr;   // per 32-block: scale * sum of quants, fp16-rounded (llama.cpp's Q8_1)
    const int16_t* groupSums = nullptr; // per 16 values of a super-block
};

// Up to eight rows of a weight matrix: row r (r < count) at first + r * rowBytes, each of
// `blocks` blocks of its type.
struct WeightRows {
    const uint8_t* first;
    size_t rowBytes;
    size_t count; // 1..8
    size_t blocks;

    const uint8_t* row(size_t r) const { return first + r * rowBytes; }
};

// The rows against activation rows x[0..tokens), any number of them: out[t * outStride + r].
// Eight rows at a time is what lets a SIMD kernel keep each row's sum in a lane of its own, block
// after block, in the fixed order; and several tokens at a time is what makes prompts fast (each
// weight block unpacked once for all of them).
using BlockRowsDot = void (*)(const WeightRows& w, const ActivationRow* x, size_t tokens, float* out,
                              size_t outStride);

// One interleaved group of 16 rows (interleave.h) against activation rows 0..tokens-1 (at most
// 8): out[t * outStride + i] for row i of the group.
using InterleavedDot = void (*)(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                                size_t outStride);

// The same for the interleaved super-block types (Q4_K, Q6_K): one ActivationRow (llama.cpp's
// Q8_K) per token, at most 8 tokens.
using InterleavedSuperDot = void (*)(const uint8_t* group, size_t blocks, const ActivationRow* x, size_t tokens,
                                     float* out, size_t outStride);

// Float weight rows (F32, F16, BF16 as stored) against activation rows: out[t * outStride + r] =
// the product of row r (at w + r * rowStride values) and token t (at x + t * xStride), n values
// each, for r < rows and t < tokens; every product in float_sums.h's order (float_rows.h).
template <typename Stored>
using FloatRowsDot = void (*)(const Stored* w, size_t rowStride, size_t rows, const float* x, size_t xStride,
                              size_t tokens, size_t n, float* out, size_t outStride);

struct DotKernels {
    std::string_view name;
    FloatRowsDot<float> f32;
    FloatRowsDot<uint16_t> f16, bf16;
    // y += a * x, x in F16: attention's weighted sum of cached values.
    void (*axpyF16)(float* y, float a, const uint16_t* x, size_t n);
    // Attention over a tile of queries that share their cached keys and values (F16 rows of n
    // values, row j at keys + j * keyStride), each key and value converted once for the tile:
    // scores[q * scoreStride + j] = f16(key j, queries[q]), for j < keyCount.
    void (*attentionScoresF16)(const uint16_t* keys, size_t keyStride, size_t keyCount, const float* const* queries,
                               size_t queryCount, size_t n, float* scores, size_t scoreStride);
    // outs[q] (n floats) = the sum over j < keyCounts[q] of weights[q * weightStride + j] * value
    // j, from zero in key order, as axpyF16 adds one key after another. The weights are
    // attentionWeights' and are only read, so several calls may share them (columns of the
    // values on several threads).
    void (*attentionValuesF16)(float* const* outs, const float* weights, size_t weightStride, const size_t* keyCounts,
                               size_t queryCount, const uint16_t* values, size_t valueStride, size_t n);
    // Elementwise steps (elementwise_lanes.h, one source compiled into every table; x86's
    // attentionWeights through F16C, the same bits): scores[j] = exp(scores[j] * scale - the
    // largest scaled score) for j < n, returning their sum (a softmax's numerators and divisor);
    // scores[j] = scores[j] / divisor rounded to F16 (attention's weights, as the reference
    // engine's meet the F16 cache); out[i] = SiLU(gate[i]) * up[i] (out may be gate); F16
    // rounding, to F16 (the cache's stores) and to F16 and back (attention's queries; out may be
    // in).
    float (*softmaxExponentials)(float* scores, size_t n, float scale);
    void (*attentionWeights)(float* scores, size_t n, float divisor);
    void (*swiglu)(float* out, const float* gate, const float* up, size_t n);
    void (*toHalf)(uint16_t* out, const float* in, size_t n);
    void (*roundToHalf)(float* out, const float* in, size_t n);
    // x (n floats, n a multiple of 32) to n quants and n / 32 scales (llama.cpp's Q8_0).
    void (*quantizeRow)(const float* x, int8_t* quants, float* scales, size_t n);
    // x (n floats, n a multiple of 256) to super-blocks: n quants, n / 256 scales, n / 16 sums.
    void (*quantizeSuperBlocks)(const float* x, int8_t* quants, float* scales, int16_t* sums, size_t n);
    // The block types, each against its activation format (ActivationRow; set by setBlockKernels).
    BlockRowsDot q8_0 = nullptr, q4_0 = nullptr, q5_0 = nullptr, iq4_nl = nullptr, q4_1 = nullptr, q5_1 = nullptr,
                 q2_K = nullptr, q3_K = nullptr, q4_K = nullptr, q5_K = nullptr, q6_K = nullptr, iq4_xs = nullptr;
    // Optional (nullptr where a table has none): Q8_0, Q4_0 and Q5_0 regrouped (InterleavedDot), Q4_K
    // and Q6_K regrouped (InterleavedSuperDot).
    InterleavedDot q8_0Interleaved = nullptr, q4_0Interleaved = nullptr, q5_0Interleaved = nullptr;
    InterleavedSuperDot q4_KInterleaved = nullptr, q6_KInterleaved = nullptr;
};

// Sets every block type's entry of a table to Rows<Block>::dot: a table's file gives its kernel
// template, and the list of types is written here once.
template <template <typename> class Rows>
void setBlockKernels(DotKernels& table)
{
    table.q8_0 = Rows<quant::BlockQ8_0>::dot;
    table.q4_0 = Rows<quant::BlockQ4_0>::dot;
    table.q5_0 = Rows<quant::BlockQ5_0>::dot;
    table.iq4_nl = Rows<quant::BlockIq4Nl>::dot;
    table.q4_1 = Rows<quant::BlockQ4_1>::dot;
    table.q5_1 = Rows<quant::BlockQ5_1>::dot;
    table.q2_K = Rows<quant::BlockQ2_K>::dot;
    table.q3_K = Rows<quant::BlockQ3_K>::dot;
    table.q4_K = Rows<quant::BlockQ4_K>::dot;
    table.q5_K = Rows<quant::BlockQ5_K>::dot;
    table.q6_K = Rows<quant::BlockQ6_K>::dot;
    table.iq4_xs = Rows<quant::BlockIq4Xs>::dot;
}

// Super-block b of quantizeSuperBlocks' output for an all-zero input: zero quants, scale and sums
// (every table's quantizer, before it divides by the largest magnitude).
inline void zeroSuperBlock(int8_t* quants, float* scales, int16_t* sums, size_t b)
{
    std::memset(quants + b * 256, 0, 256);
    scales[b] = 0;
    std::memset(sums + b * 16, 0, 16 * sizeof(int16_t));
}

// Which activation format a weight type's products need.
enum class ActivationFormat { Blocks32, Blocks32WithSums, SuperBlocks };
ActivationFormat activationFormat(gguf::TensorType type);
// The kernel of a quantized block type, nullptr for any other type.
BlockRowsDot blockRowsDot(const DotKernels& kernels, gguf::TensorType type);
// A type's interleaved kernel (one of the two is set for Q4_0, Q5_0, Q8_0, Q4_K and Q6_K where the
// table has it), nullptr for any other type.
InterleavedDot interleavedDot(const DotKernels& kernels, gguf::TensorType type);
InterleavedSuperDot interleavedSuperDot(const DotKernels& kernels, gguf::TensorType type);
bool hasInterleavedKernel(const DotKernels& kernels, gguf::TensorType type);

const DotKernels& portableKernels();
const DotKernels* avx2Kernels();   // nullptr where not compiled in
const DotKernels* avx512Kernels(); // nullptr where not compiled in
const DotKernels* neonKernels();        // ARM64 (ARMv8.0); nullptr where not compiled in
const DotKernels* neonDotprodKernels(); // ARM64 with FEAT_DotProd; nullptr where not compiled in
const DotKernels* neonI8mmKernels();    // ARM64 with FEAT_DotProd and FEAT_I8MM; nullptr where not compiled in

// The tables this processor can run, portable first, fastest last.
std::vector<const DotKernels*> supportedKernels();

// The fastest table this processor runs; LATENT_CPU_KERNELS=portable|avx2|avx512 (x86-64) or
// portable|neon|neon-dotprod|neon-i8mm (ARM64) forces one.
const DotKernels& bestKernels();

} // namespace latent::cpu
