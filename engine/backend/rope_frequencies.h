#pragma once

#include "engine/backend/backend.h"

#include <vector>

namespace latent {

// Pair i's rotation frequency under params (see Backend::rope): freqBase^(-2i / ropeDims) times
// freqScale, or YaRN's ramp between the scaled and the unscaled one. ropeDims / 2 values; every
// backend rotates by these, so their angles agree to the bit.
std::vector<float> ropeFrequencies(const RopeParams& params);

} // namespace latent
