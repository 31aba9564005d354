#pragma once

#include "engine/vulkan/vulkan_instance.h"

#include <memory>

namespace latent::vulkan {

// A logical device with one compute queue, made from a physical device of an instance.
class VulkanDevice {
public:
    VulkanDevice(std::shared_ptr<VulkanInstance> instance, uint32_t index);
    ~VulkanDevice();
    VulkanDevice(const VulkanDevice&) = delete;
    VulkanDevice& operator=(const VulkanDevice&) = delete;

    VkDevice handle() const { return device_; }
    VkQueue queue() const { return queue_; }
    uint32_t queueFamily() const { return queueFamily_; }
    const DeviceDescription& description() const { return instance_->devices()[index_]; }

    // A memory type for buffers: device-local, or host-visible and coherent (mapped by the host).
    uint32_t memoryType(uint32_t allowedTypes, bool hostVisible) const;
    // Bytes of device-local memory this process may still use (VK_EXT_memory_budget), or the
    // device-local heaps' size where the driver lacks the extension; LATENT_VULKAN_BUDGET_MIB, when
    // set, in place of either (to keep room for other programs, or to test what a small device does).
    uint64_t deviceLocalBudget() const;
    // The compute queue's timestamps: valid bits (0: it writes none) and nanoseconds per tick.
    uint32_t timestampBits() const { return timestampBits_; }
    double timestampPeriodNs() const { return timestampPeriodNs_; }

private:
    std::shared_ptr<VulkanInstance> instance_;
    uint32_t index_;
    VkPhysicalDevice physical_;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    uint32_t queueFamily_ = 0;
    bool memoryBudget_ = false;
    uint32_t timestampBits_ = 0;
    double timestampPeriodNs_ = 0;
    VkPhysicalDeviceMemoryProperties memory_{};
};

} // namespace latent::vulkan
