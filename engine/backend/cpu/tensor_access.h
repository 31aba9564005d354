#pragma once

// How the CPU backend holds a tensor in host memory, how its operations reach the rows, and how
// they report a call that breaks an operation's contract (a bug in an architecture, not bad user
// input).

#include "engine/backend/backend.h"
#include "engine/core/aligned_buffer.h"
#include "engine/core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace latent::cpu {

// A CPU tensor's bytes: 64-byte aligned memory of its own, or a model file's mapped pages read in
// place (the model keeps the file, and so the mapping, alive as long as its tensors).
class HostStorage final : public TensorStorage {
public:
    static constexpr Kind kKind = Kind::Host;

    // Owned memory of at least `bytes`, uninitialized; nullptr when the system has too little.
    static std::shared_ptr<HostStorage> allocate(size_t bytes)
    {
        void* memory = allocateAligned64((std::max<size_t>(bytes, 1) + 63) / 64 * 64);
        return memory ? std::shared_ptr<HostStorage>(new HostStorage(static_cast<uint8_t*>(memory), true)) : nullptr;
    }
    static std::shared_ptr<HostStorage> inPlace(const uint8_t* bytes)
    {
        // Never written: the backend writes activations and caches, which it allocates.
        return std::shared_ptr<HostStorage>(new HostStorage(const_cast<uint8_t*>(bytes), false));
    }
    ~HostStorage() override
    {
        if (owned_)
            freeAligned64(bytes_);
    }

    uint8_t* bytes() const { return bytes_; }

private:
    HostStorage(uint8_t* bytes, bool owned) : TensorStorage(kKind), bytes_(bytes), owned_(owned) {}

    uint8_t* bytes_;
    bool owned_;
};

template <typename T = uint8_t>
T* rowPointer(const Tensor& tensor, int64_t row)
{
    uint8_t* base = storageOf<HostStorage>(tensor).bytes() + tensor.offset;
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
