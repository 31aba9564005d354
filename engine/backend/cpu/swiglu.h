#pragma once

// SwiGLU of one value pair, SiLU(gate) * up: written once, because swiglu() and the MoE loop that
// fuses it into the experts' products must give the same bits.

#include <cmath>

namespace latent::cpu {

inline float swiglu(float gate, float up)
{
    return gate / (1.0f + std::exp(-gate)) * up;
}

} // namespace latent::cpu
