#include "engine/backend/rope_frequencies.h"

#include <algorithm>
#include <cmath>

namespace latent {

std::vector<float> ropeFrequencies(const RopeParams& params)
{
    std::vector<float> frequency(size_t(params.ropeDims / 2));
    const bool yarn = params.yarnLow != 0 || params.yarnHigh != 0;
    for (size_t i = 0; i < frequency.size(); ++i) {
        const float unscaled = std::pow(params.freqBase, -2.0f * float(i) / float(params.ropeDims));
        float keepUnscaled = 0;
        if (yarn) {
            const float ramp = (float(i) - params.yarnLow) / std::max(0.001f, params.yarnHigh - params.yarnLow);
            keepUnscaled = 1.0f - std::clamp(ramp, 0.0f, 1.0f);
        }
        frequency[i] = params.freqScale * unscaled * (1.0f - keepUnscaled) + unscaled * keepUnscaled;
    }
    return frequency;
}

std::vector<float> ropeRotations(std::span<const int32_t> positions, const RopeParams& params)
{
    const std::vector<float> frequency = ropeFrequencies(params);
    std::vector<float> rotations;
    rotations.reserve(positions.size() * frequency.size() * 2);
    for (int32_t position : positions) {
        for (float f : frequency) {
            const float theta = float(position) * f;
            rotations.push_back(std::cos(theta));
            rotations.push_back(std::sin(theta));
        }
    }
    return rotations;
}

} // namespace latent
