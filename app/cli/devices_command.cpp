#include "app/cli/devices_command.h"

#include "app/cli/text_format.h"

#ifdef LATENT_HAS_VULKAN
#include "engine/vulkan/device_description.h"
#endif
#ifdef LATENT_HAS_CUDA
#include "engine/cuda/cuda_device.h"
#endif

#include <fmt/format.h>

namespace latent::cli {

void addDevicesCommand(CLI::App& app)
{
    CLI::App* command =
        app.add_subcommand("devices", "List the Vulkan and CUDA devices (choose one with --backend and --device N)");
    command->callback([] {
#ifdef LATENT_HAS_CUDA
        const cuda::CudaDevices cudaDevices = cuda::listCudaDevices();
        if (cudaDevices.devices.empty())
            fmt::print("CUDA: no devices: {}\n", cudaDevices.problem);
        for (const cuda::CudaDeviceDescription& d : cudaDevices.devices) {
            fmt::print("CUDA {}: {} (compute capability {}.{}, {} multiprocessors)\n", d.index, d.name, d.computeMajor,
                       d.computeMinor, d.multiprocessors);
            const std::optional<uint64_t> free = cuda::freeDeviceBytes(d.index);
            fmt::print("   memory {} ({} free)\n", formatBytes(d.totalBytes),
                       free ? formatBytes(*free) : std::string("unknown"));
            fmt::print("   {}\n", d.usable() ? std::string("usable") : "not usable: " + d.unusable);
        }
#else
        fmt::print("CUDA: this build has no CUDA backend (configure with -DLATENT_CUDA=ON where nvcc is installed)\n");
#endif
#ifdef LATENT_HAS_VULKAN
        const std::vector<vulkan::DeviceDescription> devices = vulkan::listDevices();
        if (devices.empty())
            fmt::print("Vulkan: no devices; install a Vulkan driver (Mesa: mesa-vulkan-drivers) or use --backend cpu\n");
        for (const vulkan::DeviceDescription& d : devices) {
            fmt::print("Vulkan {}: {} ({})\n", d.index, d.name, vulkan::deviceTypeName(d.type));
            fmt::print("   driver {}, Vulkan {}\n", d.driver, d.apiVersion);
            for (size_t h = 0; h < d.heaps.size(); ++h)
                fmt::print("   memory heap {}: {}{}\n", h, formatBytes(d.heaps[h].bytes),
                           d.heaps[h].deviceLocal ? " (device-local)" : "");
            fmt::print("   maxStorageBufferRange {}, subgroup size {}{}\n", formatBytes(d.maxStorageBufferRange),
                       d.subgroupSize, d.subgroupArithmetic ? " (with arithmetic)" : " (no arithmetic)");
            fmt::print("   {}\n", d.usable() ? std::string("usable") : "not usable: " + d.unusable);
        }
#else
        fmt::print("Vulkan: this build has no Vulkan backend (configure with -DLATENT_VULKAN=ON)\n");
#endif
    });
}

} // namespace latent::cli
