#include "app/chat/cancel_flags.h"

#include "app/chat/request_ids.h"

namespace latent::app {

CancelFlags::Request CancelFlags::add()
{
    const std::lock_guard lock(mutex_);
    Request request{nextRequestId(), std::make_shared<std::atomic<bool>>(false)};
    flags_.emplace(request.id, request.cancelled);
    return request;
}

void CancelFlags::cancelUpTo(qint64 id)
{
    const std::lock_guard lock(mutex_);
    for (auto it = flags_.begin(); it != flags_.end() && it->first <= id; ++it)
        it->second->store(true);
}

void CancelFlags::cancelAll()
{
    const std::lock_guard lock(mutex_);
    for (auto& [id, flag] : flags_)
        flag->store(true);
}

void CancelFlags::remove(qint64 id)
{
    const std::lock_guard lock(mutex_);
    flags_.erase(id);
}

} // namespace latent::app
