#pragma once

// How the CPU backend's operations reach a tensor's rows in host memory, and how they report a
// call that breaks an operation's contract (a bug in an architecture, not bad user input).

#include "engine/backend/backend.h"
#include "engine/core/error.h"

#include <fmt/format.h>

#include <cstdint>

namespace latent::cpu {

template <typename T = uint8_t>
T* rowPointer(const Tensor& tensor, int64_t row)
{
    auto* base = static_cast<uint8_t*>(tensor.storage.get()) + tensor.offset;
    return reinterpret_cast<T*>(base + size_t(row) * tensor.rowBytes());
}

inline float* floats(const Tensor& tensor, int64_t row = 0)
{
    return rowPointer<float>(tensor, row);
}

inline void require(bool condition, const char* operation, const char* what)
{
    if (!condition)
        throw Error(fmt::format("cpu backend: {}: {}", operation, what));
}

} // namespace latent::cpu
