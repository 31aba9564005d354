#include "engine/vulkan/command_recorder.h"

#include "engine/core/error.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <string_view>

namespace latent::vulkan {
namespace {

constexpr uint32_t kSetsPerPool = 512;
// Sets kept across submissions: a model's passes use a few hundred combinations of pipelines and
// buffers; past this many (buffers drawn from the pool in changing combinations) all are dropped.
constexpr size_t kMaxKeptSets = 8192;
constexpr uint64_t kHostBufferBytes = 4 << 20;
// Command buffers kept for replay: a decoding step's, a prompt batch's, the read-backs between.
constexpr size_t kRecordings = 8;

// memcmp compares every byte of a command: none may be padding (every member is initialized).
static_assert(std::has_unique_object_representations_v<RecordedCommand>);

bool contains(const std::vector<uint64_t>& ids, uint64_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

RecordedCommand commandOf(RecordedCommand::Kind kind)
{
    RecordedCommand command;
    command.kind = kind;
    return command;
}

bool sameCommands(const std::vector<RecordedCommand>& a, const std::vector<RecordedCommand>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(RecordedCommand)) == 0;
}

} // namespace

CommandRecorder::CommandRecorder(std::shared_ptr<VulkanDevice> device, bool replay)
    : device_(device), replay_(replay), timestamps_(std::move(device))
{
    const VkDevice d = device_->handle();
    VkCommandPoolCreateInfo poolInfo{.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    poolInfo.queueFamilyIndex = device_->queueFamily();
    check(vkCreateCommandPool(d, &poolInfo, nullptr, &pool_), "creating a command pool");
    recordings_.resize(kRecordings);
    std::vector<VkCommandBuffer> buffers(kRecordings);
    VkCommandBufferAllocateInfo allocate{.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocate.commandPool = pool_;
    allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocate.commandBufferCount = uint32_t(kRecordings);
    check(vkAllocateCommandBuffers(d, &allocate, buffers.data()), "allocating command buffers");
    for (size_t i = 0; i < kRecordings; ++i)
        recordings_[i].buffer = buffers[i];
    VkFenceCreateInfo fenceInfo{.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    check(vkCreateFence(d, &fenceInfo, nullptr, &fence_), "creating a fence");
    const char* fail = std::getenv("LATENT_VULKAN_FAIL_SUBMISSIONS");
    failSubmissions_ = fail && *fail && std::string_view(fail) != "0";
}

CommandRecorder::~CommandRecorder()
{
    const VkDevice d = device_->handle();
    for (VkDescriptorPool pool : descriptorPools_)
        vkDestroyDescriptorPool(d, pool, nullptr);
    vkDestroyFence(d, fence_, nullptr);
    vkDestroyCommandPool(d, pool_, nullptr); // frees the recordings' command buffers
}

void CommandRecorder::stamp(const std::optional<TimestampWrite>& write)
{
    if (!write)
        return;
    RecordedCommand command = commandOf(RecordedCommand::Kind::Timestamp);
    command.queryPool = write->pool;
    command.query = write->query;
    command.resetQueries = write->resetQueries;
    commands_.push_back(command);
}

void CommandRecorder::begin()
{
    if (commands_.empty())
        timestamps_.discard(); // the stamps of a submission that failed
    stamp(timestamps_.beforeCommand());
}

void CommandRecorder::endOperation()
{
    stamp(timestamps_.end());
}

void CommandRecorder::order(std::span<const Buffer* const> reads, std::span<const Buffer* const> writes)
{
    bool dependent = false;
    for (const Buffer* buffer : reads)
        dependent = dependent || contains(writtenSinceBarrier_, buffer->id());
    for (const Buffer* buffer : writes)
        dependent = dependent || contains(writtenSinceBarrier_, buffer->id()) || contains(readSinceBarrier_, buffer->id());
    if (dependent) {
        commands_.push_back(commandOf(RecordedCommand::Kind::Barrier));
        ++barriers_;
        readSinceBarrier_.clear();
        writtenSinceBarrier_.clear();
    }
    for (const Buffer* buffer : reads)
        readSinceBarrier_.push_back(buffer->id());
    ++commandsRecorded_;
    for (const Buffer* buffer : writes) {
        writtenSinceBarrier_.push_back(buffer->id());
        lastWrite_[buffer->id()] = commandsRecorded_;
    }
}

uint64_t CommandRecorder::lastWrite(const Buffer& buffer) const
{
    const auto found = lastWrite_.find(buffer.id());
    return found == lastWrite_.end() ? 0 : found->second;
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
            const VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kSetsPerPool * RecordedCommand::kMaxBuffers};
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

VkDescriptorSet CommandRecorder::descriptorSet(const RecordedCommand& dispatch)
{
    std::pair<VkPipeline, std::vector<uint64_t>> key{dispatch.pipeline->pipeline,
                                                     {dispatch.ids, dispatch.ids + dispatch.buffers}};
    if (const auto kept = descriptorSets_.find(key); kept != descriptorSets_.end())
        return kept->second;
    const VkDescriptorSet set = allocateSet(*dispatch.pipeline);
    std::vector<VkDescriptorBufferInfo> infos;
    for (uint32_t i = 0; i < dispatch.buffers; ++i)
        infos.push_back({dispatch.handles[i], 0, VK_WHOLE_SIZE});
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
    if (buffers.size() > RecordedCommand::kMaxBuffers || pushBytes > RecordedCommand::kMaxPushBytes)
        throw Error("vulkan: a dispatch binds more buffers or push constants than the command recorder holds");
    begin();
    const Buffer* reads[RecordedCommand::kMaxBuffers];
    const Buffer* writes[RecordedCommand::kMaxBuffers];
    size_t readCount = 0, writeCount = 0;
    uint32_t binding = 0;
    for (const Buffer* buffer : buffers) {
        if ((pipeline.written >> binding++) & 1)
            writes[writeCount++] = buffer;
        else
            reads[readCount++] = buffer;
    }
    order({reads, readCount}, {writes, writeCount});
    RecordedCommand command = commandOf(RecordedCommand::Kind::Dispatch);
    command.pipeline = &pipeline;
    command.buffers = uint32_t(buffers.size());
    uint32_t i = 0;
    for (const Buffer* buffer : buffers) {
        command.ids[i] = buffer->id();
        command.handles[i++] = buffer->handle();
    }
    command.pushBytes = pushBytes;
    std::memcpy(command.push, push, pushBytes);
    command.groupsX = groupsX;
    command.groupsY = groupsY;
    commands_.push_back(command);
}

void CommandRecorder::copy(BufferSlice from, BufferSlice to, uint64_t bytes)
{
    begin();
    const Buffer* const source[] = {from.buffer};
    const Buffer* const target[] = {to.buffer};
    order(source, target);
    RecordedCommand command = commandOf(RecordedCommand::Kind::Copy);
    command.buffers = 2;
    command.ids[0] = from.buffer->id();
    command.handles[0] = from.buffer->handle();
    command.ids[1] = to.buffer->id();
    command.handles[1] = to.buffer->handle();
    command.from = from.offset;
    command.to = to.offset;
    command.bytes = bytes;
    commands_.push_back(command);
}

void CommandRecorder::zero(const Buffer& buffer)
{
    begin();
    const Buffer* const target[] = {&buffer};
    order({}, target);
    RecordedCommand command = commandOf(RecordedCommand::Kind::Fill);
    command.buffers = 1;
    command.ids[0] = buffer.id();
    command.handles[0] = buffer.handle();
    commands_.push_back(command);
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

CommandRecorder::Recording& CommandRecorder::recordingOfCommands()
{
    Recording* leastRecent = &recordings_.front();
    for (Recording& recording : recordings_) {
        if (replay_ && sameCommands(recording.commands, commands_)) {
            ++replays_;
            return recording;
        }
        if (recording.lastUse < leastRecent->lastUse)
            leastRecent = &recording;
    }
    leastRecent->commands.swap(commands_);
    record(*leastRecent);
    return *leastRecent;
}

void CommandRecorder::record(const Recording& recording)
{
    const VkCommandBuffer buffer = recording.buffer;
    check(vkResetCommandBuffer(buffer, 0), "resetting a command buffer");
    VkCommandBufferBeginInfo info{.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    check(vkBeginCommandBuffer(buffer, &info), "beginning a command buffer");
    const ComputePipeline* bound = nullptr;
    for (const RecordedCommand& command : recording.commands) {
        switch (command.kind) {
        case RecordedCommand::Kind::Dispatch: {
            const VkDescriptorSet set = descriptorSet(command);
            if (command.pipeline != bound)
                vkCmdBindPipeline(buffer, VK_PIPELINE_BIND_POINT_COMPUTE, command.pipeline->pipeline);
            bound = command.pipeline;
            vkCmdBindDescriptorSets(buffer, VK_PIPELINE_BIND_POINT_COMPUTE, command.pipeline->layout, 0, 1, &set, 0,
                                    nullptr);
            vkCmdPushConstants(buffer, command.pipeline->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, command.pushBytes,
                               command.push);
            vkCmdDispatch(buffer, command.groupsX, command.groupsY, 1);
            break;
        }
        case RecordedCommand::Kind::Copy: {
            const VkBufferCopy region{command.from, command.to, command.bytes};
            vkCmdCopyBuffer(buffer, command.handles[0], command.handles[1], 1, &region);
            break;
        }
        case RecordedCommand::Kind::Fill: vkCmdFillBuffer(buffer, command.handles[0], 0, VK_WHOLE_SIZE, 0); break;
        case RecordedCommand::Kind::Barrier: {
            VkMemoryBarrier memory{.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER};
            memory.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
            memory.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                                   VK_ACCESS_TRANSFER_WRITE_BIT;
            const VkPipelineStageFlags stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
            vkCmdPipelineBarrier(buffer, stages, stages, 0, 1, &memory, 0, nullptr, 0, nullptr);
            break;
        }
        case RecordedCommand::Kind::Timestamp:
            if (command.resetQueries)
                vkCmdResetQueryPool(buffer, command.queryPool, 0, command.resetQueries);
            vkCmdWriteTimestamp(buffer, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, command.queryPool, command.query);
            break;
        }
    }
    // What the commands wrote, visible to the host once the fence has signalled (read-backs).
    VkMemoryBarrier toHost{.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    toHost.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    toHost.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(buffer, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &toHost, 0, nullptr, 0, nullptr);
    check(vkEndCommandBuffer(buffer), "ending a command buffer");
}

void CommandRecorder::submitAndWait()
{
    if (!commands_.empty()) {
        stamp(timestamps_.closeCommandBuffer());
        readSinceBarrier_.clear();
        writtenSinceBarrier_.clear();
        if (failSubmissions_) {
            commands_.clear();
            throw Error("vulkan: submitting commands failed: VK_ERROR_DEVICE_LOST (simulated: "
                        "LATENT_VULKAN_FAIL_SUBMISSIONS is set)");
        }
        Recording& recording = recordingOfCommands();
        commands_.clear();
        recording.lastUse = submissions_ + 1;
        VkSubmitInfo submit{.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO};
        submit.commandBufferCount = 1;
        submit.pCommandBuffers = &recording.buffer;
        check(vkQueueSubmit(device_->queue(), 1, &submit, fence_), "submitting commands");
        check(vkWaitForFences(device_->handle(), 1, &fence_, VK_TRUE, UINT64_MAX), "waiting for the GPU");
        check(vkResetFences(device_->handle(), 1, &fence_), "resetting a fence");
        timestamps_.collect();
    }
    if (descriptorSets_.size() > kMaxKeptSets) { // nothing pending uses them now
        for (VkDescriptorPool pool : descriptorPools_)
            vkResetDescriptorPool(device_->handle(), pool, 0);
        descriptorPoolInUse_ = 0;
        descriptorSets_.clear();
        for (Recording& recording : recordings_) // their sets are gone
            recording.commands.clear();
    }
    hostBufferInUse_ = 0;
    hostBufferUsed_ = 0;
    commandsRecorded_ = 0;
    lastWrite_.clear();
    ++submissions_;
    alive_.clear();
}

} // namespace latent::vulkan
