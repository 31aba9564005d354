#pragma once

#include <cstdint>
#include <span>

namespace latent::vulkan {

// Which storage-buffer bindings (bit i: binding i of set 0) a compute shader may write, read from
// its SPIR-V: a binding is read-only where its buffer is declared `readonly` (NonWritable on the
// variable or on every member of its block). The command recorder orders dispatches by it, so the
// shaders' own declarations are the one source of truth of what each dispatch writes.
uint32_t writtenBindings(std::span<const uint32_t> spirv);

} // namespace latent::vulkan
