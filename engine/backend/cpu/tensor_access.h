#pragma once

// How the CPU backend holds a tensor in host memory, how its operations reach the rows, and how
// they report a call that breaks an operation's contract (a bug in an architecture, not bad user
// input).

#include "engine/backend/backend.h"
#include "engine/core/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace latent::cpu {

// A CPU tensor's bytes: 64-byte aligned memory of its own, or a model file's mapped pages read in
// place (the model keeps the file, and so the mapping, alive as long as its tensors).
class HostStorage final : public TensorStorage {
public:
    static constexpr Kind kKind = Kind::Host;

    // Owned memory of at least `bytes`, uninitialized; nullptr when the system has too little.
    // Blocks of kLargeBytes and more (weights) start on a huge page's boundary and, on Linux, are
    // advised as transparent huge pages: a decoding step streams every weight once, and with 4 KiB
    // pages the processor walks the page tables and restarts its prefetching at every page.
    static std::shared_ptr<HostStorage> allocate(size_t bytes)
    {
        const size_t alignment = bytes >= kLargeBytes ? kHugePageBytes : 64;
        const size_t size = (std::max<size_t>(bytes, 1) + 63) / 64 * 64;
        void* memory = ::operator new(size, std::align_val_t{alignment}, std::nothrow);
        if (!memory)
            return nullptr;
#ifdef __linux__
        // Whole huge pages only: a last one that the block fills in part would be resident in
        // full (about 1 MiB more per weight matrix); its part stays in small pages.
        if (alignment == kHugePageBytes)
            madvise(memory, size / kHugePageBytes * kHugePageBytes, MADV_HUGEPAGE); // advice: may be ignored
#endif
        return std::shared_ptr<HostStorage>(new HostStorage(static_cast<uint8_t*>(memory), alignment));
    }
    static std::shared_ptr<HostStorage> inPlace(const uint8_t* bytes)
    {
        // Never written: the backend writes activations and caches, which it allocates.
        return std::shared_ptr<HostStorage>(new HostStorage(const_cast<uint8_t*>(bytes), 0));
    }
    ~HostStorage() override
    {
        if (alignment_ != 0)
            ::operator delete(bytes_, std::align_val_t{alignment_});
    }

    uint8_t* bytes() const { return bytes_; }

private:
    static constexpr size_t kLargeBytes = size_t(4) << 20, kHugePageBytes = size_t(2) << 20;

    HostStorage(uint8_t* bytes, size_t alignment) : TensorStorage(kKind), bytes_(bytes), alignment_(alignment) {}

    uint8_t* bytes_;
    size_t alignment_; // of owned memory; 0 for a file's pages read in place
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

// Where an F16 key/value cache of heads of headDim values keeps head h's values of position p, in
// either arrangement (TensorLayout::Rows or HeadMajor): h * head + p * position F16 values from
// its row 0.
struct CacheSteps {
    size_t head, position;
};

inline CacheSteps cacheSteps(const Tensor& cache, int64_t headDim)
{
    if (cache.layout == TensorLayout::HeadMajor)
        return {size_t(cache.rows * headDim), size_t(headDim)};
    return {size_t(headDim), size_t(cache.cols)};
}

inline void require(bool condition, const char* operation, const char* what)
{
    if (!condition)
        throw Error(fmt::format("cpu backend: {}: {}", operation, what));
}

} // namespace latent::cpu
