#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace latent::cpu {

// Queries per tile of an attention loop, where sharing of them share their keys and values and
// all of them are split over threads: a tile widens each F16 key and value once for all its
// queries (the tile kernels take them three and four at a time), but the loop keeps two tiles
// per thread where it can, so that decoding's few queries still reach every thread.
inline size_t queriesPerTile(size_t sharing, size_t all, size_t threads)
{
    constexpr size_t kMaxQueries = 12;
    return std::clamp(all / (2 * threads), size_t(1), std::min(kMaxQueries, sharing));
}

} // namespace latent::cpu
