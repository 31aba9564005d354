#include "engine/quant/quantize.h"

#include "engine/core/error.h"
#include "engine/core/half.h"
#include "engine/quant/blocks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace latent::quant {
namespace {

void quantizeQ8_0(std::span<const float> x, BlockQ8_0* out)
{
    for (size_t b = 0; b < x.size() / kBlockQ8_0; ++b) {
        const float* v = x.data() + b * kBlockQ8_0;
        float amax = 0;
        for (int i = 0; i < kBlockQ8_0; ++i)
            amax = std::max(amax, std::fabs(v[i]));
        const float d = amax / 127.0f;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        out[b].d = floatToHalf(d);
        for (int i = 0; i < kBlockQ8_0; ++i)
            out[b].q[i] = int8_t(std::lround(v[i] * id));
    }
}

void quantizeQ4_0(std::span<const float> x, BlockQ4_0* out)
{
    for (size_t b = 0; b < x.size() / kBlockQ4_0; ++b) {
        const float* v = x.data() + b * kBlockQ4_0;
        // The value of largest magnitude, with its sign, maps to -8: the full range is used.
        float max = 0;
        for (int i = 0; i < kBlockQ4_0; ++i) {
            if (std::fabs(v[i]) > std::fabs(max))
                max = v[i];
        }
        const float d = max / -8.0f;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        out[b].d = floatToHalf(d);
        for (int i = 0; i < kBlockQ4_0 / 2; ++i) {
            const auto q0 = uint8_t(std::min(15.0f, v[i] * id + 8.5f));
            const auto q1 = uint8_t(std::min(15.0f, v[i + kBlockQ4_0 / 2] * id + 8.5f));
            out[b].q[i] = uint8_t(q0 | (q1 << 4));
        }
    }
}

} // namespace

bool canQuantize(gguf::TensorType type)
{
    using gguf::TensorType;
    return type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16 ||
           type == TensorType::Q8_0 || type == TensorType::Q4_0;
}

std::vector<uint8_t> quantize(gguf::TensorType type, std::span<const float> values)
{
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    if (!canQuantize(type))
        throw Error(fmt::format("quantizing to {} is not supported by this build", traits.name));
    if (values.size() % traits.blockValues != 0)
        throw Error(fmt::format("{} needs a multiple of {} values, got {}", traits.name, traits.blockValues,
                                values.size()));
    std::vector<uint8_t> bytes(values.size() / traits.blockValues * traits.blockBytes);
    switch (type) {
    case gguf::TensorType::F32: std::memcpy(bytes.data(), values.data(), bytes.size()); break;
    case gguf::TensorType::F16:
    case gguf::TensorType::BF16:
        for (size_t i = 0; i < values.size(); ++i) {
            const uint16_t h = type == gguf::TensorType::F16 ? floatToHalf(values[i]) : floatToBf16(values[i]);
            std::memcpy(bytes.data() + 2 * i, &h, 2);
        }
        break;
    case gguf::TensorType::Q8_0: quantizeQ8_0(values, reinterpret_cast<BlockQ8_0*>(bytes.data())); break;
    case gguf::TensorType::Q4_0: quantizeQ4_0(values, reinterpret_cast<BlockQ4_0*>(bytes.data())); break;
    default: break;
    }
    return bytes;
}

std::vector<float> dequantize(gguf::TensorType type, std::span<const uint8_t> bytes, size_t count)
{
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    if (!canQuantize(type))
        throw Error(fmt::format("dequantizing {} is not supported by this build", traits.name));
    if (count % traits.blockValues != 0 || bytes.size() < count / traits.blockValues * traits.blockBytes)
        throw Error(fmt::format("{}: {} bytes do not hold {} values", traits.name, bytes.size(), count));
    std::vector<float> out(count);
    for (size_t i = 0; i < count; ++i) {
        switch (type) {
        case gguf::TensorType::F32: std::memcpy(&out[i], bytes.data() + 4 * i, 4); break;
        case gguf::TensorType::F16:
        case gguf::TensorType::BF16: {
            uint16_t h;
            std::memcpy(&h, bytes.data() + 2 * i, 2);
            out[i] = type == gguf::TensorType::F16 ? halfToFloat(h) : bf16ToFloat(h);
            break;
        }
        case gguf::TensorType::Q8_0: {
            const auto& block = reinterpret_cast<const BlockQ8_0*>(bytes.data())[i / kBlockQ8_0];
            out[i] = halfToFloat(block.d) * block.q[i % kBlockQ8_0];
            break;
        }
        case gguf::TensorType::Q4_0: {
            const auto& block = reinterpret_cast<const BlockQ4_0*>(bytes.data())[i / kBlockQ4_0];
            const size_t j = i % kBlockQ4_0;
            const int q = j < 16 ? (block.q[j] & 0x0F) : (block.q[j - 16] >> 4);
            out[i] = halfToFloat(block.d) * float(q - 8);
            break;
        }
        default: break;
        }
    }
    return out;
}

} // namespace latent::quant
