#include "engine/vulkan/vulkan_device.h"

#include "engine/core/error.h"

#include <fmt/format.h>

#include <cstdlib>

namespace latent::vulkan {

VulkanDevice::VulkanDevice(std::shared_ptr<VulkanInstance> instance, uint32_t index)
    : instance_(std::move(instance)), index_(index), physical_(instance_->physicalDevice(index))
{
    uint32_t count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(physical_, &count, nullptr);
    std::vector<VkQueueFamilyProperties> families(count);
    vkGetPhysicalDeviceQueueFamilyProperties(physical_, &count, families.data());
    // A compute-only family where there is one (it does not wait behind graphics), else any with compute.
    bool found = false;
    for (uint32_t i = 0; i < count; ++i) {
        const VkQueueFlags flags = families[i].queueFlags;
        if ((flags & VK_QUEUE_COMPUTE_BIT) && (!found || !(flags & VK_QUEUE_GRAPHICS_BIT))) {
            queueFamily_ = i;
            found = true;
        }
    }
    if (!found)
        throw Error(fmt::format("vulkan: device '{}' has no compute queue; choose another with --device", description().name));

    timestampBits_ = families[queueFamily_].timestampValidBits;
    VkPhysicalDeviceProperties properties;
    vkGetPhysicalDeviceProperties(physical_, &properties);
    timestampPeriodNs_ = properties.limits.timestampPeriod;

    memoryBudget_ = hasDeviceExtension(physical_, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queue{.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queue.queueFamilyIndex = queueFamily_;
    queue.queueCount = 1;
    queue.pQueuePriorities = &priority;
    const char* extensions[] = {VK_EXT_MEMORY_BUDGET_EXTENSION_NAME};
    VkDeviceCreateInfo info{.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    info.queueCreateInfoCount = 1;
    info.pQueueCreateInfos = &queue;
    info.enabledExtensionCount = memoryBudget_ ? 1 : 0;
    info.ppEnabledExtensionNames = extensions;
    check(vkCreateDevice(physical_, &info, nullptr, &device_), "creating the Vulkan device");
    vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);
    vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);
}

VulkanDevice::~VulkanDevice()
{
    vkDestroyDevice(device_, nullptr);
}

uint32_t VulkanDevice::memoryType(uint32_t allowedTypes, bool hostVisible) const
{
    const VkMemoryPropertyFlags wanted = hostVisible
                                             ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
                                             : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
    for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
        if ((allowedTypes & (1u << i)) && (memory_.memoryTypes[i].propertyFlags & wanted) == wanted)
            return i;
    }
    if (!hostVisible) { // no device-local type for buffers (unusual): any will do
        for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
            if (allowedTypes & (1u << i))
                return i;
        }
    }
    throw Error(fmt::format("vulkan: device '{}' has no {} memory for buffers; update the driver or use --backend cpu",
                            description().name, hostVisible ? "host-visible, coherent" : "suitable"));
}

uint64_t VulkanDevice::deviceLocalBudget() const
{
    if (const char* forced = std::getenv("LATENT_VULKAN_BUDGET_MIB"); forced && *forced) {
        char* end = nullptr;
        const unsigned long long mib = std::strtoull(forced, &end, 10);
        if (*end != '\0')
            throw Error(fmt::format("LATENT_VULKAN_BUDGET_MIB='{}' is not a whole number of MiB; set it to one, or "
                                    "unset it to use what the device reports",
                                    forced));
        return uint64_t(mib) << 20;
    }
    VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT};
    VkPhysicalDeviceMemoryProperties2 properties{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2,
                                                 memoryBudget_ ? &budget : nullptr};
    vkGetPhysicalDeviceMemoryProperties2(physical_, &properties);
    uint64_t total = 0;
    for (uint32_t i = 0; i < memory_.memoryHeapCount; ++i) {
        if (!(memory_.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT))
            continue;
        total += memoryBudget_ ? budget.heapBudget[i] - std::min(budget.heapUsage[i], budget.heapBudget[i])
                               : memory_.memoryHeaps[i].size;
    }
    return total;
}

} // namespace latent::vulkan
