#include "engine/vulkan/operation_timestamps.h"

#include <algorithm>
#include <utility>

namespace latent::vulkan {
namespace {

constexpr uint32_t kQueriesPerPool = 1024;

} // namespace

OperationTimestamps::OperationTimestamps(std::shared_ptr<VulkanDevice> device) : device_(std::move(device)) {}

OperationTimestamps::~OperationTimestamps()
{
    for (VkQueryPool pool : pools_)
        vkDestroyQueryPool(device_->handle(), pool, nullptr);
}

void OperationTimestamps::begin(const std::string& kind)
{
    kind_ = available() ? kind : std::string();
    started_ = false;
    counted_ = false;
}

VkQueryPool OperationTimestamps::poolOf(uint32_t query) const
{
    return pools_[query / kQueriesPerPool];
}

TimestampWrite OperationTimestamps::nextQuery()
{
    const uint32_t query = queriesUsed_++;
    const bool firstOfPool = query % kQueriesPerPool == 0;
    if (firstOfPool && query / kQueriesPerPool == pools_.size()) {
        VkQueryPoolCreateInfo info{.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
        info.queryType = VK_QUERY_TYPE_TIMESTAMP;
        info.queryCount = kQueriesPerPool;
        VkQueryPool pool = VK_NULL_HANDLE;
        check(vkCreateQueryPool(device_->handle(), &info, nullptr, &pool), "creating a timestamp query pool");
        pools_.push_back(pool);
    }
    return {poolOf(query), query % kQueriesPerPool, firstOfPool ? kQueriesPerPool : 0};
}

std::optional<TimestampWrite> OperationTimestamps::beforeCommand()
{
    if (kind_.empty() || started_)
        return std::nullopt;
    kinds_.push_back(kind_);
    started_ = true;
    if (!counted_)
        ++profile_[kind_].calls;
    counted_ = true;
    return nextQuery();
}

std::optional<TimestampWrite> OperationTimestamps::closeCommandBuffer()
{
    if (!started_)
        return std::nullopt;
    started_ = false;
    return nextQuery();
}

std::optional<TimestampWrite> OperationTimestamps::end()
{
    const std::optional<TimestampWrite> stamp = closeCommandBuffer();
    kind_.clear();
    return stamp;
}

void OperationTimestamps::collect()
{
    std::vector<uint64_t> ticks(queriesUsed_);
    for (uint32_t first = 0; first < queriesUsed_; first += kQueriesPerPool) {
        const uint32_t count = std::min(kQueriesPerPool, queriesUsed_ - first);
        check(vkGetQueryPoolResults(device_->handle(), poolOf(first), 0, count, count * sizeof(uint64_t),
                                    ticks.data() + first, sizeof(uint64_t),
                                    VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
              "reading timestamps");
    }
    const uint32_t bits = device_->timestampBits();
    const uint64_t mask = bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
    for (size_t i = 0; i + 1 < ticks.size(); i += 2) {
        profile_[kinds_[i / 2]].seconds += double((ticks[i + 1] - ticks[i]) & mask) * device_->timestampPeriodNs() * 1e-9;
    }
    discard();
}

void OperationTimestamps::discard()
{
    queriesUsed_ = 0;
    kinds_.clear();
    started_ = false;
}

OperationProfile OperationTimestamps::take()
{
    return std::exchange(profile_, {});
}

} // namespace latent::vulkan
