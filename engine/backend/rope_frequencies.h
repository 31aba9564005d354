#pragma once

#include "engine/backend/backend.h"

#include <cstdint>
#include <span>
#include <vector>

namespace latent {

// Pair i's rotation frequency under params (see Backend::rope): freqBase^(-2i / ropeDims) times
// freqScale, or YaRN's ramp between the scaled and the unscaled one. ropeDims / 2 values; every
// backend rotates by these, so their angles agree to the bit.
std::vector<float> ropeFrequencies(const RopeParams& params);

// The (cos, sin) of every position's angle for every pair: positions.size() * ropeDims / 2 pairs of
// floats, position after position, as the CPU backend rotates by them (the GPU backends upload it).
std::vector<float> ropeRotations(std::span<const int32_t> positions, const RopeParams& params);

} // namespace latent
