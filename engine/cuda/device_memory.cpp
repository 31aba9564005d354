#include "engine/cuda/device_memory.h"

#include "engine/cuda/cuda_check.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <bit>

namespace latent::cuda {

DeviceMemory::DeviceMemory(uint64_t bytes) : bytes_(bytes)
{
    void* memory = nullptr;
    const cudaError_t status = cudaMalloc(&memory, std::max<uint64_t>(bytes, 256));
    if (status == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        throw Error(fmt::format("cuda: the device has no {} MiB free; use a smaller model or context, close programs "
                                "that use the GPU, or use --backend cpu",
                                (bytes + (1u << 20) - 1) >> 20),
                    ErrorKind::OutOfMemory);
    }
    check(status, "allocating device memory");
    data_ = static_cast<uint8_t*>(memory);
}

DeviceMemory::~DeviceMemory()
{
    cudaFree(data_);
}

std::shared_ptr<CudaStorage> MemoryPool::acquire(uint64_t bytes)
{
    const uint64_t size = std::bit_ceil(std::max<uint64_t>(bytes, 256));
    std::shared_ptr<DeviceMemory> block;
    if (auto it = free_.find(size); it != free_.end()) {
        block = std::move(it->second);
        free_.erase(it);
    } else {
        try {
            block = std::make_shared<DeviceMemory>(size);
        } catch (const Error& error) {
            if (error.kind() != ErrorKind::OutOfMemory || free_.empty())
                throw;
            free_.clear(); // blocks of other sizes, given back to the device
            block = std::make_shared<DeviceMemory>(size);
        }
    }
    std::weak_ptr<MemoryPool> pool = weak_from_this();
    return std::shared_ptr<CudaStorage>(new CudaStorage(block), [pool, size](CudaStorage* released) {
        if (auto alive = pool.lock())
            alive->free_.emplace(size, std::move(released->memory));
        delete released;
    });
}

HostArena::~HostArena()
{
    for (const Chunk& chunk : chunks_)
        cudaFreeHost(chunk.data);
}

uint8_t* HostArena::take(uint64_t bytes)
{
    bytes = (bytes + 255) / 256 * 256;
    for (Chunk& chunk : chunks_) {
        if (chunk.bytes - chunk.used >= bytes) {
            uint8_t* data = chunk.data + chunk.used;
            chunk.used += bytes;
            return data;
        }
    }
    // A new chunk, at least 4 MiB: uploads are small, and pinning memory is slow.
    const uint64_t size = std::max<uint64_t>(std::bit_ceil(bytes), uint64_t(4) << 20);
    void* memory = nullptr;
    check(cudaMallocHost(&memory, size), "allocating page-locked host memory");
    chunks_.push_back({static_cast<uint8_t*>(memory), size, bytes});
    return chunks_.back().data;
}

void HostArena::reset()
{
    for (Chunk& chunk : chunks_)
        chunk.used = 0;
}

} // namespace latent::cuda
