#include "engine/vulkan/compute_pipelines.h"

#include "engine/core/error.h"
#include "engine/vulkan/embedded_shaders.h"
#include "engine/vulkan/shader_bindings.h"

#include <fmt/format.h>

namespace latent::vulkan {

ComputePipelines::ComputePipelines(std::shared_ptr<VulkanDevice> device, bool subgroups)
    : device_(std::move(device)), subgroups_(subgroups)
{
}

ComputePipelines::~ComputePipelines()
{
    const VkDevice d = device_->handle();
    for (auto& [key, p] : pipelines_) {
        vkDestroyPipeline(d, p.pipeline, nullptr);
        vkDestroyPipelineLayout(d, p.layout, nullptr);
        vkDestroyDescriptorSetLayout(d, p.setLayout, nullptr);
    }
}

const ComputePipeline& ComputePipelines::get(const std::string& shader, uint32_t bindings, uint32_t pushBytes,
                                             const std::vector<uint32_t>& constants)
{
    auto key = std::make_pair(shader, constants);
    if (auto it = pipelines_.find(key); it != pipelines_.end())
        return it->second;

    const EmbeddedShader* code = subgroups_ ? findEmbeddedShader(shader + "_subgroups") : nullptr;
    if (!code)
        code = findEmbeddedShader(shader);
    if (!code)
        throw Error(fmt::format("vulkan: shader '{}' is not embedded in this build; rebuild Latent", shader));
    const VkDevice d = device_->handle();
    ComputePipeline p;
    p.bindings = bindings;
    p.written = writtenBindings(code->spirv);

    std::vector<VkDescriptorSetLayoutBinding> layoutBindings(bindings);
    for (uint32_t i = 0; i < bindings; ++i)
        layoutBindings[i] = {i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    VkDescriptorSetLayoutCreateInfo setInfo{.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    setInfo.bindingCount = bindings;
    setInfo.pBindings = layoutBindings.data();
    check(vkCreateDescriptorSetLayout(d, &setInfo, nullptr, &p.setLayout), "creating a descriptor set layout");

    const VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, pushBytes};
    VkPipelineLayoutCreateInfo layoutInfo{.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &p.setLayout;
    layoutInfo.pushConstantRangeCount = 1;
    layoutInfo.pPushConstantRanges = &range;
    check(vkCreatePipelineLayout(d, &layoutInfo, nullptr, &p.layout), "creating a pipeline layout");

    VkShaderModuleCreateInfo moduleInfo{.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    moduleInfo.codeSize = code->spirv.size_bytes();
    moduleInfo.pCode = code->spirv.data();
    VkShaderModule module = VK_NULL_HANDLE;
    check(vkCreateShaderModule(d, &moduleInfo, nullptr, &module), "creating a shader module");

    std::vector<VkSpecializationMapEntry> entries(constants.size());
    for (uint32_t i = 0; i < constants.size(); ++i)
        entries[i] = {i, uint32_t(i * sizeof(uint32_t)), sizeof(uint32_t)};
    const VkSpecializationInfo specialization{uint32_t(entries.size()), entries.data(),
                                              constants.size() * sizeof(uint32_t), constants.data()};
    VkComputePipelineCreateInfo info{.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    info.stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = module;
    info.stage.pName = "main";
    info.stage.pSpecializationInfo = &specialization;
    info.layout = p.layout;
    const VkResult result = vkCreateComputePipelines(d, VK_NULL_HANDLE, 1, &info, nullptr, &p.pipeline);
    vkDestroyShaderModule(d, module, nullptr);
    if (result != VK_SUCCESS) {
        vkDestroyPipelineLayout(d, p.layout, nullptr);
        vkDestroyDescriptorSetLayout(d, p.setLayout, nullptr);
        check(result, fmt::format("creating the compute pipeline of shader '{}'", shader).c_str());
    }
    return pipelines_.emplace(std::move(key), p).first->second;
}

} // namespace latent::vulkan
