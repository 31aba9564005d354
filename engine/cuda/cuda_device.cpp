#include "engine/cuda/cuda_device.h"

#include "engine/core/build_info.h"
#include "engine/core/error.h"
#include "engine/cuda/cuda_check.h"

#include <cuda_runtime_api.h>
#include <fmt/format.h>

#include <cstdlib>
#include <sstream>

namespace latent::cuda {

CudaDevices listCudaDevices()
{
    CudaDevices found;
    int count = 0;
    if (const cudaError_t status = cudaGetDeviceCount(&count); status != cudaSuccess) {
        // cudaGetDeviceCount is what first reaches the driver: its error is the machine's reason.
        found.problem = status == cudaErrorInsufficientDriver
                            ? "NVIDIA's driver is missing or older than this build's CUDA runtime needs; install or "
                              "update the NVIDIA driver"
                            : fmt::format("no CUDA device ({})", cudaGetErrorString(status));
        cudaGetLastError(); // a failed call leaves its error behind; the next caller must not see it
        return found;
    }
    for (int index = 0; index < count; ++index) {
        CudaDeviceDescription d;
        d.index = index;
        d.name = "(unknown)";
        cudaDeviceProp properties{};
        if (const cudaError_t status = cudaGetDeviceProperties(&properties, index); status != cudaSuccess) {
            cudaGetLastError();
            d.unusable = fmt::format("its properties cannot be read ({})", cudaGetErrorString(status));
            found.devices.push_back(std::move(d));
            continue;
        }
        d.name = properties.name;
        d.computeMajor = properties.major;
        d.computeMinor = properties.minor;
        d.multiprocessors = properties.multiProcessorCount;
        d.totalBytes = properties.totalGlobalMem;
        const std::string architectures(buildInfo().cudaArchitectures);
        if (!kernelsRunOn(architectures, d.computeMajor, d.computeMinor))
            d.unusable = fmt::format("compute capability {}.{} is older than every architecture this build's kernels "
                                     "were compiled for ({}); rebuild with LATENT_CUDA_ARCHITECTURES including {}{}",
                                     d.computeMajor, d.computeMinor, architectures, d.computeMajor, d.computeMinor);
        found.devices.push_back(std::move(d));
    }
    if (found.devices.empty())
        found.problem = "the NVIDIA driver reports no CUDA device";
    return found;
}

std::optional<uint64_t> freeDeviceBytes(int index)
{
    int previous = 0;
    size_t free = 0, total = 0;
    const bool read = cudaGetDevice(&previous) == cudaSuccess && cudaSetDevice(index) == cudaSuccess &&
                      cudaMemGetInfo(&free, &total) == cudaSuccess;
    cudaGetLastError();
    cudaSetDevice(previous);
    return read ? std::optional<uint64_t>(free) : std::nullopt;
}

bool kernelsRunOn(const std::string& architectures, int major, int minor)
{
    const int device = major * 10 + minor;
    std::istringstream list(architectures);
    std::string entry;
    while (std::getline(list, entry, ';')) {
        // "86" holds machine code and PTX, "86-real" machine code only, "86-virtual" PTX only.
        // Machine code runs on its major version at the same or a higher minor; PTX on any later
        // device, compiled by the driver.
        const size_t dash = entry.find('-');
        const std::string number = entry.substr(0, dash), kind = dash == std::string::npos ? "" : entry.substr(dash + 1);
        char* end = nullptr;
        const long architecture = std::strtol(number.c_str(), &end, 10);
        if (end == number.c_str() || *end != '\0')
            continue; // "90a" and the like: features of one exact device, not portable code
        const bool machineCode = kind != "virtual", ptx = kind != "real";
        if (machineCode && architecture / 10 == major && architecture % 10 <= minor)
            return true;
        if (ptx && architecture <= device)
            return true;
    }
    return false;
}

int chooseCudaDevice(const CudaDevices& devices, std::optional<uint32_t> requested)
{
    if (devices.devices.empty())
        throw Error(fmt::format("cuda: {}; use --backend vulkan or cpu", devices.problem));
    if (!requested) {
        if (const char* variable = std::getenv("LATENT_CUDA_DEVICE"); variable && *variable) {
            char* end = nullptr;
            const unsigned long value = std::strtoul(variable, &end, 10);
            if (*end != '\0')
                throw Error(fmt::format("LATENT_CUDA_DEVICE='{}' is not a device number; `latent-cli devices` lists "
                                        "them",
                                        variable));
            requested = uint32_t(value);
        }
    }
    if (requested) {
        if (*requested >= devices.devices.size())
            throw Error(fmt::format("cuda: there is no device {}: this machine has {} (`latent-cli devices` lists "
                                    "them)",
                                    *requested, devices.devices.size()));
        const CudaDeviceDescription& d = devices.devices[*requested];
        if (!d.usable())
            throw Error(fmt::format("cuda: device {} '{}' cannot run Latent: {}", d.index, d.name, d.unusable));
        return d.index;
    }
    const CudaDeviceDescription* best = nullptr;
    for (const CudaDeviceDescription& d : devices.devices) {
        if (d.usable() && (!best || d.totalBytes > best->totalBytes))
            best = &d;
    }
    if (!best)
        throw Error(fmt::format("cuda: no device can run Latent: device 0 '{}': {}", devices.devices[0].name,
                                devices.devices[0].unusable));
    return best->index;
}

} // namespace latent::cuda
