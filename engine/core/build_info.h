#pragma once

#include <string_view>

namespace latent {

// What this build of the engine contains, for `latent-cli version` and the app's About box.
struct BuildInfo {
    std::string_view version;
    bool vulkan;                       // Vulkan host code and SPIR-V shaders compiled in
    bool cuda;                         // CUDA kernels compiled in
    std::string_view cudaArchitectures; // e.g. "80;90" (empty without CUDA)
};

const BuildInfo& buildInfo();

} // namespace latent
