#include "engine/backend/create_backend.h"

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/core/error.h"

#ifdef LATENT_HAS_VULKAN
#include "engine/vulkan/vulkan_backend.h"
#endif

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace latent {
namespace {

std::unique_ptr<Backend> cpuBackend(size_t threads)
{
    return std::make_unique<cpu::CpuBackend>(threads > 0 ? threads : cpu::ThreadPool::physicalCores());
}

#ifdef LATENT_HAS_VULKAN
// Vulkan when it is a real GPU that runs the model; otherwise nullptr and why not.
std::unique_ptr<Backend> automaticVulkan(const BackendOptions& options, std::string& why)
{
    if (options.model) {
        if (std::string unsupported = vulkan::unsupportedOnVulkan(*options.model); !unsupported.empty()) {
            why = unsupported;
            return nullptr;
        }
    }
    try {
        const std::vector<vulkan::DeviceDescription> devices = vulkan::VulkanInstance::create()->devices();
        const vulkan::DeviceDescription& device = devices[vulkan::chooseDevice(devices, options.device)];
        if (device.type == vulkan::DeviceType::Cpu) {
            why = fmt::format("Vulkan device {} '{}' is a CPU-type device, slower than the CPU backend (--backend "
                              "vulkan uses it anyway)",
                              device.index, device.name);
            return nullptr;
        }
        return std::make_unique<vulkan::VulkanBackend>(vulkan::VulkanBackendOptions{.device = device.index});
    } catch (const Error& error) {
        why = error.what();
        return nullptr;
    }
}
#endif

} // namespace

std::vector<std::string_view> availableBackends()
{
#ifdef LATENT_HAS_VULKAN
    return {"cpu", "vulkan"};
#else
    return {"cpu"};
#endif
}

std::unique_ptr<Backend> createBackend(std::string_view name, size_t threads, const BackendOptions& options)
{
    if (name == "cpu")
        return cpuBackend(threads);
#ifdef LATENT_HAS_VULKAN
    if (name == "vulkan") {
        if (options.model) {
            if (std::string unsupported = vulkan::unsupportedOnVulkan(*options.model); !unsupported.empty())
                throw Error(unsupported + ": use --backend cpu");
        }
        return std::make_unique<vulkan::VulkanBackend>(vulkan::VulkanBackendOptions{.device = options.device});
    }
#endif
    if (name == "auto") {
        std::string why = "this build has no GPU backend";
#ifdef LATENT_HAS_VULKAN
        if (auto gpu = automaticVulkan(options, why)) {
            if (options.reason)
                *options.reason = "auto: a Vulkan GPU runs this model";
            return gpu;
        }
#endif
        if (options.reason)
            *options.reason = "auto chose the CPU: " + why;
        return cpuBackend(threads);
    }
    throw Error(fmt::format("backend '{}' is not available in this build; choose one of: auto, {}", name,
                            fmt::join(availableBackends(), ", ")));
}

} // namespace latent
