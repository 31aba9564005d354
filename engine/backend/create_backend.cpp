#include "engine/backend/create_backend.h"

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/core/error.h"

#ifdef LATENT_HAS_VULKAN
#include "engine/vulkan/vulkan_backend.h"
#endif

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace latent {

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
        return std::make_unique<cpu::CpuBackend>(threads > 0 ? threads : cpu::ThreadPool::physicalCores());
#ifdef LATENT_HAS_VULKAN
    if (name == "vulkan") {
        if (options.model) {
            if (std::string unsupported = vulkan::unsupportedOnVulkan(*options.model); !unsupported.empty())
                throw Error(unsupported + ": use --backend cpu");
        }
        return std::make_unique<vulkan::VulkanBackend>(vulkan::VulkanBackendOptions{.device = options.device});
    }
#endif
    throw Error(fmt::format("backend '{}' is not available in this build; choose one of: auto, {}", name,
                            fmt::join(availableBackends(), ", ")));
}

} // namespace latent
