#pragma once

#include "engine/vulkan/compute_pipelines.h"
#include "engine/vulkan/device_buffer.h"
#include "engine/vulkan/operation_timestamps.h"

#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <vector>

namespace latent::vulkan {

// A buffer and a byte offset into it.
struct BufferSlice {
    const Buffer* buffer = nullptr;
    uint64_t offset = 0;
};

// Records the backend's operations into one command buffer, in order, and submits them at once with
// a fence. A command waits behind a barrier only where it reads a buffer an earlier command wrote
// since the last barrier, or writes one such a command read or wrote (what a dispatch writes is what
// its shader does not declare readonly); commands on separate buffers run side by side. Descriptor
// sets are made once per pipeline and buffers, and kept.
// Small host data (token ids, rotations, uploads, read-backs) goes through host-visible buffers
// that live until the submission has run; so does every storage a command uses (keepAlive), so a
// tensor dropped by the model while its commands are pending is freed only after the fence.
class CommandRecorder {
public:
    explicit CommandRecorder(std::shared_ptr<VulkanDevice> device);
    ~CommandRecorder();
    CommandRecorder(const CommandRecorder&) = delete;
    CommandRecorder& operator=(const CommandRecorder&) = delete;

    void dispatch(const ComputePipeline& pipeline, std::initializer_list<const Buffer*> buffers, const void* push,
                  uint32_t pushBytes, uint32_t groupsX, uint32_t groupsY = 1);
    void copy(BufferSlice from, BufferSlice to, uint64_t bytes);
    void zero(const Buffer& buffer);
    // Host-visible bytes valid until the submission has run: written before it (uploads) or read
    // after it (read-backs).
    BufferSlice hostBytes(uint64_t bytes);
    void keepAlive(std::shared_ptr<void> storage) { alive_.push_back(std::move(storage)); }

    // Submits what was recorded and waits for it; then frees what only the commands held.
    void submitAndWait();

    // The commands recorded in between are timed on the device under kind (OperationTimestamps).
    void beginOperation(const std::string& kind) { timestamps_.begin(kind); }
    void endOperation();
    OperationProfile takeDeviceProfile() { return timestamps_.take(); }
    // Barriers recorded between commands so far (what the ordering decided; tests check it).
    uint64_t barriers() const { return barriers_; }

private:
    // Starts the command buffer if need be, before a command of the current operation.
    void begin();
    // Before a command that reads `reads` and writes `writes`: a barrier if it depends on a command
    // since the last one.
    void order(std::span<const Buffer* const> reads, std::span<const Buffer* const> writes);
    void barrier();
    VkDescriptorSet descriptorSet(const ComputePipeline& pipeline, std::span<const Buffer* const> buffers);
    VkDescriptorSet allocateSet(const ComputePipeline& pipeline);

    std::shared_ptr<VulkanDevice> device_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    VkCommandBuffer commands_ = VK_NULL_HANDLE;
    VkFence fence_ = VK_NULL_HANDLE;
    bool recording_ = false;
    // LATENT_VULKAN_FAIL_SUBMISSIONS=1: every submission fails as on a lost device (a test hook for
    // the fallback of "auto" to the CPU).
    bool failSubmissions_ = false;
    std::vector<VkDescriptorPool> descriptorPools_;
    size_t descriptorPoolInUse_ = 0;
    // (pipeline, buffer ids) -> its set; cleared with the pools when it grows past a bound.
    std::map<std::pair<VkPipeline, std::vector<uint64_t>>, VkDescriptorSet> descriptorSets_;
    std::vector<uint64_t> readSinceBarrier_, writtenSinceBarrier_; // buffer ids
    uint64_t barriers_ = 0;
    std::vector<std::unique_ptr<Buffer>> hostBuffers_; // bump-allocated, reset after each submission
    size_t hostBufferInUse_ = 0;
    uint64_t hostBufferUsed_ = 0;
    std::vector<std::shared_ptr<void>> alive_;
    OperationTimestamps timestamps_;
};

} // namespace latent::vulkan
