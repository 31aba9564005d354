#pragma once

#include "engine/vulkan/compute_pipelines.h"
#include "engine/vulkan/device_buffer.h"
#include "engine/vulkan/operation_timestamps.h"

#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace latent::vulkan {

// A buffer and a byte offset into it.
struct BufferSlice {
    const Buffer* buffer = nullptr;
    uint64_t offset = 0;
};

// One command of a submission, in plain bytes (zero-filled, no padding left undefined), so that a
// submission's commands compare with memcmp against an earlier one's.
struct RecordedCommand {
    enum class Kind : uint32_t { Dispatch, Copy, Fill, Barrier, Timestamp };
    static constexpr uint32_t kMaxBuffers = 8;
    static constexpr uint32_t kMaxPushBytes = 64;

    Kind kind = Kind::Dispatch;
    uint32_t buffers = 0; // of ids and handles in use
    uint32_t groupsX = 0, groupsY = 0;
    uint32_t pushBytes = 0;
    uint32_t query = 0, resetQueries = 0; // Timestamp (TimestampWrite)
    uint32_t unused = 0;
    const ComputePipeline* pipeline = nullptr;
    VkQueryPool queryPool = VK_NULL_HANDLE;
    uint64_t ids[kMaxBuffers] = {};
    VkBuffer handles[kMaxBuffers] = {};
    uint64_t from = 0, to = 0, bytes = 0; // Copy
    uint8_t push[kMaxPushBytes] = {};
};

// Records the backend's operations, in order, and submits them at once with a fence. A command
// waits behind a barrier only where it reads a buffer an earlier command wrote since the last
// barrier, or writes one such a command read or wrote (what a dispatch writes is what its shader
// does not declare readonly); commands on separate buffers run side by side. Descriptor sets are
// made once per pipeline and buffers, and kept.
// A submission's commands are gathered first and put into a Vulkan command buffer only where they
// differ from those of the last few submissions: a decoding step repeats the step before it
// command for command (its position and token reach the shaders through buffers the host writes,
// not through push constants), so its command buffer is recorded once and submitted again, as
// CUDA graphs replay a captured step.
// Small host data (token ids, rotations, positions, uploads, read-backs) goes through host-visible
// buffers bump-allocated from the start of every submission, so a repeated step finds its data
// where the recorded commands read it; they and every storage a command uses (keepAlive) live
// until the submission has run, so a tensor dropped by the model while its commands are pending is
// freed only after the fence.
class CommandRecorder {
public:
    // replay: submit the command buffer of an earlier submission whose commands were the same
    // (false: record every submission afresh; tests compare the two).
    CommandRecorder(std::shared_ptr<VulkanDevice> device, bool replay = true);
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
    // Barriers put between commands so far (what the ordering decided; tests check it).
    uint64_t barriers() const { return barriers_; }
    // Submissions that reused an earlier one's command buffer.
    uint64_t replays() const { return replays_; }
    // The number, counted from 1 in this submission, of the last command recorded that writes
    // buffer; 0 where none has since the last submission. Equal numbers: the buffer is unchanged.
    uint64_t lastWrite(const Buffer& buffer) const;
    // Submissions made so far: what was recorded for an earlier one (a scratch buffer) is gone.
    uint64_t submissions() const { return submissions_; }
    // Commands recorded in this submission so far.
    uint64_t commandsRecorded() const { return commandsRecorded_; }

private:
    // A command buffer and the commands it was recorded from.
    struct Recording {
        VkCommandBuffer buffer = VK_NULL_HANDLE;
        std::vector<RecordedCommand> commands;
        uint64_t lastUse = 0; // submissions_ when last submitted
    };

    // Before a command of the current operation: its start stamp, if it is the first.
    void begin();
    void stamp(const std::optional<TimestampWrite>& write);
    // Before a command that reads `reads` and writes `writes`: a barrier if it depends on a command
    // since the last one.
    void order(std::span<const Buffer* const> reads, std::span<const Buffer* const> writes);
    // The recording of commands_: an earlier one with the same commands, or the least recently
    // used recorded afresh.
    Recording& recordingOfCommands();
    void record(const Recording& recording);
    VkDescriptorSet descriptorSet(const RecordedCommand& dispatch);
    VkDescriptorSet allocateSet(const ComputePipeline& pipeline);

    std::shared_ptr<VulkanDevice> device_;
    bool replay_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    VkFence fence_ = VK_NULL_HANDLE;
    std::vector<RecordedCommand> commands_; // of the submission being gathered
    std::vector<Recording> recordings_;
    uint64_t replays_ = 0;
    // LATENT_VULKAN_FAIL_SUBMISSIONS=1: every submission fails as on a lost device (a test hook for
    // the fallback of "auto" to the CPU).
    bool failSubmissions_ = false;
    std::vector<VkDescriptorPool> descriptorPools_;
    size_t descriptorPoolInUse_ = 0;
    // (pipeline, buffer ids) -> its set; cleared with the pools (and the recordings that use them)
    // when it grows past a bound.
    std::map<std::pair<VkPipeline, std::vector<uint64_t>>, VkDescriptorSet> descriptorSets_;
    std::vector<uint64_t> readSinceBarrier_, writtenSinceBarrier_; // buffer ids
    uint64_t barriers_ = 0;
    uint64_t commandsRecorded_ = 0;                    // in this submission
    std::unordered_map<uint64_t, uint64_t> lastWrite_; // buffer id -> commandsRecorded_ at its last write
    uint64_t submissions_ = 0;
    std::vector<std::unique_ptr<Buffer>> hostBuffers_; // bump-allocated, reset after each submission
    size_t hostBufferInUse_ = 0;
    uint64_t hostBufferUsed_ = 0;
    std::vector<std::shared_ptr<void>> alive_;
    OperationTimestamps timestamps_;
};

} // namespace latent::vulkan
