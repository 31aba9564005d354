// openVulkanLibrary on Linux and macOS: dlopen.

#include "engine/vulkan/vulkan_library.h"

#include "engine/core/error.h"

#include <dlfcn.h>

namespace latent::vulkan {

PFN_vkGetInstanceProcAddr openVulkanLibrary()
{
#ifdef __APPLE__
    // The loader the app bundle carries (packaging/macos/deploy-bundle.cmake.in puts it in
    // Contents/Frameworks, which a bare name does not search), then the Vulkan SDK's, else MoltenVK
    // alone (it exports vkGetInstanceProcAddr itself).
    void* library = dlopen("@executable_path/../Frameworks/libvulkan.1.dylib", RTLD_NOW | RTLD_LOCAL);
    if (!library)
        library = dlopen("libvulkan.1.dylib", RTLD_NOW | RTLD_LOCAL);
    if (!library)
        library = dlopen("libMoltenVK.dylib", RTLD_NOW | RTLD_LOCAL);
    constexpr const char* install = "install the Vulkan SDK or MoltenVK (brew install molten-vk)";
    constexpr const char* name = "libvulkan.1.dylib";
#else
    void* library = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
    constexpr const char* install = "Debian/Ubuntu: libvulkan1 and a driver such as mesa-vulkan-drivers";
    constexpr const char* name = "libvulkan.so.1";
#endif
    if (!library)
        throw Error(std::string("vulkan: the Vulkan loader ") + name + " is not installed (" + install +
                    "); use --backend cpu");
    auto getInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(library, "vkGetInstanceProcAddr"));
    if (!getInstanceProcAddr)
        throw Error(std::string("vulkan: ") + name +
                    " has no vkGetInstanceProcAddr; reinstall the Vulkan loader or use --backend cpu");
    return getInstanceProcAddr;
}

} // namespace latent::vulkan
