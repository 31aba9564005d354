#include "engine/gguf/tensor_type.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace latent::gguf {
namespace {

// Block sizes and byte counts follow ggml's block structs (ggml-common.h): for example Q4_K is
// 2 fp16 scales + 12 bytes of 6-bit scales + 128 bytes of nibbles = 144 bytes for 256 values.
constexpr std::array kTypes = {
    TensorTypeTraits{TensorType::F32, "F32", 1, 4},
    TensorTypeTraits{TensorType::F16, "F16", 1, 2},
    TensorTypeTraits{TensorType::Q4_0, "Q4_0", 32, 18},
    TensorTypeTraits{TensorType::Q4_1, "Q4_1", 32, 20},
    TensorTypeTraits{TensorType::Q5_0, "Q5_0", 32, 22},
    TensorTypeTraits{TensorType::Q5_1, "Q5_1", 32, 24},
    TensorTypeTraits{TensorType::Q8_0, "Q8_0", 32, 34},
    TensorTypeTraits{TensorType::Q8_1, "Q8_1", 32, 36},
    TensorTypeTraits{TensorType::Q2_K, "Q2_K", 256, 84},
    TensorTypeTraits{TensorType::Q3_K, "Q3_K", 256, 110},
    TensorTypeTraits{TensorType::Q4_K, "Q4_K", 256, 144},
    TensorTypeTraits{TensorType::Q5_K, "Q5_K", 256, 176},
    TensorTypeTraits{TensorType::Q6_K, "Q6_K", 256, 210},
    TensorTypeTraits{TensorType::Q8_K, "Q8_K", 256, 292},
    TensorTypeTraits{TensorType::IQ2_XXS, "IQ2_XXS", 256, 66},
    TensorTypeTraits{TensorType::IQ2_XS, "IQ2_XS", 256, 74},
    TensorTypeTraits{TensorType::IQ3_XXS, "IQ3_XXS", 256, 98},
    TensorTypeTraits{TensorType::IQ1_S, "IQ1_S", 256, 50},
    TensorTypeTraits{TensorType::IQ4_NL, "IQ4_NL", 32, 18},
    TensorTypeTraits{TensorType::IQ3_S, "IQ3_S", 256, 110},
    TensorTypeTraits{TensorType::IQ2_S, "IQ2_S", 256, 82},
    TensorTypeTraits{TensorType::IQ4_XS, "IQ4_XS", 256, 136},
    TensorTypeTraits{TensorType::I8, "I8", 1, 1},
    TensorTypeTraits{TensorType::I16, "I16", 1, 2},
    TensorTypeTraits{TensorType::I32, "I32", 1, 4},
    TensorTypeTraits{TensorType::I64, "I64", 1, 8},
    TensorTypeTraits{TensorType::F64, "F64", 1, 8},
    TensorTypeTraits{TensorType::IQ1_M, "IQ1_M", 256, 56},
    TensorTypeTraits{TensorType::BF16, "BF16", 1, 2},
    TensorTypeTraits{TensorType::TQ1_0, "TQ1_0", 256, 54},
    TensorTypeTraits{TensorType::TQ2_0, "TQ2_0", 256, 66},
    TensorTypeTraits{TensorType::MXFP4, "MXFP4", 32, 17},
    TensorTypeTraits{TensorType::NVFP4, "NVFP4", 64, 36},
    TensorTypeTraits{TensorType::Q1_0, "Q1_0", 128, 18},
};

// Each type code's row of kTypes: tensorTypeTraits(TensorType) runs for every tensor row a
// backend addresses, hundreds of times a decoding step, so it is a lookup, not a search.
constexpr uint32_t kLargestCode = [] {
    uint32_t largest = 0;
    for (const TensorTypeTraits& traits : kTypes)
        largest = std::max(largest, static_cast<uint32_t>(traits.type));
    return largest;
}();
constexpr auto kRowOfCode = [] {
    std::array<uint8_t, kLargestCode + 1> rows{};
    for (size_t i = 0; i < kTypes.size(); ++i)
        rows[static_cast<uint32_t>(kTypes[i].type)] = uint8_t(i);
    return rows;
}();

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
    });
}

} // namespace

std::optional<TensorTypeTraits> tensorTypeTraits(uint32_t code)
{
    for (const TensorTypeTraits& traits : kTypes) {
        if (static_cast<uint32_t>(traits.type) == code)
            return traits;
    }
    return std::nullopt;
}

const TensorTypeTraits& tensorTypeTraits(TensorType type)
{
    // Every enumerator has a row in kTypes.
    return kTypes[kRowOfCode[static_cast<uint32_t>(type)]];
}

std::string_view tensorTypeName(TensorType type)
{
    return tensorTypeTraits(type).name;
}

std::optional<TensorType> tensorTypeFromName(std::string_view name)
{
    for (const TensorTypeTraits& traits : kTypes) {
        if (equalsIgnoringCase(traits.name, name))
            return traits.type;
    }
    return std::nullopt;
}

std::span<const TensorTypeTraits> allTensorTypes()
{
    return kTypes;
}

} // namespace latent::gguf
