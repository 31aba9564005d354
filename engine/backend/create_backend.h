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
    std::optional<uint32_t> device;        // the Vulkan device (unset: LATENT_VULKAN_DEVICE, else the best)
    const gguf::GgufFile* model = nullptr; // checked to run on the backend before it starts
};

// name: cpu or vulkan ("auto" is chooseBackend's, in engine/model/backend_choice.h); threads: CPU
// threads (0: the physical cores). Throws Error for a name this build lacks, for a model the backend
// cannot run, or when the backend cannot start.
std::unique_ptr<Backend> createBackend(std::string_view name, size_t threads, const BackendOptions& options = {});

} // namespace latent
