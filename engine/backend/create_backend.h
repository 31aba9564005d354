#pragma once

#include "engine/backend/backend.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latent {

// The backends this build can run, by name ("cpu", and "vulkan" where built with it).
std::vector<std::string_view> availableBackends();

struct BackendOptions {
    std::optional<uint32_t> device;          // the Vulkan device (unset: LATENT_VULKAN_DEVICE, else the best)
    const gguf::GgufFile* model = nullptr;   // what "auto" checks the GPU backend can run
    std::string* reason = nullptr;           // where "auto" says what it chose and why
};

// name: auto, cpu or vulkan; threads: CPU threads (0: the physical cores). "auto" takes Vulkan on
// a real GPU (not a CPU-type device such as lavapipe, which is slower than the CPU backend) when
// the model runs there, else the CPU. Throws Error for a name this build lacks, or when the
// named backend cannot start.
std::unique_ptr<Backend> createBackend(std::string_view name, size_t threads, const BackendOptions& options = {});

} // namespace latent
