#pragma once

#include "engine/backend/backend.h"

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace latent::cuda {

// A block of device memory (cudaMalloc), freed with its last reference. Throws Error (out of
// memory) when the device has too little.
class DeviceMemory {
public:
    explicit DeviceMemory(uint64_t bytes);
    ~DeviceMemory();
    DeviceMemory(const DeviceMemory&) = delete;
    DeviceMemory& operator=(const DeviceMemory&) = delete;

    uint8_t* data() const { return data_; }
    uint64_t bytes() const { return bytes_; }

private:
    uint8_t* data_ = nullptr;
    uint64_t bytes_;
};

// What a Tensor's storage is on the CUDA backend: one block of device memory (a CUDA kernel
// addresses any size, so no weight is split as Vulkan's bindings make it).
struct CudaStorage final : TensorStorage {
    static constexpr Kind kKind = Kind::Cuda;
    explicit CudaStorage(std::shared_ptr<DeviceMemory> block) : TensorStorage(kKind), memory(std::move(block)) {}

    std::shared_ptr<DeviceMemory> memory;
};

// Device memory for activations, reused: cudaMalloc and cudaFree wait for the whole device, so a
// tensor's block returns to the pool (by power-of-two size) when its last copy is gone. All work
// runs on one stream, whose order keeps a block's earlier reads before a later owner's writes.
class MemoryPool : public std::enable_shared_from_this<MemoryPool> {
public:
    std::shared_ptr<CudaStorage> acquire(uint64_t bytes);

private:
    std::multimap<uint64_t, std::shared_ptr<DeviceMemory>> free_;
};

// Page-locked host memory for what operations upload (token ids, rotations, head ids) and read
// back: copies from it run asynchronously on the stream, so a byte handed out is not reused until
// the stream has finished (reset(), after synchronizing).
class HostArena {
public:
    HostArena() = default;
    ~HostArena();
    HostArena(const HostArena&) = delete;
    HostArena& operator=(const HostArena&) = delete;

    // `bytes` of pinned memory, 256-byte aligned, valid until reset().
    uint8_t* take(uint64_t bytes);
    void reset();

private:
    struct Chunk {
        uint8_t* data;
        uint64_t bytes;
        uint64_t used;
    };
    std::vector<Chunk> chunks_;
};

} // namespace latent::cuda
