#pragma once

#include "engine/gguf/gguf_file.h"
#include "engine/gguf/tensor_type.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace latent::quant {

// The quantization mixes of llama.cpp's llama-quantize: a base type for a model's matrices, and
// rules that give the tensors most sensitive to rounding (the output head, attention values, some
// layers' ffn_down) more bits. Each value is llama.cpp's code for the mix, which a quantized file
// stores as general.file_type.
enum class QuantMix : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q8_0 = 7,
    Q5_0 = 8,
    Q5_1 = 9,
    Q2_K = 10,
    Q3_K_S = 11,
    Q3_K_M = 12,
    Q3_K_L = 13,
    Q4_K_S = 14,
    Q4_K_M = 15,
    Q5_K_S = 16,
    Q5_K_M = 17,
    Q6_K = 18,
    IQ4_NL = 25,
    IQ4_XS = 30,
    BF16 = 32,
};

struct QuantMixInfo {
    QuantMix mix;
    std::string_view name;
    gguf::TensorType baseType; // of every matrix no rule raises
};

std::span<const QuantMixInfo> quantMixes();
const QuantMixInfo& quantMixInfo(QuantMix mix);
// Case-insensitive; Q3_K, Q4_K and Q5_K name the _M mixes, as they do for llama-quantize.
std::optional<QuantMix> quantMixFromName(std::string_view name);
// Every name quantMixFromName accepts, for messages: "F32, F16, ... (Q3_K, Q4_K, Q5_K: the _M mixes)".
std::string quantMixNames();

// The type one tensor is written in.
struct TensorTypeChoice {
    gguf::TensorType type;
    // The type the rules chose when the tensor's rows are not a multiple of its block, so that
    // `type` is the nearest type whose block divides them.
    std::optional<gguf::TensorType> fallbackFrom;
};

// The order llama.cpp writes a quantized model's tensors in, as indexes into tensors: those
// outside the blocks first, then block by block, by name within each.
std::vector<size_t> quantizedTensorOrder(const std::vector<gguf::TensorInfo>& tensors);

// The types llama.cpp's llama-quantize writes each tensor of a llama or deepseek2 model in, in
// the order of file.tensors(). Vectors, norms, routers and biases keep their type; a pure mix
// writes every other tensor in the base type (still falling back where rows need it). Throws
// Error for another architecture or a file without the hyper-parameters the rules read.
std::vector<TensorTypeChoice> chooseTensorTypes(const gguf::GgufFile& file, QuantMix mix, bool pure = false);

} // namespace latent::quant
