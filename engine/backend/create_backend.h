#pragma once

#include "engine/backend/backend.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latent {

// The backends this build can run, by name ("cpu", and "vulkan" and "cuda" where built with them).
std::vector<std::string_view> availableBackends();

struct BackendOptions {
    std::optional<uint32_t> device;        // the GPU backend's device (unset: LATENT_VULKAN_DEVICE or
                                           // LATENT_CUDA_DEVICE, else the best)
    const gguf::GgufFile* model = nullptr; // checked to run on the backend before it starts
};

// name: cpu, vulkan or cuda ("auto" is chooseBackend's, in engine/model/backend_choice.h); threads: CPU
// threads (0: the physical cores). Throws Error for a name this build lacks, for a model the backend
// cannot run, or when the backend cannot start.
std::unique_ptr<Backend> createBackend(std::string_view name, size_t threads, const BackendOptions& options = {});

} // namespace latent
