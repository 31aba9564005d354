#pragma once

#include "engine/backend/operation_profile.h"
#include "engine/vulkan/vulkan_device.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace latent::vulkan {

// A timestamp for the command recorder to write (after resetting `resetQueries` queries of its pool
// from 0 where that is not 0: the pool's first use in a command buffer).
struct TimestampWrite {
    VkQueryPool pool = VK_NULL_HANDLE;
    uint32_t query = 0;
    uint32_t resetQueries = 0;
};

// The device's time per kind of operation (`bench --profile` on Vulkan), from a timestamp written
// before an operation's first command and one after its last, each when every command before it has
// finished. Work recorded outside operations (uploads, a pass's zero-fills) falls between them and
// is not counted. Stamps are written only once begin() has been called, so a backend that is not
// profiled records nothing extra.
class OperationTimestamps {
public:
    explicit OperationTimestamps(std::shared_ptr<VulkanDevice> device);
    ~OperationTimestamps();
    OperationTimestamps(const OperationTimestamps&) = delete;
    OperationTimestamps& operator=(const OperationTimestamps&) = delete;

    // False where the compute queue writes no timestamps: the profile then stays empty.
    bool available() const { return device_->timestampBits() != 0; }

    // The commands recorded until end() belong to kind.
    void begin(const std::string& kind);
    // Called before each command: the operation's start stamp goes before its first one.
    std::optional<TimestampWrite> beforeCommand();
    std::optional<TimestampWrite> end();
    // Before the command buffer ends with an operation still open (read() submits inside its
    // operation): the end stamp goes in now, and the operation's later commands get a new pair.
    std::optional<TimestampWrite> closeCommandBuffer();

    // After the command buffer has run: its stamps into the profile. discard(): a new command buffer
    // begins, and stamps of one that never ran are dropped.
    void collect();
    void discard();
    // The times collected since the last call, and a fresh start.
    OperationProfile take();

private:
    // The next query of this command buffer; a pool is reset in the command buffer before its first.
    TimestampWrite nextQuery();
    VkQueryPool poolOf(uint32_t query) const;

    std::shared_ptr<VulkanDevice> device_;
    std::vector<VkQueryPool> pools_;
    uint32_t queriesUsed_ = 0; // in the command buffer being recorded
    std::string kind_;         // the open operation's; empty outside operations
    bool started_ = false;     // the open operation's start stamp is written in this command buffer
    bool counted_ = false;     // the open operation is counted as a call
    std::vector<std::string> kinds_; // kind of stamps 2i (start) and 2i + 1 (end)
    OperationProfile profile_;
};

} // namespace latent::vulkan
