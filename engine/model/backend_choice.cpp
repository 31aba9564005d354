#include "engine/model/backend_choice.h"

#include "engine/backend/create_backend.h"
#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/backend_agreement.h"
#include "engine/model/backend_speed.h"
#include "engine/model/model.h"

#ifdef LATENT_HAS_VULKAN
#include "engine/vulkan/vulkan_backend.h"
#endif
#ifdef LATENT_HAS_CUDA
#include "engine/cuda/cuda_backend.h"
#endif

#include <fmt/format.h>

#include <algorithm>

namespace latent {
namespace {

constexpr uint64_t kMinimumHeadroom = uint64_t(512) << 20;

BackendChoice onCpu(size_t threads, const std::string& why)
{
    return {createBackend("cpu", threads), false, "auto chose the CPU: " + why};
}

#ifdef LATENT_HAS_VULKAN
std::string mib(uint64_t bytes)
{
    return fmt::format("{} MiB", (bytes + (uint64_t(1) << 20) - 1) >> 20);
}
#endif

#ifdef LATENT_HAS_CUDA
// The CUDA device where one starts, runs the model's types and has room for it; nothing otherwise
// (then Vulkan, which reaches the same GPU, or the CPU decides).
std::optional<BackendChoice> onCuda(const gguf::GgufFile& file, const BackendChoiceOptions& options)
{
    if (!cuda::unsupportedOnCuda(file).empty())
        return std::nullopt;
    std::unique_ptr<cuda::CudaBackend> gpu;
    try { // no device, or none usable: the constructor says so
        gpu = std::make_unique<cuda::CudaBackend>(cuda::CudaBackendOptions{.device = options.device});
    } catch (const Error&) {
        return std::nullopt;
    }
    const cuda::CudaDeviceDescription& device = gpu->device();
    if (deviceBytesNeeded(file, options.contextLength) > gpu->freeDeviceMemory())
        return std::nullopt;
    try {
        if (!(productDisagreement(*createBackend("cpu", options.threads), *gpu, file) <= kMaxProductDisagreement))
            return std::nullopt;
    } catch (const Error&) {
        return std::nullopt;
    }
    return BackendChoice{std::move(gpu), true,
                         fmt::format("auto chose CUDA device {} '{}': an NVIDIA GPU, which runs CUDA's kernels",
                                     device.index, device.name)};
}
#endif

} // namespace

uint64_t deviceBytesNeeded(const gguf::GgufFile& file, int64_t contextLength)
{
    const uint64_t weights = file.tensorBytes();
    const std::string architecture = file.metadata().getOptional<std::string>("general.architecture").value_or("");
    const auto modelContext = file.metadata().getIntegerOptional<int64_t>(architecture + ".context_length").value_or(0);
    const int64_t context = contextLength > 0 && (modelContext <= 0 || contextLength < modelContext) ? contextLength
                                                                                                    : modelContext;
    const uint64_t needed = weights + cacheBytesPerToken(file).value_or(0) * uint64_t(std::max<int64_t>(context, 0));
    return needed + std::max(kMinimumHeadroom, needed / 10);
}

BackendChoice chooseBackend(const gguf::GgufFile& file, const BackendChoiceOptions& options)
{
#ifdef LATENT_HAS_CUDA
    if (std::optional<BackendChoice> choice = onCuda(file, options))
        return std::move(*choice);
#endif
#ifndef LATENT_HAS_VULKAN
    (void)file;
    return onCpu(options.threads, "this build has no Vulkan backend, and no CUDA device runs the model");
#else
    if (std::string unsupported = vulkan::unsupportedOnVulkan(file); !unsupported.empty())
        return onCpu(options.threads, unsupported);
    std::unique_ptr<vulkan::VulkanBackend> gpu;
    try {
        gpu = std::make_unique<vulkan::VulkanBackend>(vulkan::VulkanBackendOptions{.device = options.device});
    } catch (const Error& error) {
        return onCpu(options.threads, error.what());
    }
    const vulkan::DeviceDescription& device = gpu->device();
    const std::string named = fmt::format("Vulkan device {} '{}'", device.index, device.name);

    const uint64_t needed = deviceBytesNeeded(file, options.contextLength), free = gpu->freeDeviceMemory();
    if (needed > free)
        return onCpu(options.threads, fmt::format("the weights and the cache with headroom need {}, and {} has {} free",
                                                  mib(needed), named, mib(free)));

    SpeedRecords records(options.speedRecords.empty() ? SpeedRecords::defaultPath() : options.speedRecords);
    const std::string key = speedRecordKey(file, device.name + " " + device.driver);
    std::optional<SpeedRecord> record = records.find(key);
    std::string when = "measured before";
    if (!record && device.type == vulkan::DeviceType::Cpu)
        // Worded for the app's settings and the command line alike: both name the backend "vulkan".
        return onCpu(options.threads, named + " is a CPU-type device, slower than the CPU backend (choosing the "
                                              "vulkan backend rather than auto uses it anyway)");
    if (!record) {
        try {
            const std::unique_ptr<Backend> cpu = createBackend("cpu", options.threads);
            record = SpeedRecord{chatTurnSeconds(*cpu, file), chatTurnSeconds(*gpu, file)};
        } catch (const Error& error) {
            return onCpu(options.threads, fmt::format("{} failed a test product: {}", named, error.what()));
        }
        if (!(record->cpuSeconds > 0 && record->gpuSeconds > 0))
            return onCpu(options.threads, "the model has no first-block matrix to measure the device with");
        const std::string unsaved = records.store(key, *record);
        when = unsaved.empty() ? "measured now" : "measured now, not kept: " + unsaved;
    }
    const double ratio = record->cpuSeconds / record->gpuSeconds;
    if (ratio > 1) {
        try {
            const double disagreement = productDisagreement(*createBackend("cpu", options.threads), *gpu, file);
            if (!(disagreement <= kMaxProductDisagreement))
                return onCpu(options.threads,
                             fmt::format("{} computed a test product {:.1e} (relative) away from the CPU's; update its "
                                         "driver",
                                         named, disagreement));
        } catch (const Error& error) {
            return onCpu(options.threads, fmt::format("{} failed a test product: {}", named, error.what()));
        }
        return {std::move(gpu), true,
                fmt::format("auto chose {}: it runs this model's products {:.1f}x as fast as the CPU ({})", named, ratio,
                            when)};
    }
    return onCpu(options.threads, fmt::format("it runs this model's products {:.1f}x as fast as {} ({})", 1 / ratio,
                                              named, when));
#endif
}

} // namespace latent
