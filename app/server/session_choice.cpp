#include "app/server/session_choice.h"

namespace latent::server {

size_t chooseSession(std::span<const Session* const> free, std::span<const int32_t> prompt)
{
    size_t best = 0;
    int64_t bestShared = -1;
    for (size_t i = 0; i < free.size(); ++i) {
        // A session that exists but shares nothing still beats one to be made: no allocation.
        const int64_t shared = free[i] ? free[i]->sharedPrefix(prompt) : -1;
        if (shared > bestShared) {
            best = i;
            bestShared = shared;
        }
    }
    return best;
}

} // namespace latent::server
