#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace latent::gguf {

// The metadata value types of GGUF, with their codes in files.
enum class ValueType : uint32_t {
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
};

struct Array;

// One metadata value. The alternatives are in the order of ValueType's codes, so that
// index() == the code: a value knows the type it is stored as in the file.
using Value = std::variant<uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, float, bool,
                           std::string, Array, uint64_t, int64_t, double>;

// An array keeps its element type even when empty, because GGUF stores it.
struct Array {
    ValueType elementType = ValueType::UInt8;
    std::vector<Value> items;

    bool operator==(const Array&) const = default;
};

inline ValueType valueType(const Value& value)
{
    return static_cast<ValueType>(value.index());
}

bool isKnownValueType(uint32_t code);
std::string_view valueTypeName(ValueType type);

// The ValueType that stores a C++ type T (uint32_t -> UInt32, std::string -> String, ...).
template <typename T, typename Variant>
struct VariantIndex;
template <typename T, typename... Ts>
struct VariantIndex<T, std::variant<Ts...>> {
    static constexpr size_t value = [] {
        size_t index = 0;
        static_cast<void>(((std::is_same_v<T, Ts> ? false : (++index, true)) && ...)); // stops at the first match
        return index;
    }();
};

template <typename T>
constexpr ValueType valueTypeOf()
{
    static_assert(VariantIndex<T, Value>::value < std::variant_size_v<Value>, "not a GGUF value type");
    return static_cast<ValueType>(VariantIndex<T, Value>::value);
}

// A one-line rendering for people: strings quoted and cut at maxChars, arrays as their
// element type, length and first few items.
std::string describeValue(const Value& value, size_t maxChars = 80);

} // namespace latent::gguf
