#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace latent::cpu {

// One query's attention weights over keys 0 .. visible - 1, unnormalized: scores[j] =
// exp(scale * score(j) - max); returns their sum (the softmax's divisor). Every attention form of
// the CPU backend shares it; only how a score is computed differs.
template <typename Score>
float exponentiatedScores(std::vector<float>& scores, int64_t visible, float scale, Score score)
{
    scores.resize(size_t(visible));
    float max = -INFINITY;
    for (int64_t j = 0; j < visible; ++j) {
        scores[size_t(j)] = score(j) * scale;
        max = std::max(max, scores[size_t(j)]);
    }
    float sum = 0;
    for (float& s : scores) {
        s = std::exp(s - max);
        sum += s;
    }
    return sum;
}

} // namespace latent::cpu
