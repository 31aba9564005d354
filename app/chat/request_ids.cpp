#include "app/chat/request_ids.h"

#include <atomic>

namespace latent::app {

qint64 nextRequestId()
{
    static std::atomic<qint64> last{0};
    return ++last;
}

} // namespace latent::app
