#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace latent::gguf {

// The tensor types GGUF files can hold, with the numbers ggml assigns them in files.
// Gaps (4, 5, 31-33, 36-38) are types that were removed from the format.
enum class TensorType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
    NVFP4 = 40,
    Q1_0 = 41,
};

// How a type lays out its values: blockValues values are stored in blockBytes bytes.
// Plain types (F32, I8, ...) are blocks of one value.
struct TensorTypeTraits {
    TensorType type;
    std::string_view name;
    uint32_t blockValues;
    uint32_t blockBytes;
};

// The traits of a type code read from a file, or nullopt for a code GGUF does not define.
std::optional<TensorTypeTraits> tensorTypeTraits(uint32_t code);
const TensorTypeTraits& tensorTypeTraits(TensorType type);
std::string_view tensorTypeName(TensorType type);
std::optional<TensorType> tensorTypeFromName(std::string_view name); // case-insensitive
std::span<const TensorTypeTraits> allTensorTypes();

} // namespace latent::gguf
