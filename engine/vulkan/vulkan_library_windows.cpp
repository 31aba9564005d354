// openVulkanLibrary on Windows: vulkan-1.dll, which GPU drivers install into the system folder.

#include "engine/vulkan/vulkan_library.h"

#include "engine/core/error.h"

#include <windows.h>

namespace latent::vulkan {

PFN_vkGetInstanceProcAddr openVulkanLibrary()
{
    // From the system folder only: a vulkan-1.dll planted beside the program or in the current
    // folder is not loaded.
    HMODULE library = LoadLibraryExW(L"vulkan-1.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!library)
        throw Error("vulkan: the Vulkan loader vulkan-1.dll is not installed (it comes with the GPU driver from "
                    "AMD, Intel or NVIDIA; update the driver); use --backend cpu");
    auto getInstanceProcAddr =
        reinterpret_cast<PFN_vkGetInstanceProcAddr>(reinterpret_cast<void*>(GetProcAddress(library, "vkGetInstanceProcAddr")));
    if (!getInstanceProcAddr)
        throw Error("vulkan: vulkan-1.dll has no vkGetInstanceProcAddr; reinstall the GPU driver or use --backend cpu");
    return getInstanceProcAddr;
}

} // namespace latent::vulkan
