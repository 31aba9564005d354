#pragma once

// Random inputs for the kernel tests: normally distributed floats, never zero (a zero would hide
// a value that a kernel forgot to multiply or add).

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace latent::test {

inline std::vector<float> randomFloats(size_t n, uint32_t seed, float scale = 1.0f)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> normal(0.0f, scale);
    std::vector<float> values(n);
    for (float& v : values) {
        v = normal(random);
        if (v == 0.0f)
            v = 0.5f;
    }
    return values;
}

} // namespace latent::test
