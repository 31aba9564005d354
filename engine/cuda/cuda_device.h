#pragma once

// What `latent-cli devices` shows of each CUDA device, and how the backend picks one. No CUDA
// types here: the CLI and the backend choice include it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latent::cuda {

struct CudaDeviceDescription {
    int index = 0;
    std::string name;
    int computeMajor = 0, computeMinor = 0; // compute capability, e.g. 9.0 for Hopper
    int multiprocessors = 0;
    uint64_t totalBytes = 0;
    std::string unusable; // why the backend cannot run on it (no kernels for its architecture); empty when it can

    bool usable() const { return unusable.empty(); }
};

struct CudaDevices {
    std::vector<CudaDeviceDescription> devices; // devices[i].index == i
    std::string problem; // why there are none (no driver, a driver too old for this build); empty otherwise
};

// Every CUDA device of this machine. A machine without NVIDIA's driver has none, with the reason
// in `problem`: the runtime is linked statically and reaches the driver at run time, so the
// program starts and runs on the CPU or Vulkan there.
CudaDevices listCudaDevices();

// Device memory free now on device `index`; nullopt where it cannot be read. Reading it makes the
// device's context, which takes memory of its own, so only `latent-cli devices` asks for every
// device; listing and choosing need none.
std::optional<uint64_t> freeDeviceBytes(int index);

// Whether this build's kernels run on compute capability major.minor: an architecture compiled
// as machine code of the same major version and a minor no higher, or as PTX of a lower one (which
// the driver compiles); `architectures` as CMake lists them ("75;80;86;89;90;120").
bool kernelsRunOn(const std::string& architectures, int major, int minor);

// The device to run on: `requested` when set, else the environment's LATENT_CUDA_DEVICE, else
// the usable device with the most memory. Throws Error naming the device and what is wrong, or
// saying why there is none.
int chooseCudaDevice(const CudaDevices& devices, std::optional<uint32_t> requested);

} // namespace latent::cuda
