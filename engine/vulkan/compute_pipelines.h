#pragma once

#include "engine/vulkan/vulkan_device.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace latent::vulkan {

// A compute pipeline over `bindings` storage buffers (bindings 0..n-1) and push constants.
struct ComputePipeline {
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    uint32_t bindings = 0;
    uint32_t written = 0; // bit i: the shader may write binding i (writtenBindings)
};

// The pipelines of the embedded shaders, made on first use for each set of specialization
// constants (workgroup size, tile sizes, weight type) and kept for the device's life.
class ComputePipelines {
public:
    // subgroups: use the NAME_subgroups variant of shaders that have one.
    ComputePipelines(std::shared_ptr<VulkanDevice> device, bool subgroups);
    ~ComputePipelines();
    ComputePipelines(const ComputePipelines&) = delete;
    ComputePipelines& operator=(const ComputePipelines&) = delete;

    // constants[i] is specialization constant i.
    const ComputePipeline& get(const std::string& shader, uint32_t bindings, uint32_t pushBytes,
                               const std::vector<uint32_t>& constants);
    bool subgroups() const { return subgroups_; }

private:
    std::shared_ptr<VulkanDevice> device_;
    bool subgroups_;
    std::map<std::pair<std::string, std::vector<uint32_t>>, ComputePipeline> pipelines_;
};

} // namespace latent::vulkan
