#pragma once

#include "engine/vulkan/device_description.h"
#include "engine/vulkan/vulkan_functions.h"

#include <memory>

namespace latent::vulkan {

// The Vulkan instance and its physical devices, described. Shared by every device made from it.
class VulkanInstance {
public:
    // Throws Error when the loader is missing or vkCreateInstance fails.
    static std::shared_ptr<VulkanInstance> create();
    ~VulkanInstance();
    VulkanInstance(const VulkanInstance&) = delete;
    VulkanInstance& operator=(const VulkanInstance&) = delete;

    VkInstance handle() const { return instance_; }
    const std::vector<DeviceDescription>& devices() const { return descriptions_; }
    VkPhysicalDevice physicalDevice(uint32_t index) const { return physicalDevices_.at(index); }

private:
    VulkanInstance() = default;

    VkInstance instance_ = VK_NULL_HANDLE;
    std::vector<VkPhysicalDevice> physicalDevices_;
    std::vector<DeviceDescription> descriptions_;
};

// Whether the device has the extension.
bool hasDeviceExtension(VkPhysicalDevice device, const char* name);

} // namespace latent::vulkan
