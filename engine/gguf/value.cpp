#include "engine/gguf/value.h"

#include <array>
#include <fmt/format.h>

namespace latent::gguf {
namespace {

constexpr std::array<std::string_view, 13> kValueTypeNames = {
    "uint8", "int8", "uint16", "int16", "uint32", "int32", "float32",
    "bool",  "string", "array", "uint64", "int64", "float64",
};

// Cuts text to at most maxChars bytes without splitting a UTF-8 sequence.
std::string_view cutUtf8(std::string_view text, size_t maxChars)
{
    if (text.size() <= maxChars)
        return text;
    size_t end = maxChars;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    return text.substr(0, end);
}

std::string quoted(std::string_view text, size_t maxChars)
{
    std::string out = "\"";
    for (char c : cutUtf8(text, maxChars)) {
        switch (c) {
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
            else
                out += c;
        }
    }
    out += '"';
    if (text.size() > maxChars)
        out += fmt::format("... ({} bytes)", text.size());
    return out;
}

} // namespace

bool isKnownValueType(uint32_t code)
{
    return code < kValueTypeNames.size();
}

std::string_view valueTypeName(ValueType type)
{
    const auto code = static_cast<uint32_t>(type);
    return isKnownValueType(code) ? kValueTypeNames[code] : "unknown";
}

std::string describeValue(const Value& value, size_t maxChars)
{
    return std::visit(
        [&](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) {
                return quoted(v, maxChars);
            } else if constexpr (std::is_same_v<T, Array>) {
                std::string out = fmt::format("[{} x {}]", valueTypeName(v.elementType), v.items.size());
                constexpr size_t kShown = 4;
                for (size_t i = 0; i < v.items.size() && i < kShown; ++i)
                    out += (i == 0 ? " " : ", ") + describeValue(v.items[i], 24);
                if (v.items.size() > kShown)
                    out += ", ...";
                return out;
            } else if constexpr (std::is_same_v<T, bool>) {
                return v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, int8_t>) {
                return fmt::format("{}", static_cast<int>(v));
            } else {
                return fmt::format("{}", v);
            }
        },
        value);
}

} // namespace latent::gguf
