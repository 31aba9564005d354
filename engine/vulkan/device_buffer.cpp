#include "engine/vulkan/device_buffer.h"

#include <atomic>
#include <bit>

namespace latent::vulkan {

namespace {

std::atomic<uint64_t> buffersMade{0};

} // namespace

Buffer::Buffer(std::shared_ptr<VulkanDevice> device, uint64_t bytes, bool hostVisible)
    : device_(std::move(device)), bytes_(bytes), id_(++buffersMade)
{
    VkBufferCreateInfo info{.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.size = bytes;
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    const VkDevice d = device_->handle();
    check(vkCreateBuffer(d, &info, nullptr, &buffer_), "creating a buffer");
    VkMemoryRequirements requirements;
    vkGetBufferMemoryRequirements(d, buffer_, &requirements);
    VkMemoryAllocateInfo allocate{.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    allocate.allocationSize = requirements.size;
    try {
        allocate.memoryTypeIndex = device_->memoryType(requirements.memoryTypeBits, hostVisible);
        check(vkAllocateMemory(d, &allocate, nullptr, &memory_), "allocating device memory");
        check(vkBindBufferMemory(d, buffer_, memory_, 0), "binding device memory");
        if (hostVisible) {
            void* pointer = nullptr;
            check(vkMapMemory(d, memory_, 0, VK_WHOLE_SIZE, 0, &pointer), "mapping device memory");
            mapped_ = static_cast<uint8_t*>(pointer);
        }
    } catch (...) {
        vkDestroyBuffer(d, buffer_, nullptr);
        vkFreeMemory(d, memory_, nullptr);
        throw;
    }
}

Buffer::~Buffer()
{
    vkDestroyBuffer(device_->handle(), buffer_, nullptr);
    vkFreeMemory(device_->handle(), memory_, nullptr); // unmaps too
}

std::shared_ptr<DeviceStorage> BufferPool::acquire(uint64_t bytes)
{
    const uint64_t size = std::bit_ceil(std::max<uint64_t>(bytes, 256));
    std::shared_ptr<Buffer> buffer;
    if (auto it = free_.find(size); it != free_.end() && !it->second.empty()) {
        buffer = std::move(it->second.begin()->second);
        it->second.erase(it->second.begin());
    } else {
        buffer = std::make_shared<Buffer>(device_, size, false);
    }
    std::weak_ptr<BufferPool> pool = weak_from_this();
    auto* storage = new DeviceStorage;
    storage->parts.push_back(std::move(buffer));
    return std::shared_ptr<DeviceStorage>(storage, [pool, size](DeviceStorage* released) {
        if (auto alive = pool.lock())
            alive->free_[size].emplace(released->parts[0]->id(), std::move(released->parts[0]));
        delete released;
    });
}

} // namespace latent::vulkan
