#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace latent {

struct SamplerParams {
    float temperature = 0.7f;     // <= 0: greedy (the most likely token)
    int topK = 40;                // <= 0: all tokens
    float topP = 0.95f;           // >= 1: off
    float minP = 0.05f;           // <= 0: off; drops tokens below minP times the best one's probability
    float repeatPenalty = 1.0f;   // 1: off; divides positive logits (multiplies negative) of recent tokens
    float frequencyPenalty = 0;   // minus this times each recent token's count
    float presencePenalty = 0;    // minus this for each token seen recently
    int penaltyWindow = 64;       // how many recent tokens the penalties look at
    uint64_t seed = 0;            // the same seed, model and prompt give the same text
};

// Chooses the next token from logits: penalties, then temperature, top-k, top-p and min-p, then
// a draw from what is left (or the best token, greedy).
class Sampler {
public:
    explicit Sampler(const SamplerParams& params);

    int32_t sample(std::span<const float> logits, std::span<const int32_t> recentTokens);

private:
    struct Candidate {
        int32_t id;
        float logit;
    };

    SamplerParams params_;
    std::mt19937_64 random_;
    std::vector<Candidate> candidates_;
};

} // namespace latent
