#pragma once

#include "engine/vulkan/vulkan_functions.h"

namespace latent::vulkan {

// Opens the system's Vulkan loader (libvulkan.so.1 on Linux, libvulkan.1.dylib or MoltenVK's on
// macOS, vulkan-1.dll on Windows) and returns its vkGetInstanceProcAddr, from which every other
// function is loaded. The library stays open for the life of the process: the function pointers
// loaded from it live in globals. Throws Error naming what to install when there is none.
PFN_vkGetInstanceProcAddr openVulkanLibrary();

} // namespace latent::vulkan
