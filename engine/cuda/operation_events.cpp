#include "engine/cuda/operation_events.h"

#include "engine/cuda/cuda_check.h"

#include <cuda_runtime_api.h>

namespace latent::cuda {

OperationEvents::~OperationEvents()
{
    for (const Timed& timed : pending_) {
        cudaEventDestroy(timed.start);
        if (timed.end)
            cudaEventDestroy(timed.end);
    }
    for (CUevent_st* spare : spare_)
        cudaEventDestroy(spare);
}

CUevent_st* OperationEvents::event()
{
    if (!spare_.empty()) {
        CUevent_st* reused = spare_.back();
        spare_.pop_back();
        return reused;
    }
    cudaEvent_t made = nullptr;
    check(cudaEventCreate(&made), "creating an event to time an operation");
    return made;
}

void OperationEvents::begin(const std::string& kind, CUstream_st* stream)
{
    Timed timed{.kind = kind, .start = event()};
    check(cudaEventRecord(timed.start, stream), "timing an operation");
    pending_.push_back(std::move(timed));
}

void OperationEvents::end(CUstream_st* stream)
{
    if (pending_.empty() || pending_.back().end)
        return;
    pending_.back().end = event();
    check(cudaEventRecord(pending_.back().end, stream), "timing an operation");
}

void OperationEvents::collect()
{
    std::vector<Timed> open;
    for (Timed& timed : pending_) {
        if (!timed.end) {
            open.push_back(std::move(timed));
            continue;
        }
        float milliseconds = 0;
        check(cudaEventElapsedTime(&milliseconds, timed.start, timed.end), "reading an operation's time");
        OperationCost& cost = profile_[timed.kind];
        ++cost.calls;
        cost.seconds += double(milliseconds) * 1e-3;
        spare_.push_back(timed.start);
        spare_.push_back(timed.end);
    }
    pending_ = std::move(open);
}

OperationProfile OperationEvents::take()
{
    return std::exchange(profile_, {});
}

} // namespace latent::cuda
