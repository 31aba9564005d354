#include "engine/backend/create_backend.h"

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/core/error.h"

#ifdef LATENT_HAS_VULKAN
#include "engine/vulkan/vulkan_backend.h"
#endif
#ifdef LATENT_HAS_CUDA
#include "engine/cuda/cuda_backend.h"
#endif

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace latent {

std::vector<std::string_view> availableBackends()
{
    std::vector<std::string_view> names{"cpu"};
#ifdef LATENT_HAS_VULKAN
    names.push_back("vulkan");
#endif
#ifdef LATENT_HAS_CUDA
    names.push_back("cuda");
#endif
    return names;
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
#ifdef LATENT_HAS_CUDA
    if (name == "cuda") {
        if (options.model) {
            if (std::string unsupported = cuda::unsupportedOnCuda(*options.model); !unsupported.empty())
                throw Error(unsupported + ": use --backend cpu");
        }
        return std::make_unique<cuda::CudaBackend>(cuda::CudaBackendOptions{.device = options.device});
    }
#endif
    throw Error(fmt::format("backend '{}' is not available in this build; choose one of: auto, {}", name,
                            fmt::join(availableBackends(), ", ")));
}

} // namespace latent
