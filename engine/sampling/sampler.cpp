#include "engine/sampling/sampler.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace latent {

Sampler::Sampler(const SamplerParams& params) : params_(params), random_(params.seed) {}

int32_t Sampler::sample(std::span<const float> logits, std::span<const int32_t> recentTokens)
{
    candidates_.resize(logits.size());
    for (size_t i = 0; i < logits.size(); ++i)
        candidates_[i] = {int32_t(i), logits[i]};

    // Penalties on the tokens of the recent window.
    const size_t window = std::min(recentTokens.size(), size_t(std::max(params_.penaltyWindow, 0)));
    if (window > 0 && (params_.repeatPenalty != 1.0f || params_.frequencyPenalty != 0 || params_.presencePenalty != 0)) {
        std::unordered_map<int32_t, int> counts;
        for (int32_t token : recentTokens.last(window))
            ++counts[token];
        for (const auto& [token, count] : counts) {
            if (token < 0 || size_t(token) >= candidates_.size())
                continue;
            float& logit = candidates_[size_t(token)].logit;
            logit = logit > 0 ? logit / params_.repeatPenalty : logit * params_.repeatPenalty;
            logit -= float(count) * params_.frequencyPenalty + params_.presencePenalty;
        }
    }

    const auto byLogit = [](const Candidate& a, const Candidate& b) {
        return a.logit != b.logit ? a.logit > b.logit : a.id < b.id;
    };
    if (params_.temperature <= 0)
        return std::min_element(candidates_.begin(), candidates_.end(), byLogit)->id;

    // Top-k: keep the k best, sorted best first (the other filters need the order).
    size_t keep = candidates_.size();
    if (params_.topK > 0)
        keep = std::min(keep, size_t(params_.topK));
    std::partial_sort(candidates_.begin(), candidates_.begin() + std::ptrdiff_t(keep), candidates_.end(), byLogit);
    candidates_.resize(keep);

    // Probabilities at the temperature.
    std::vector<double> probabilities(keep);
    const double best = candidates_.front().logit;
    double sum = 0;
    for (size_t i = 0; i < keep; ++i) {
        probabilities[i] = std::exp((double(candidates_[i].logit) - best) / params_.temperature);
        sum += probabilities[i];
    }
    for (double& p : probabilities)
        p /= sum;

    // Min-p, then top-p: always keep the best token.
    size_t cut = keep;
    if (params_.minP > 0) {
        const double threshold = probabilities.front() * params_.minP;
        cut = size_t(std::find_if(probabilities.begin() + 1, probabilities.end(),
                                  [&](double p) { return p < threshold; }) -
                     probabilities.begin());
    }
    if (params_.topP < 1) {
        double cumulative = 0;
        for (size_t i = 0; i < cut; ++i) {
            cumulative += probabilities[i];
            if (cumulative >= params_.topP) {
                cut = i + 1;
                break;
            }
        }
    }

    // A draw of our own rather than std::discrete_distribution, whose algorithm differs between
    // standard libraries: the same seed gives the same text on every platform.
    double mass = 0;
    for (size_t i = 0; i < cut; ++i)
        mass += probabilities[i];
    const double target = double(random_() >> 11) * 0x1.0p-53 * mass;
    double cumulative = 0;
    for (size_t i = 0; i < cut; ++i) {
        cumulative += probabilities[i];
        if (target < cumulative)
            return candidates_[i].id;
    }
    return candidates_[cut - 1].id;
}

} // namespace latent
