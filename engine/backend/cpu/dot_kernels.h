#pragma once

#include "engine/quant/blocks.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace latent::cpu {

// The inner products the CPU backend spends its time in: one weight row (in its stored type)
// against one activation row. Quantized weights meet activations quantized to Q8_0 blocks, so
// the products run on 8-bit integers, as GGUF's formats are designed for.
//
// Each instruction set has its own table (one file each); the backend picks the best one the
// processor supports at run time, and the tests hold every table to the portable one.
// Activation rows quantized to Q8_0, with each block's scale also as a float (converted once
// per matrix product instead of once per weight row).
struct QuantizedRows {
    const quant::BlockQ8_0* blocks; // row t's blocks start at blocks + t * stride
    const float* scales;            // (rows, stride)
    size_t stride;
};

struct DotKernels {
    std::string_view name;
    float (*f32)(const float* w, const float* x, size_t n);
    float (*f16)(const uint16_t* w, const float* x, size_t n);
    float (*bf16)(const uint16_t* w, const float* x, size_t n);
    float (*q8_0)(const quant::BlockQ8_0* w, const quant::BlockQ8_0* x, size_t blocks);
    float (*q4_0)(const quant::BlockQ4_0* w, const quant::BlockQ8_0* x, size_t blocks);
    // x (n floats, n a multiple of 32) to Q8_0 blocks.
    void (*quantizeRowQ8_0)(const float* x, quant::BlockQ8_0* out, size_t n);
    // One weight row against the first four rows of x: each weight block is unpacked once for
    // all four, which is what makes prompts fast.
    void (*q8_0x4)(const quant::BlockQ8_0* w, const QuantizedRows& x, size_t blocks, float out[4]);
    void (*q4_0x4)(const quant::BlockQ4_0* w, const QuantizedRows& x, size_t blocks, float out[4]);
};

const DotKernels& portableKernels();
const DotKernels* avx2Kernels();   // nullptr where not compiled in
const DotKernels* avx512Kernels(); // nullptr where not compiled in

// The tables this processor can run, portable first, fastest last.
std::vector<const DotKernels*> supportedKernels();

// The fastest table this processor runs; LATENT_CPU_KERNELS=portable|avx2|avx512 forces one.
const DotKernels& bestKernels();

} // namespace latent::cpu
