#pragma once

#include "engine/gguf/tensor_type.h"
#include "engine/quant/blocks.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace latent::cpu {

// The inner products the CPU backend spends its time in: weight rows (in their stored type)
// against activation rows. Quantized weights meet activations quantized to 8-bit blocks, so
// the products run on 8-bit integers, as GGUF's formats are designed for.
//
// Each instruction set has its own table (one file each); the backend picks the best one the
// processor supports at run time, and the tests hold every table to the portable one.

// Activation rows quantized for the integer kernels: each block of 32 values as 32 int8 quants,
// 32-byte aligned so that no load straddles two cache lines, and a float scale (the fp16-rounded
// scale a Q8_0 block would store, as the reference engine rounds it).
struct QuantizedRows {
    const int8_t* quants; // row t, block b: quants + (t * stride + b) * 32
    const float* scales;  // row t, block b: scales[t * stride + b]
    size_t stride;        // blocks per row
    const uint8_t* unsignedQuants = nullptr; // the quants + 128, same layout (interleaved Q8_0)
    const int32_t* sums = nullptr;           // each block's sum of quants, as scales (interleaved Q4_0)
    const float* sumScales = nullptr;        // each block's blockSumScales, as scales (Q4_1, Q5_1)

    const int8_t* quantsOf(size_t row, size_t block) const { return quants + (row * stride + block) * 32; }
    const float* scalesOf(size_t row, size_t block) const { return scales + row * stride + block; }
};

// One activation row quantized in the format a weight type pairs with (as llama.cpp pairs them):
// 32-value blocks as QuantizedRows holds them (Q4_0, Q5_0, Q8_0, IQ4_NL; with each block's sum of
// values for Q4_1 and Q5_1, whose minimum multiplies it), or 256-value super-blocks with float
// scales and the sum of each 16 quants (K-quants and IQ4_XS, llama.cpp's Q8_K).
struct ActivationRow {
    const int8_t* quants;
    const float* scales;                // per 32-block, or per super-block
    const float* blockSums = nullptr;   // per 32-block: scale * sum of quants, fp16-rounded (llama.cpp's Q8_1)
    const int16_t* groupSums = nullptr; // per 16 values of a super-block
};

// A weight row of `blocks` blocks of its type against one activation row, or against rows 0..3 of
// x at once (each weight block unpacked once for the four: what makes prompts fast).
using BlockDot = float (*)(const void* weightRow, const ActivationRow& x, size_t blocks);
using BlockDot4 = void (*)(const void* weightRow, const ActivationRow* x, size_t blocks, float out[4]);

struct DotKernels {
    std::string_view name;
    float (*f32)(const float* w, const float* x, size_t n);
    float (*f16)(const uint16_t* w, const float* x, size_t n);
    float (*bf16)(const uint16_t* w, const float* x, size_t n);
    // y += a * x, x in F16: attention's weighted sum of cached values.
    void (*axpyF16)(float* y, float a, const uint16_t* x, size_t n);
    // x (n floats, n a multiple of 32) to n quants and n / 32 scales.
    void (*quantizeRow)(const float* x, int8_t* quants, float* scales, size_t n);
    // One weight row against one activation row (quants xq, scales xs).
    float (*q8_0)(const quant::BlockQ8_0* w, const int8_t* xq, const float* xs, size_t blocks);
    float (*q4_0)(const quant::BlockQ4_0* w, const int8_t* xq, const float* xs, size_t blocks);
    // One weight row against rows 0..3 of x: each weight block is unpacked once for all four,
    // which is what makes prompts fast.
    void (*q8_0x4)(const quant::BlockQ8_0* w, const QuantizedRows& x, size_t blocks, float out[4]);
    void (*q4_0x4)(const quant::BlockQ4_0* w, const QuantizedRows& x, size_t blocks, float out[4]);
    // Optional (nullptr where a table has none): one interleaved group of 16 rows (interleave.h) against activation rows
    // 0..tokens-1 (at most 8), out[t * outStride + i] for row i of the group.
    void (*q8_0Interleaved)(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                            size_t outStride);
    void (*q4_0Interleaved)(const uint8_t* group, size_t blocks, const QuantizedRows& x, size_t tokens, float* out,
                            size_t outStride);
    // x (n floats, n a multiple of 256) to super-blocks: n quants, n / 256 scales, n / 16 sums.
    void (*quantizeSuperBlocks)(const float* x, int8_t* quants, float* scales, int16_t* sums, size_t n);
    // The other block types, each against its activation format (ActivationRow).
    BlockDot q4_1, q5_0, q5_1, iq4_nl, q2_K, q3_K, q4_K, q5_K, q6_K, iq4_xs;
    // Optional four-row kernels (nullptr: the one-row kernel four times).
    BlockDot4 q5_0x4 = nullptr, q4_Kx4 = nullptr, q5_Kx4 = nullptr, q6_Kx4 = nullptr;
};

// Which activation format a weight type's products need.
enum class ActivationFormat { Blocks32, Blocks32WithSums, SuperBlocks };
ActivationFormat activationFormat(gguf::TensorType type);
// The kernel of a block type (not F32/F16/BF16), nullptr for a type without one.
BlockDot blockDot(const DotKernels& kernels, gguf::TensorType type);
BlockDot4 blockDot4(const DotKernels& kernels, gguf::TensorType type); // nullptr where none

const DotKernels& portableKernels();
const DotKernels* avx2Kernels();   // nullptr where not compiled in
const DotKernels* avx512Kernels(); // nullptr where not compiled in

// The tables this processor can run, portable first, fastest last.
std::vector<const DotKernels*> supportedKernels();

// The fastest table this processor runs; LATENT_CPU_KERNELS=portable|avx2|avx512 forces one.
const DotKernels& bestKernels();

} // namespace latent::cpu
