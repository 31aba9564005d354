#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace latent::vulkan {

// A compute shader compiled from shaders/NAME.comp to SPIR-V at build time.
struct EmbeddedShader {
    std::string_view name;
    std::span<const uint32_t> spirv;
};

std::span<const EmbeddedShader> embeddedShaders();
const EmbeddedShader* findEmbeddedShader(std::string_view name);

} // namespace latent::vulkan
