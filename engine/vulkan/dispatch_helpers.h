#pragma once

// What the Vulkan backend's files share as they record dispatches (vulkan_backend.cpp: memory,
// norms, RoPE, routing and element-wise operations; vulkan_products.cpp: the matrix and expert
// products; vulkan_attention.cpp: attention and MLA): workgroup sizes and counts, push-constant
// offsets, argument checks, the weight types the shaders decode, and a weight's parts.

#include "engine/core/error.h"
#include "engine/vulkan/vulkan_backend.h"

#include <fmt/format.h>

#include <algorithm>

namespace latent::vulkan {

// Workgroup sizes: 64 for the reductions (one or two subgroups on every GPU), 128 for the
// element-wise shaders; both within the 128 invocations every device offers.
constexpr uint32_t kReduceGroup = 64;
constexpr uint32_t kElementGroup = 128;
constexpr uint32_t kMaxGroups = 65535; // the least maxComputeWorkGroupCount a device offers

inline uint32_t groupsFor(uint64_t items, uint32_t groupSize)
{
    return uint32_t(std::min<uint64_t>((items + groupSize - 1) / groupSize, kMaxGroups));
}

inline void require(bool condition, const char* operation, const char* what)
{
    if (!condition)
        throw Error(fmt::format("vulkan backend: {}: {}", operation, what));
}

inline uint32_t floatsAt(BufferSlice slice)
{
    return uint32_t(slice.offset / sizeof(float));
}

// The weight types the shaders decode (weight_blocks.glsl): every type the CPU backend computes.
inline bool decodedOnVulkan(gguf::TensorType type)
{
    switch (type) {
    case gguf::TensorType::F32:
    case gguf::TensorType::F16:
    case gguf::TensorType::BF16:
    case gguf::TensorType::Q4_0:
    case gguf::TensorType::Q4_1:
    case gguf::TensorType::Q5_0:
    case gguf::TensorType::Q5_1:
    case gguf::TensorType::Q8_0:
    case gguf::TensorType::IQ4_NL:
    case gguf::TensorType::Q2_K:
    case gguf::TensorType::Q3_K:
    case gguf::TensorType::Q4_K:
    case gguf::TensorType::Q5_K:
    case gguf::TensorType::Q6_K:
    case gguf::TensorType::IQ4_XS: return true;
    default: return false;
    }
}

template <typename Fn>
void VulkanBackend::forEachPart(const Tensor& tensor, Fn fn)
{
    const DeviceStorage& storage = storageOf<DeviceStorage>(tensor);
    recorder_.keepAlive(tensor.storage);
    const uint64_t rowBytes = tensor.rowBytes();
    const auto first = int64_t(tensor.offset / rowBytes); // views start on a row
    const int64_t perPart = storage.rowsPerPart ? storage.rowsPerPart : first + tensor.rows;
    for (int64_t row = first; row < first + tensor.rows;) {
        const int64_t part = row / perPart;
        const int64_t end = std::min((part + 1) * perPart, first + tensor.rows);
        fn(BufferSlice{storage.parts[size_t(part)].get(), uint64_t(row - part * perPart) * rowBytes}, row - first,
           end - row);
        row = end;
    }
}

} // namespace latent::vulkan
