#include "engine/vulkan/vulkan_instance.h"

#include "engine/core/error.h"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

namespace latent::vulkan {
namespace {

constexpr uint32_t kRequiredApi = VK_API_VERSION_1_2; // the shaders are SPIR-V 1.5 (Vulkan 1.2)

std::string versionText(uint32_t version)
{
    return fmt::format("{}.{}.{}", VK_API_VERSION_MAJOR(version), VK_API_VERSION_MINOR(version),
                       VK_API_VERSION_PATCH(version));
}

DeviceType deviceType(VkPhysicalDeviceType type)
{
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return DeviceType::Discrete;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return DeviceType::Integrated;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return DeviceType::Virtual;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return DeviceType::Cpu;
    default: return DeviceType::Other;
    }
}

bool hasComputeQueue(VkPhysicalDevice device)
{
    uint32_t count = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, nullptr);
    std::vector<VkQueueFamilyProperties> families(count);
    vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families.data());
    for (const VkQueueFamilyProperties& family : families) {
        if (family.queueFlags & VK_QUEUE_COMPUTE_BIT)
            return true;
    }
    return false;
}

DeviceDescription describe(VkPhysicalDevice device, uint32_t index)
{
    VkPhysicalDeviceDriverProperties driver{.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    VkPhysicalDeviceSubgroupProperties subgroup{.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES, .pNext = &driver};
    VkPhysicalDeviceProperties2 properties{.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2, .pNext = &subgroup};
    vkGetPhysicalDeviceProperties2(device, &properties);
    const VkPhysicalDeviceProperties& p = properties.properties;

    DeviceDescription d;
    d.index = index;
    d.name = p.deviceName;
    d.type = deviceType(p.deviceType);
    d.apiVersion = versionText(p.apiVersion);
    d.driver = p.apiVersion >= kRequiredApi ? fmt::format("{} ({})", driver.driverName, driver.driverInfo)
                                            : fmt::format("version {}", p.driverVersion);
    d.maxStorageBufferRange = p.limits.maxStorageBufferRange;
    d.subgroupSize = subgroup.subgroupSize;
    d.subgroupArithmetic = (subgroup.supportedOperations & VK_SUBGROUP_FEATURE_ARITHMETIC_BIT) &&
                           (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT);
    VkPhysicalDeviceMemoryProperties memory;
    vkGetPhysicalDeviceMemoryProperties(device, &memory);
    for (uint32_t i = 0; i < memory.memoryHeapCount; ++i)
        d.heaps.push_back({memory.memoryHeaps[i].size, (memory.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0});

    if (p.apiVersion < kRequiredApi)
        d.unusable = fmt::format("Vulkan {} is needed, the driver offers {}; update the driver", versionText(kRequiredApi),
                                 d.apiVersion);
    else if (!hasComputeQueue(device))
        d.unusable = "it has no compute queue";
    else if (p.limits.maxComputeWorkGroupInvocations < 128 || p.limits.maxComputeSharedMemorySize < 16384)
        d.unusable = "compute workgroups of 128 invocations and 16 KiB of shared memory are needed";
    return d;
}

} // namespace

const char* deviceTypeName(DeviceType type)
{
    switch (type) {
    case DeviceType::Discrete: return "discrete GPU";
    case DeviceType::Integrated: return "integrated GPU";
    case DeviceType::Virtual: return "virtual GPU";
    case DeviceType::Cpu: return "CPU";
    default: return "other";
    }
}

bool hasDeviceExtension(VkPhysicalDevice device, const char* name)
{
    uint32_t count = 0;
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> extensions(count);
    vkEnumerateDeviceExtensionProperties(device, nullptr, &count, extensions.data());
    for (const VkExtensionProperties& extension : extensions) {
        if (std::strcmp(extension.extensionName, name) == 0)
            return true;
    }
    return false;
}

std::shared_ptr<VulkanInstance> VulkanInstance::create()
{
    loadGlobalFunctions();
    uint32_t loaderVersion = VK_API_VERSION_1_0;
    if (vkEnumerateInstanceVersion)
        vkEnumerateInstanceVersion(&loaderVersion);
    if (loaderVersion < kRequiredApi)
        throw Error(fmt::format("vulkan: the Vulkan loader offers version {}, {} is needed; update the Vulkan loader "
                                "(Debian/Ubuntu: libvulkan1; Windows: the GPU driver) or use --backend cpu",
                                versionText(loaderVersion), versionText(kRequiredApi)));
    VkApplicationInfo application{.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO};
    application.pApplicationName = "Latent";
    application.apiVersion = kRequiredApi;
    VkInstanceCreateInfo info{.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    info.pApplicationInfo = &application;
    std::shared_ptr<VulkanInstance> instance(new VulkanInstance);
    check(vkCreateInstance(&info, nullptr, &instance->instance_), "creating a Vulkan instance");
    loadInstanceFunctions(instance->instance_);

    uint32_t count = 0;
    check(vkEnumeratePhysicalDevices(instance->instance_, &count, nullptr), "listing the Vulkan devices");
    instance->physicalDevices_.resize(count);
    check(vkEnumeratePhysicalDevices(instance->instance_, &count, instance->physicalDevices_.data()),
          "listing the Vulkan devices");
    for (uint32_t i = 0; i < count; ++i)
        instance->descriptions_.push_back(describe(instance->physicalDevices_[i], i));
    return instance;
}

VulkanInstance::~VulkanInstance()
{
    if (instance_)
        vkDestroyInstance(instance_, nullptr);
}

std::vector<DeviceDescription> listDevices()
{
    return VulkanInstance::create()->devices();
}

uint32_t chooseDevice(const std::vector<DeviceDescription>& devices, std::optional<uint32_t> requested)
{
    if (devices.empty())
        throw Error("vulkan: no Vulkan device was found; install a GPU driver with Vulkan support (or Mesa's lavapipe, "
                    "mesa-vulkan-drivers), or use --backend cpu");
    std::string setting = "--device";
    if (!requested) {
        if (const char* environment = std::getenv("LATENT_VULKAN_DEVICE"); environment && *environment) {
            char* end = nullptr;
            const unsigned long index = std::strtoul(environment, &end, 10);
            if (*end != '\0')
                throw Error(fmt::format("LATENT_VULKAN_DEVICE='{}' is not a device index; `latent-cli devices` lists "
                                        "them",
                                        environment));
            requested = uint32_t(index);
            setting = "LATENT_VULKAN_DEVICE";
        }
    }
    if (requested) {
        if (*requested >= devices.size())
            throw Error(fmt::format("{} {}: there are {} Vulkan devices (0..{}); `latent-cli devices` lists them",
                                    setting, *requested, devices.size(), devices.size() - 1));
        const DeviceDescription& device = devices[*requested];
        if (!device.usable())
            throw Error(fmt::format("{} {}: Vulkan device '{}' cannot run the backend: {}", setting, *requested,
                                    device.name, device.unusable));
        return *requested;
    }
    for (DeviceType type : {DeviceType::Discrete, DeviceType::Integrated, DeviceType::Virtual, DeviceType::Cpu}) {
        for (const DeviceDescription& device : devices) {
            if (device.type == type && device.usable())
                return device.index;
        }
    }
    throw Error(fmt::format("vulkan: no Vulkan device can run the backend ('{}': {}); use --backend cpu",
                            devices[0].name, devices[0].unusable));
}

} // namespace latent::vulkan
