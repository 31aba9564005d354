#pragma once

// The Vulkan API as function pointers loaded from the Vulkan loader at run time (vulkan_library.h), so a
// machine without the Vulkan loader still starts the program and runs on the CPU; `--backend
// vulkan` then says the loader is missing. Every file of the Vulkan backend includes this header
// instead of <vulkan/vulkan.h>.

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

namespace latent::vulkan {

#define LATENT_VULKAN_GLOBAL_FUNCTIONS(X)                                                                              \
    X(vkCreateInstance)                                                                                                \
    X(vkEnumerateInstanceVersion)

#define LATENT_VULKAN_INSTANCE_FUNCTIONS(X)                                                                            \
    X(vkDestroyInstance)                                                                                               \
    X(vkEnumeratePhysicalDevices)                                                                                      \
    X(vkGetPhysicalDeviceProperties)                                                                                   \
    X(vkGetPhysicalDeviceProperties2)                                                                                  \
    X(vkGetPhysicalDeviceMemoryProperties)                                                                             \
    X(vkGetPhysicalDeviceMemoryProperties2)                                                                            \
    X(vkGetPhysicalDeviceQueueFamilyProperties)                                                                        \
    X(vkEnumerateDeviceExtensionProperties)                                                                            \
    X(vkCreateDevice)                                                                                                  \
    X(vkDestroyDevice)                                                                                                 \
    X(vkGetDeviceQueue)                                                                                                \
    X(vkCreateBuffer)                                                                                                  \
    X(vkDestroyBuffer)                                                                                                 \
    X(vkGetBufferMemoryRequirements)                                                                                   \
    X(vkAllocateMemory)                                                                                                \
    X(vkFreeMemory)                                                                                                    \
    X(vkBindBufferMemory)                                                                                              \
    X(vkMapMemory)                                                                                                     \
    X(vkCreateShaderModule)                                                                                            \
    X(vkDestroyShaderModule)                                                                                           \
    X(vkCreateDescriptorSetLayout)                                                                                     \
    X(vkDestroyDescriptorSetLayout)                                                                                    \
    X(vkCreatePipelineLayout)                                                                                          \
    X(vkDestroyPipelineLayout)                                                                                         \
    X(vkCreateComputePipelines)                                                                                        \
    X(vkDestroyPipeline)                                                                                               \
    X(vkCreateDescriptorPool)                                                                                          \
    X(vkDestroyDescriptorPool)                                                                                         \
    X(vkResetDescriptorPool)                                                                                           \
    X(vkAllocateDescriptorSets)                                                                                        \
    X(vkUpdateDescriptorSets)                                                                                          \
    X(vkCreateCommandPool)                                                                                             \
    X(vkDestroyCommandPool)                                                                                            \
    X(vkAllocateCommandBuffers)                                                                                        \
    X(vkBeginCommandBuffer)                                                                                            \
    X(vkEndCommandBuffer)                                                                                              \
    X(vkResetCommandBuffer)                                                                                            \
    X(vkCmdBindPipeline)                                                                                               \
    X(vkCmdBindDescriptorSets)                                                                                         \
    X(vkCmdPushConstants)                                                                                              \
    X(vkCmdDispatch)                                                                                                   \
    X(vkCmdPipelineBarrier)                                                                                            \
    X(vkCmdCopyBuffer)                                                                                                 \
    X(vkCmdFillBuffer)                                                                                                 \
    X(vkCreateQueryPool)                                                                                               \
    X(vkDestroyQueryPool)                                                                                              \
    X(vkCmdResetQueryPool)                                                                                             \
    X(vkCmdWriteTimestamp)                                                                                             \
    X(vkGetQueryPoolResults)                                                                                           \
    X(vkCreateFence)                                                                                                   \
    X(vkDestroyFence)                                                                                                  \
    X(vkResetFences)                                                                                                   \
    X(vkWaitForFences)                                                                                                 \
    X(vkQueueSubmit)

#define LATENT_VULKAN_DECLARE(name) extern PFN_##name name;
LATENT_VULKAN_GLOBAL_FUNCTIONS(LATENT_VULKAN_DECLARE)
LATENT_VULKAN_INSTANCE_FUNCTIONS(LATENT_VULKAN_DECLARE)
#undef LATENT_VULKAN_DECLARE

// Opens the loader and its global functions once; throws Error naming the library when absent.
void loadGlobalFunctions();
// The rest, through the instance (device functions too: one device per backend, so the loader's
// dispatch costs nothing that matters next to a dispatch).
void loadInstanceFunctions(VkInstance instance);

// Throws Error "vulkan: WHAT failed (VK_ERROR_...)" unless result is VK_SUCCESS.
void check(VkResult result, const char* what);
const char* resultName(VkResult result);

} // namespace latent::vulkan
