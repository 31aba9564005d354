#pragma once

// What `latent-cli devices` shows of each Vulkan device, and how the backend picks one. No Vulkan
// types here: the CLI includes it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latent::vulkan {

enum class DeviceType { Discrete, Integrated, Virtual, Cpu, Other };

struct MemoryHeap {
    uint64_t bytes = 0;
    bool deviceLocal = false;
};

struct DeviceDescription {
    uint32_t index = 0;
    std::string name;
    DeviceType type = DeviceType::Other;
    std::string driver;     // driver name and version text
    std::string apiVersion; // "1.3.255"
    std::vector<MemoryHeap> heaps;
    uint64_t maxStorageBufferRange = 0;
    uint32_t subgroupSize = 0;
    bool subgroupArithmetic = false; // compute shaders may use subgroupAdd/subgroupMax
    std::string unusable;            // why the backend cannot run on it; empty when it can

    bool usable() const { return unusable.empty(); }
};

const char* deviceTypeName(DeviceType type);

// Every Vulkan device of this machine. Throws Error when the loader is missing or no instance
// can be made.
std::vector<DeviceDescription> listDevices();

// The device to run on: `requested` when set, else the environment's LATENT_VULKAN_DEVICE, else
// the first usable discrete GPU, then integrated, virtual, CPU-type (lavapipe). Throws Error
// naming the device and what is missing, or saying there is none.
uint32_t chooseDevice(const std::vector<DeviceDescription>& devices, std::optional<uint32_t> requested);

} // namespace latent::vulkan
