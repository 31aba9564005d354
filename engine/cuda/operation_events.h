#pragma once

#include "engine/backend/operation_profile.h"

#include <string>
#include <utility>
#include <vector>

// The CUDA runtime's types (cudaStream_t, cudaEvent_t), without its header.
struct CUstream_st;
struct CUevent_st;

namespace latent::cuda {

// The device's time per kind of operation (`bench --profile` on CUDA), from an event recorded on
// the stream before an operation's kernels and one after them. Events are made on first use and
// reused; nothing is recorded unless begin() is called, so a backend that is not profiled pays
// nothing.
class OperationEvents {
public:
    OperationEvents() = default;
    ~OperationEvents();
    OperationEvents(const OperationEvents&) = delete;
    OperationEvents& operator=(const OperationEvents&) = delete;

    void begin(const std::string& kind, CUstream_st* stream);
    void end(CUstream_st* stream);
    // After the stream has been synchronized: the finished operations' times into the profile (an
    // operation still open, as read() is while it synchronizes, waits for the next call).
    void collect();
    // The times collected since the last call, and a fresh start.
    OperationProfile take();

private:
    CUevent_st* event();

    struct Timed {
        std::string kind;
        CUevent_st* start = nullptr;
        CUevent_st* end = nullptr; // null while the operation is open
    };
    std::vector<Timed> pending_;
    std::vector<CUevent_st*> spare_;
    OperationProfile profile_;
};

} // namespace latent::cuda
