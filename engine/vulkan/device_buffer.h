#pragma once

#include "engine/backend/backend.h"
#include "engine/vulkan/vulkan_device.h"

#include <map>
#include <memory>
#include <vector>

namespace latent::vulkan {

// One VkBuffer with its own memory: device-local (weights, activations, caches) or host-visible
// and mapped (uploads and read-backs). Usable as a storage buffer and both ends of a copy.
class Buffer {
public:
    Buffer(std::shared_ptr<VulkanDevice> device, uint64_t bytes, bool hostVisible);
    ~Buffer();
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    VkBuffer handle() const { return buffer_; }
    // Unique for the process's life, unlike a handle, which a later buffer may reuse.
    uint64_t id() const { return id_; }
    uint64_t bytes() const { return bytes_; }
    uint8_t* mapped() const { return mapped_; } // host-visible buffers only

private:
    std::shared_ptr<VulkanDevice> device_;
    uint64_t bytes_;
    uint64_t id_;
    VkBuffer buffer_ = VK_NULL_HANDLE;
    VkDeviceMemory memory_ = VK_NULL_HANDLE;
    uint8_t* mapped_ = nullptr;
};

// What a Tensor's storage points to on this backend: its rows in one buffer, or (a weight larger
// than one storage buffer may be) split by rows across several, rowsPerPart rows each.
struct DeviceStorage final : TensorStorage {
    static constexpr Kind kKind = Kind::Vulkan;
    DeviceStorage() : TensorStorage(kKind) {}

    std::vector<std::shared_ptr<Buffer>> parts;
    int64_t rowsPerPart = 0; // 0: one part holds every row
};

// Device-local buffers for activations, reused: a tensor's buffer returns to the pool when its
// last copy is gone (the command recorder holds a copy until its commands have run).
class BufferPool : public std::enable_shared_from_this<BufferPool> {
public:
    explicit BufferPool(std::shared_ptr<VulkanDevice> device) : device_(std::move(device)) {}

    // Storage of at least `bytes` (rounded up to a power of two, so buffers are reused across sizes):
    // the free buffer of that size made first, so that a decoding step given back the buffers of the
    // step before it draws them again in the same order, and records the same commands (see
    // CommandRecorder's replay).
    std::shared_ptr<DeviceStorage> acquire(uint64_t bytes);

private:
    std::shared_ptr<VulkanDevice> device_;
    std::map<uint64_t, std::map<uint64_t, std::shared_ptr<Buffer>>> free_; // size -> buffer id -> buffer
};

} // namespace latent::vulkan
