#include "engine/vulkan/command_recorder.h"

#include "engine/core/error.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace latent::vulkan {
namespace {

constexpr uint32_t kSetsPerPool = 512;
// Sets kept across submissions: a model's passes use a few hundred combinations of pipelines and
// buffers; past this many (buffers drawn from the pool in changing combinations) all are dropped.
constexpr size_t kMaxKeptSets = 8192;
constexpr uint64_t kHostBufferBytes = 4 << 20;

bool contains(const std::vector<uint64_t>& ids, uint64_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

} // namespace

CommandRecorder::CommandRecorder(std::shared_ptr<VulkanDevice> device) : device_(device), timestamps_(std::move(device))
{
    const VkDevice d = device_->handle();
    VkCommandPoolCreateInfo poolInfo{.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    poolInfo.queueFamilyIndex = device_->queueFamily();
    check(vkCreateCommandPool(d, &poolInfo, nullptr, &pool_), "creating a command pool");
    VkCommandBufferAllocateInfo allocate{.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocate.commandPool = pool_;
    allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocate.commandBufferCount = 1;
    check(vkAllocateCommandBuffers(d, &allocate, &commands_), "allocating a command buffer");
    VkFenceCreateInfo fenceInfo{.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    check(vkCreateFence(d, &fenceInfo, nullptr, &fence_), "creating a fence");
    const char* fail = std::getenv("LATENT_VULKAN_FAIL_SUBMISSIONS");
    failSubmissions_ = fail && *fail && std::string_view(fail) != "0";
}

CommandRecorder::~CommandRecorder()
{
    const VkDevice d = device_->handle();
    if (recording_) { // never submitted: nothing runs, so nothing to wait for
        vkEndCommandBuffer(commands_);
    }
    for (VkDescriptorPool pool : descriptorPools_)
        vkDestroyDescriptorPool(d, pool, nullptr);
    vkDestroyFence(d, fence_, nullptr);
    vkDestroyCommandPool(d, pool_, nullptr);
}

void CommandRecorder::begin()
{
    if (!recording_) {
        VkCommandBufferBeginInfo info{.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
        info.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
        check(vkBeginCommandBuffer(commands_, &info), "beginning a command buffer");
        recording_ = true;
        timestamps_.discard(); // the stamps of a submission that failed

    }
    timestamps_.beforeCommand(commands_);
}

void CommandRecorder::endOperation()
{
    timestamps_.end(commands_);
}

void CommandRecorder::barrier()
{
    VkMemoryBarrier memory{.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    memory.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    memory.dstAccessMask =
        VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    const VkPipelineStageFlags stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
    vkCmdPipelineBarrier(commands_, stages, stages, 0, 1, &memory, 0, nullptr, 0, nullptr);
    ++barriers_;
    readSinceBarrier_.clear();
    writtenSinceBarrier_.clear();
}

void CommandRecorder::order(std::span<const Buffer* const> reads, std::span<const Buffer* const> writes)
{
    bool dependent = false;
    for (const Buffer* buffer : reads)
        dependent = dependent || contains(writtenSinceBarrier_, buffer->id());
    for (const Buffer* buffer : writes)
        dependent = dependent || contains(writtenSinceBarrier_, buffer->id()) || contains(readSinceBarrier_, buffer->id());
    if (dependent)
        barrier();
    for (const Buffer* buffer : reads)
        readSinceBarrier_.push_back(buffer->id());
    for (const Buffer* buffer : writes)
        writtenSinceBarrier_.push_back(buffer->id());
}

VkDescriptorSet CommandRecorder::allocateSet(const ComputePipeline& pipeline)
{
    VkDescriptorSetAllocateInfo info{.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    info.descriptorSetCount = 1;
    info.pSetLayouts = &pipeline.setLayout;
    VkDescriptorSet set = VK_NULL_HANDLE;
    // Pools fill up in order; a full one (or a fresh need) moves on to the next, made on demand.
    for (;; ++descriptorPoolInUse_) {
        if (descriptorPoolInUse_ == descriptorPools_.size()) {
            const VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kSetsPerPool * 4};
            VkDescriptorPoolCreateInfo poolInfo{.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
            poolInfo.maxSets = kSetsPerPool;
            poolInfo.poolSizeCount = 1;
            poolInfo.pPoolSizes = &size;
            VkDescriptorPool pool = VK_NULL_HANDLE;
            check(vkCreateDescriptorPool(device_->handle(), &poolInfo, nullptr, &pool), "creating a descriptor pool");
            descriptorPools_.push_back(pool);
        }
        info.descriptorPool = descriptorPools_[descriptorPoolInUse_];
        const VkResult result = vkAllocateDescriptorSets(device_->handle(), &info, &set);
        if (result == VK_SUCCESS)
            return set;
        if (result != VK_ERROR_OUT_OF_POOL_MEMORY && result != VK_ERROR_FRAGMENTED_POOL)
            check(result, "allocating a descriptor set");
    }
}

VkDescriptorSet CommandRecorder::descriptorSet(const ComputePipeline& pipeline, std::span<const Buffer* const> buffers)
{
    std::pair<VkPipeline, std::vector<uint64_t>> key{pipeline.pipeline, {}};
    for (const Buffer* buffer : buffers)
        key.second.push_back(buffer->id());
    if (const auto kept = descriptorSets_.find(key); kept != descriptorSets_.end())
        return kept->second;
    const VkDescriptorSet set = allocateSet(pipeline);
    std::vector<VkDescriptorBufferInfo> infos;
    for (const Buffer* buffer : buffers)
        infos.push_back({buffer->handle(), 0, VK_WHOLE_SIZE});
    std::vector<VkWriteDescriptorSet> writes(infos.size());
    for (uint32_t i = 0; i < infos.size(); ++i) {
        writes[i] = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[i].dstSet = set;
        writes[i].dstBinding = i;
        writes[i].descriptorCount = 1;
        writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[i].pBufferInfo = &infos[i];
    }
    vkUpdateDescriptorSets(device_->handle(), uint32_t(writes.size()), writes.data(), 0, nullptr);
    descriptorSets_.emplace(std::move(key), set);
    return set;
}

void CommandRecorder::dispatch(const ComputePipeline& pipeline, std::initializer_list<const Buffer*> buffers,
                               const void* push, uint32_t pushBytes, uint32_t groupsX, uint32_t groupsY)
{
    begin();
    std::vector<const Buffer*> reads, writes;
    uint32_t binding = 0;
    for (const Buffer* buffer : buffers)
        ((pipeline.written >> binding++) & 1 ? writes : reads).push_back(buffer);
    order(reads, writes);
    const VkDescriptorSet set = descriptorSet(pipeline, {buffers.begin(), buffers.size()});
    vkCmdBindPipeline(commands_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.pipeline);
    vkCmdBindDescriptorSets(commands_, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout, 0, 1, &set, 0, nullptr);
    vkCmdPushConstants(commands_, pipeline.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, pushBytes, push);
    vkCmdDispatch(commands_, groupsX, groupsY, 1);
}

void CommandRecorder::copy(BufferSlice from, BufferSlice to, uint64_t bytes)
{
    begin();
    const Buffer* const source[] = {from.buffer};
    const Buffer* const target[] = {to.buffer};
    order(source, target);
    const VkBufferCopy region{from.offset, to.offset, bytes};
    vkCmdCopyBuffer(commands_, from.buffer->handle(), to.buffer->handle(), 1, &region);
}

void CommandRecorder::zero(const Buffer& buffer)
{
    begin();
    const Buffer* const target[] = {&buffer};
    order({}, target);
    vkCmdFillBuffer(commands_, buffer.handle(), 0, VK_WHOLE_SIZE, 0);
}

BufferSlice CommandRecorder::hostBytes(uint64_t bytes)
{
    bytes = (bytes + 15) / 16 * 16;
    while (hostBufferInUse_ < hostBuffers_.size() && hostBufferUsed_ + bytes > hostBuffers_[hostBufferInUse_]->bytes()) {
        ++hostBufferInUse_;
        hostBufferUsed_ = 0;
    }
    if (hostBufferInUse_ == hostBuffers_.size())
        hostBuffers_.push_back(std::make_unique<Buffer>(device_, std::max(bytes, kHostBufferBytes), true));
    const BufferSlice slice{hostBuffers_[hostBufferInUse_].get(), hostBufferUsed_};
    hostBufferUsed_ += bytes;
    return slice;
}

void CommandRecorder::submitAndWait()
{
    if (recording_) {
        recording_ = false;
        timestamps_.closeCommandBuffer(commands_);
        // What the commands wrote, visible to the host once the fence has signalled (read-backs).
        VkMemoryBarrier toHost{.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER};
        toHost.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
        toHost.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
        vkCmdPipelineBarrier(commands_, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                             VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &toHost, 0, nullptr, 0, nullptr);
        readSinceBarrier_.clear();
        writtenSinceBarrier_.clear();
        check(vkEndCommandBuffer(commands_), "ending a command buffer");
        if (failSubmissions_) {
            check(vkResetCommandBuffer(commands_, 0), "resetting a command buffer");
            throw Error("vulkan: submitting commands failed: VK_ERROR_DEVICE_LOST (simulated: "
                        "LATENT_VULKAN_FAIL_SUBMISSIONS is set)");
        }
        VkSubmitInfo submit{.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO};
        submit.commandBufferCount = 1;
        submit.pCommandBuffers = &commands_;
        check(vkQueueSubmit(device_->queue(), 1, &submit, fence_), "submitting commands");
        check(vkWaitForFences(device_->handle(), 1, &fence_, VK_TRUE, UINT64_MAX), "waiting for the GPU");
        check(vkResetFences(device_->handle(), 1, &fence_), "resetting a fence");
        check(vkResetCommandBuffer(commands_, 0), "resetting a command buffer");
        timestamps_.collect();
    }
    if (descriptorSets_.size() > kMaxKeptSets) { // nothing pending uses them now
        for (VkDescriptorPool pool : descriptorPools_)
            vkResetDescriptorPool(device_->handle(), pool, 0);
        descriptorPoolInUse_ = 0;
        descriptorSets_.clear();
    }
    hostBufferInUse_ = 0;
    hostBufferUsed_ = 0;
    alive_.clear();
}

} // namespace latent::vulkan
