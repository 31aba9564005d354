#include "engine/quant/quantize.h"

#include "engine/core/error.h"
#include "engine/core/half.h"
#include "engine/quant/block_codecs.h"

#include <fmt/format.h>

#include <cstring>
#include <optional>

namespace latent::quant {
namespace {

// A type's conversions over count values (a multiple of its block) and their stored bytes.
struct Codec {
    void (*quantize)(const float* values, uint8_t* bytes, size_t count);
    void (*dequantize)(const uint8_t* bytes, float* values, size_t count);
};

template <typename Block, int kValues>
Codec blockCodec()
{
    return {
        [](const float* values, uint8_t* bytes, size_t count) {
            auto* blocks = reinterpret_cast<Block*>(bytes);
            for (size_t b = 0; b < count / kValues; ++b)
                quantizeBlock(values + b * kValues, blocks[b]);
        },
        [](const uint8_t* bytes, float* values, size_t count) {
            const auto* blocks = reinterpret_cast<const Block*>(bytes);
            for (size_t b = 0; b < count / kValues; ++b)
                dequantizeBlock(blocks[b], values + b * kValues);
        },
    };
}

template <uint16_t (*kEncode)(float), float (*kDecode)(uint16_t)>
Codec sixteenBitCodec()
{
    return {
        [](const float* values, uint8_t* bytes, size_t count) {
            for (size_t i = 0; i < count; ++i) {
                const uint16_t h = kEncode(values[i]);
                std::memcpy(bytes + 2 * i, &h, 2);
            }
        },
        [](const uint8_t* bytes, float* values, size_t count) {
            for (size_t i = 0; i < count; ++i) {
                uint16_t h;
                std::memcpy(&h, bytes + 2 * i, 2);
                values[i] = kDecode(h);
            }
        },
    };
}

std::optional<Codec> codecOf(gguf::TensorType type)
{
    using gguf::TensorType;
    switch (type) {
    case TensorType::F32:
        return Codec{
            [](const float* values, uint8_t* bytes, size_t count) { std::memcpy(bytes, values, 4 * count); },
            [](const uint8_t* bytes, float* values, size_t count) { std::memcpy(values, bytes, 4 * count); },
        };
    case TensorType::F16: return sixteenBitCodec<floatToHalf, halfToFloat>();
    case TensorType::BF16: return sixteenBitCodec<floatToBf16, bf16ToFloat>();
    case TensorType::Q4_0: return blockCodec<BlockQ4_0, kBlockLegacy>();
    case TensorType::Q4_1: return blockCodec<BlockQ4_1, kBlockLegacy>();
    case TensorType::Q5_0: return blockCodec<BlockQ5_0, kBlockLegacy>();
    case TensorType::Q5_1: return blockCodec<BlockQ5_1, kBlockLegacy>();
    case TensorType::Q8_0: return blockCodec<BlockQ8_0, kBlockLegacy>();
    case TensorType::IQ4_NL: return blockCodec<BlockIq4Nl, kBlockLegacy>();
    case TensorType::Q2_K: return blockCodec<BlockQ2_K, kSuperBlock>();
    case TensorType::Q3_K: return blockCodec<BlockQ3_K, kSuperBlock>();
    case TensorType::Q4_K: return blockCodec<BlockQ4_K, kSuperBlock>();
    case TensorType::Q5_K: return blockCodec<BlockQ5_K, kSuperBlock>();
    case TensorType::Q6_K: return blockCodec<BlockQ6_K, kSuperBlock>();
    case TensorType::IQ4_XS: return blockCodec<BlockIq4Xs, kSuperBlock>();
    default: return std::nullopt;
    }
}

Codec requireCodec(gguf::TensorType type, const char* verb)
{
    const std::optional<Codec> codec = codecOf(type);
    if (!codec)
        throw Error(fmt::format("{} {} is not supported by this build", verb, gguf::tensorTypeName(type)));
    return *codec;
}

} // namespace

bool canQuantize(gguf::TensorType type)
{
    return codecOf(type).has_value();
}

std::vector<uint8_t> quantize(gguf::TensorType type, std::span<const float> values)
{
    const Codec codec = requireCodec(type, "quantizing to");
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    if (values.size() % traits.blockValues != 0)
        throw Error(fmt::format("{} needs a multiple of {} values, got {}", traits.name, traits.blockValues,
                                values.size()));
    std::vector<uint8_t> bytes(values.size() / traits.blockValues * traits.blockBytes);
    codec.quantize(values.data(), bytes.data(), values.size());
    return bytes;
}

std::vector<float> dequantize(gguf::TensorType type, std::span<const uint8_t> bytes, size_t count)
{
    std::vector<float> values(count);
    dequantizeInto(type, bytes, values);
    return values;
}

void dequantizeInto(gguf::TensorType type, std::span<const uint8_t> bytes, std::span<float> out)
{
    const Codec codec = requireCodec(type, "dequantizing");
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    if (out.size() % traits.blockValues != 0 || bytes.size() < out.size() / traits.blockValues * traits.blockBytes)
        throw Error(fmt::format("{}: {} bytes do not hold {} values", traits.name, bytes.size(), out.size()));
    codec.dequantize(bytes.data(), out.data(), out.size());
}

} // namespace latent::quant
