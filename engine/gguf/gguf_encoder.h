#pragma once

#include "engine/gguf/value.h"

#include <bit>
#include <cstdint>
#include <ostream>
#include <string_view>
#include <type_traits>

namespace latent::gguf {

static_assert(std::endian::native == std::endian::little, "GGUF is little-endian; so must the host be");

// Writes GGUF's primitive encodings (little-endian scalars, length-prefixed strings, typed values)
// to a stream and counts the bytes written, so callers can pad to an alignment.
class GgufEncoder {
public:
    explicit GgufEncoder(std::ostream& out) : out_(out) {}

    template <typename T>
        requires std::is_trivially_copyable_v<T>
    void put(T value)
    {
        putBytes(&value, sizeof value);
    }

    void putBytes(const void* data, size_t size);
    void putString(std::string_view text);            // uint64 length, then the bytes
    void putValuePayload(const Value& value);         // the value alone, without its type code
    void putKeyValue(std::string_view key, const Value& value);
    void putPaddingTo(uint64_t alignment);            // zero bytes up to the next multiple

    uint64_t position() const { return position_; }

private:
    std::ostream& out_;
    uint64_t position_ = 0;
};

} // namespace latent::gguf
