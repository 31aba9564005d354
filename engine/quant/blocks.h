#pragma once

#include <cstdint>

namespace latent::quant {

// GGUF's block layouts (little-endian, packed as ggml writes them).

inline constexpr int kBlockQ8_0 = 32;
inline constexpr int kBlockQ4_0 = 32;

// Q8_0: 32 values q * d, q in [-127, 127].
struct BlockQ8_0 {
    uint16_t d; // fp16 scale
    int8_t q[kBlockQ8_0];
};
static_assert(sizeof(BlockQ8_0) == 34);

// Q4_0: 32 values (q - 8) * d, q in [0, 15]; byte j holds value j (low nibble) and j + 16 (high).
struct BlockQ4_0 {
    uint16_t d; // fp16 scale
    uint8_t q[kBlockQ4_0 / 2];
};
static_assert(sizeof(BlockQ4_0) == 18);

} // namespace latent::quant
