#pragma once

#include <cstdint>

namespace latent::vulkan {

// A product's x quantized once per product for the integer products (quantize_activations.comp
// writes it, matmul.comp reads it; the layout of shaders/quantized_activations.glsl): x's rows in
// blocks of blockValues values, row after row, as three arrays of 32-bit words one after the other:
//   quants (blocks, blockValues / 4): int8, 4 a word, the first in the low byte
//   scales (blocks): F32
//   sums   Q8_0 (blocks): the F32 block sum scale; Q8_K (blocks, 16): the int32 sums of 16 quants
struct QuantizedActivationsLayout {
    uint32_t blockValues = 32; // 32: Q8_0, for the 32-value weight types; 256: Q8_K, for K-quants and IQ4_XS
    uint64_t blocks = 0;

    uint64_t scalesWord() const { return blocks * blockValues / 4; }
    uint64_t sumsWord() const { return scalesWord() + blocks; }
    uint64_t sumsPerBlock() const { return blockValues == 256 ? 16 : 1; }
    uint64_t bytes() const { return (sumsWord() + blocks * sumsPerBlock()) * 4; }
};

} // namespace latent::vulkan
