#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace latent::cpu {

// Scores (scores[j] = score(j) for j < visible) to one query's attention weights, unnormalized,
// in place: exp(scale * score - max); returns their sum (the softmax's divisor). Every attention
// form of the CPU backend shares it; only how the scores are computed differs.
inline float exponentiate(float* scores, size_t visible, float scale)
{
    float max = -INFINITY;
    for (size_t j = 0; j < visible; ++j) {
        scores[j] = scores[j] * scale;
        max = std::max(max, scores[j]);
    }
    float sum = 0;
    for (size_t j = 0; j < visible; ++j) {
        scores[j] = std::exp(scores[j] - max);
        sum += scores[j];
    }
    return sum;
}

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
