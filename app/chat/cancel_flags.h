#pragma once

#include <QtGlobal>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

namespace latent::app {

// Numbered requests (ids from nextRequestId, unique in the process), each with a flag that the engine polls while it runs. Cancelling request n
// cancels every request up to n, queued or running, and never a later one. Thread-safe.
class CancelFlags {
public:
    using Flag = std::shared_ptr<std::atomic<bool>>;

    struct Request {
        qint64 id;
        Flag cancelled;
    };

    Request add();
    void cancelUpTo(qint64 id);
    void cancelAll();
    void remove(qint64 id); // when the request is done

private:
    std::mutex mutex_;
    std::map<qint64, Flag> flags_;
};

} // namespace latent::app
