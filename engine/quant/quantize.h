#pragma once

#include "engine/gguf/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace latent::quant {

// Converts float rows to a stored type and back. The quantizers follow the reference rounding
// of GGUF's formats (round to nearest, one scale per block from the block's largest magnitude).

// Types this build can convert: F32, F16, BF16, Q8_0, Q4_0.
bool canQuantize(gguf::TensorType type);

// values.size() must be a multiple of the type's block; returns the stored bytes.
std::vector<uint8_t> quantize(gguf::TensorType type, std::span<const float> values);
// Stored bytes back to floats (count values).
std::vector<float> dequantize(gguf::TensorType type, std::span<const uint8_t> bytes, size_t count);

} // namespace latent::quant
