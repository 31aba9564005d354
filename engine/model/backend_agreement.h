#pragma once

// Whether a device computes a model's products as the CPU does, checked before --backend auto
// gives it the model: a driver or kernel that computes wrongly answers in garbage rather than
// failing, and nothing after the choice would notice.

#include "engine/backend/backend.h"

namespace latent::gguf {
class GgufFile;
}

namespace latent {

// One product of the model's measured matrix (backend_speed.h) with a few random activation rows
// on both backends: max |device - reference| / max |reference|. Throws what the backends throw.
double productDisagreement(Backend& reference, Backend& device, const gguf::GgufFile& file);

// The most a device may disagree and still be chosen: far above what computing in another order
// (~1e-6) or quantizing the activations another way (CUDA: ~1e-3) makes, far below a wrong decode.
inline constexpr double kMaxProductDisagreement = 2e-2;

} // namespace latent
