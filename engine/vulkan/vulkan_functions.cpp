#include "engine/vulkan/vulkan_functions.h"

#include "engine/core/error.h"
#include "engine/vulkan/vulkan_library.h"

#include <fmt/format.h>

#include <mutex>

namespace latent::vulkan {

#define LATENT_VULKAN_DEFINE(name) PFN_##name name = nullptr;
LATENT_VULKAN_GLOBAL_FUNCTIONS(LATENT_VULKAN_DEFINE)
LATENT_VULKAN_INSTANCE_FUNCTIONS(LATENT_VULKAN_DEFINE)
#undef LATENT_VULKAN_DEFINE

namespace {

PFN_vkGetInstanceProcAddr getInstanceProcAddr = nullptr;
std::mutex loading;

} // namespace

void loadGlobalFunctions()
{
    const std::lock_guard lock(loading);
    if (getInstanceProcAddr)
        return;
    getInstanceProcAddr = openVulkanLibrary();
#define LATENT_VULKAN_LOAD(name) name = reinterpret_cast<PFN_##name>(getInstanceProcAddr(nullptr, #name));
    LATENT_VULKAN_GLOBAL_FUNCTIONS(LATENT_VULKAN_LOAD)
#undef LATENT_VULKAN_LOAD
    if (!vkCreateInstance)
        throw Error("vulkan: the Vulkan loader has no vkCreateInstance; reinstall it or use --backend cpu");
}

void loadInstanceFunctions(VkInstance instance)
{
    const std::lock_guard lock(loading);
    const char* missing = nullptr;
#define LATENT_VULKAN_LOAD(name)                                                                                       \
    name = reinterpret_cast<PFN_##name>(getInstanceProcAddr(instance, #name));                                         \
    if (!name && !missing)                                                                                             \
        missing = #name;
    LATENT_VULKAN_INSTANCE_FUNCTIONS(LATENT_VULKAN_LOAD)
#undef LATENT_VULKAN_LOAD
    if (missing)
        throw Error(fmt::format("vulkan: the loader lacks {} (Vulkan 1.2 is needed); update the Vulkan loader and "
                                "driver, or use --backend cpu",
                                missing));
}

const char* resultName(VkResult result)
{
    switch (result) {
    case VK_SUCCESS: return "VK_SUCCESS";
    case VK_NOT_READY: return "VK_NOT_READY";
    case VK_TIMEOUT: return "VK_TIMEOUT";
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_MEMORY_MAP_FAILED: return "VK_ERROR_MEMORY_MAP_FAILED";
    case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
    case VK_ERROR_FEATURE_NOT_PRESENT: return "VK_ERROR_FEATURE_NOT_PRESENT";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case VK_ERROR_TOO_MANY_OBJECTS: return "VK_ERROR_TOO_MANY_OBJECTS";
    case VK_ERROR_OUT_OF_POOL_MEMORY: return "VK_ERROR_OUT_OF_POOL_MEMORY";
    default: return "an unknown VkResult";
    }
}

void check(VkResult result, const char* what)
{
    if (result == VK_SUCCESS)
        return;
    const char* advice = result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY
                             ? "close other programs that use the GPU, use a smaller model or context, or use --backend cpu"
                         : result == VK_ERROR_DEVICE_LOST ? "the GPU driver reset the device; update the driver or use "
                                                            "--backend cpu"
                                                          : "update the GPU driver, or use --backend cpu";
    throw Error(fmt::format("vulkan: {} failed ({}); {}", what, resultName(result), advice));
}

} // namespace latent::vulkan
