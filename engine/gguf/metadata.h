#pragma once

#include "engine/core/error.h"
#include "engine/gguf/value.h"

#include <concepts>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace latent::gguf {

// A GGUF file's key/value metadata, in file order, with typed access. Errors name the file
// (source) and the key, and say which type was found and which was expected.
class Metadata {
public:
    explicit Metadata(std::string source = {}) : source_(std::move(source)) {}

    const std::string& source() const { return source_; }
    size_t size() const { return entries_.size(); }
    const std::vector<std::pair<std::string, Value>>& entries() const { return entries_; }

    bool contains(std::string_view key) const { return find(key) != nullptr; }
    const Value* find(std::string_view key) const;

    // Adds a key, or replaces the value of an existing one in place (keeping its position).
    void set(std::string key, Value value);
    // Adds a key; false if it is already present (the reader reports duplicates).
    bool insert(std::string key, Value value);
    bool erase(std::string_view key);

    // The value stored exactly as T; an Error if the key is missing or holds another type.
    template <typename T>
    const T& get(std::string_view key) const
    {
        const Value& value = require(key);
        if (const T* typed = std::get_if<T>(&value))
            return *typed;
        throw wrongType(key, value, valueTypeName(valueTypeOf<T>()));
    }

    template <typename T>
    std::optional<T> getOptional(std::string_view key) const
    {
        if (!contains(key))
            return std::nullopt;
        return get<T>(key);
    }

    // An integer stored as any integer type, converted to Int when it fits: converters disagree
    // on widths (uint32 vs int32 vs uint64) for the same hyper-parameter.
    template <std::integral Int>
    Int getInteger(std::string_view key) const
    {
        const Value& value = require(key);
        const std::optional<Int> converted = std::visit(
            [](const auto& v) -> std::optional<Int> {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
                    if (std::in_range<Int>(v))
                        return static_cast<Int>(v);
                }
                return std::nullopt;
            },
            value);
        if (!converted)
            throw outOfRange(key, value, std::to_string(std::numeric_limits<Int>::min()),
                             std::to_string(std::numeric_limits<Int>::max()));
        return *converted;
    }

    template <std::integral Int>
    std::optional<Int> getIntegerOptional(std::string_view key) const
    {
        if (!contains(key))
            return std::nullopt;
        return getInteger<Int>(key);
    }

    // A float stored as float32 or float64.
    double getFloat(std::string_view key) const;

    // An array whose elements are all of ValueType T.
    template <typename T>
    std::vector<T> getArrayOf(std::string_view key) const
    {
        const Array& array = get<Array>(key);
        if (array.elementType != valueTypeOf<T>())
            throw wrongType(key, array, fmtArrayOf(valueTypeName(valueTypeOf<T>())));
        std::vector<T> out;
        out.reserve(array.items.size());
        for (const Value& item : array.items)
            out.push_back(std::get<T>(item));
        return out;
    }

private:
    const Value& require(std::string_view key) const;
    Error wrongType(std::string_view key, const Value& found, std::string_view expected) const;
    Error outOfRange(std::string_view key, const Value& found, const std::string& min, const std::string& max) const;
    static std::string fmtArrayOf(std::string_view elementType);

    std::string source_;
    std::vector<std::pair<std::string, Value>> entries_;
    std::unordered_map<std::string, size_t> index_;
};

} // namespace latent::gguf
