#include "engine/gguf/gguf_encoder.h"

#include <array>

namespace latent::gguf {

void GgufEncoder::putBytes(const void* data, size_t size)
{
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    position_ += size;
}

void GgufEncoder::putString(std::string_view text)
{
    put<uint64_t>(text.size());
    putBytes(text.data(), text.size());
}

void GgufEncoder::putValuePayload(const Value& value)
{
    std::visit(
        [this](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) {
                putString(v);
            } else if constexpr (std::is_same_v<T, Array>) {
                put<uint32_t>(static_cast<uint32_t>(v.elementType));
                put<uint64_t>(v.items.size());
                for (const Value& item : v.items)
                    putValuePayload(item);
            } else if constexpr (std::is_same_v<T, bool>) {
                put<uint8_t>(v ? 1 : 0);
            } else {
                put<T>(v);
            }
        },
        value);
}

void GgufEncoder::putKeyValue(std::string_view key, const Value& value)
{
    putString(key);
    put<uint32_t>(static_cast<uint32_t>(valueType(value)));
    putValuePayload(value);
}

void GgufEncoder::putPaddingTo(uint64_t alignment)
{
    static constexpr std::array<char, 256> kZeros{};
    uint64_t missing = (alignment - position_ % alignment) % alignment;
    while (missing > 0) {
        const uint64_t chunk = missing < kZeros.size() ? missing : kZeros.size();
        putBytes(kZeros.data(), chunk);
        missing -= chunk;
    }
}

} // namespace latent::gguf
