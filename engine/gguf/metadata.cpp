#include "engine/gguf/metadata.h"

#include <fmt/format.h>

namespace latent::gguf {

const Value* Metadata::find(std::string_view key) const
{
    const auto it = index_.find(std::string(key));
    return it == index_.end() ? nullptr : &entries_[it->second].second;
}

void Metadata::set(std::string key, Value value)
{
    if (const auto it = index_.find(key); it != index_.end()) {
        entries_[it->second].second = std::move(value);
        return;
    }
    insert(std::move(key), std::move(value));
}

bool Metadata::insert(std::string key, Value value)
{
    const auto [it, inserted] = index_.emplace(key, entries_.size());
    if (inserted)
        entries_.emplace_back(std::move(key), std::move(value));
    return inserted;
}

bool Metadata::erase(std::string_view key)
{
    const auto it = index_.find(std::string(key));
    if (it == index_.end())
        return false;
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(it->second));
    index_.clear();
    for (size_t i = 0; i < entries_.size(); ++i)
        index_.emplace(entries_[i].first, i);
    return true;
}

double Metadata::getFloat(std::string_view key) const
{
    const Value& value = require(key);
    if (const float* f = std::get_if<float>(&value))
        return *f;
    if (const double* d = std::get_if<double>(&value))
        return *d;
    throw wrongType(key, value, "float32 or float64");
}

const Value& Metadata::require(std::string_view key) const
{
    if (const Value* value = find(key))
        return *value;
    throw Error(fmt::format("{}: metadata key '{}' is missing; the file may be incomplete or made for "
                            "another architecture",
                            source_, key),
                ErrorKind::ModelDataInvalid);
}

Error Metadata::wrongType(std::string_view key, const Value& found, std::string_view expected) const
{
    std::string foundName(valueTypeName(valueType(found)));
    if (const Array* array = std::get_if<Array>(&found))
        foundName = fmtArrayOf(valueTypeName(array->elementType));
    return Error(fmt::format("{}: metadata key '{}' holds {}, expected {}", source_, key, foundName, expected),
                 ErrorKind::ModelDataInvalid);
}

Error Metadata::outOfRange(std::string_view key, const Value& found, const std::string& min,
                           const std::string& max) const
{
    return Error(fmt::format("{}: metadata key '{}' holds {} {}, expected an integer in [{}, {}]", source_, key,
                             valueTypeName(valueType(found)), describeValue(found), min, max),
                 ErrorKind::ModelDataInvalid);
}

std::string Metadata::fmtArrayOf(std::string_view elementType)
{
    return fmt::format("array of {}", elementType);
}

} // namespace latent::gguf
