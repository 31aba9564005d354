#pragma once

#include "engine/gguf/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace latent::quant {

// Converts float rows to a stored type and back, block by block. The quantizers write the bytes
// llama.cpp's reference quantizers write (ggml's quantize_row_*_ref; for IQ4_NL, the searching
// quantize_iq4_nl that llama-quantize runs): the same search for each block's scales, the same
// rounding, no importance matrix.

// Types this build can convert: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL (blocks of
// 32), Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_XS (blocks of 256).
bool canQuantize(gguf::TensorType type);

// values.size() must be a multiple of the type's block; returns the stored bytes.
std::vector<uint8_t> quantize(gguf::TensorType type, std::span<const float> values);
// Stored bytes back to floats (count values).
std::vector<float> dequantize(gguf::TensorType type, std::span<const uint8_t> bytes, size_t count);
// The same into out (out.size() values), allocating nothing: for rows read one at a time.
void dequantizeInto(gguf::TensorType type, std::span<const uint8_t> bytes, std::span<float> out);

} // namespace latent::quant
