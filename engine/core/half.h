#pragma once

#include <bit>
#include <cstdint>
#include <cmath>
#include <cstring>

namespace latent {

// IEEE half precision and bfloat16, as GGUF stores F16/BF16 tensors and block scales.

inline float halfToFloat(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    const uint32_t exponent = (h >> 10) & 0x1F;
    const uint32_t mantissa = h & 0x3FF;
    uint32_t bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | (mantissa << 13); // infinity or NaN
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign; // zero
    } else { // subnormal: value = mantissa * 2^-24
        const float value = float(mantissa) * 0x1p-24f;
        return sign ? -value : value;
    }
    return std::bit_cast<float>(bits);
}

// Round to nearest even in every range (normal, subnormal, overflow to infinity), NaN kept NaN:
// the float is scaled so that the hardware's own rounding of an addition does the work.
inline uint16_t floatToHalf(float f)
{
    float base = (std::fabs(f) * 0x1.0p+112f) * 0x1.0p-110f;
    const uint32_t w = std::bit_cast<uint32_t>(f);
    const uint32_t shiftedW = w + w;
    const uint32_t sign = w & 0x80000000u;
    uint32_t bias = shiftedW & 0xFF000000u;
    if (bias < 0x71000000u)
        bias = 0x71000000u;
    base = std::bit_cast<float>((bias >> 1) + 0x07800000u) + base;
    const uint32_t bits = std::bit_cast<uint32_t>(base);
    const uint32_t exponentBits = (bits >> 13) & 0x00007C00u;
    const uint32_t mantissaBits = bits & 0x00000FFFu;
    const uint32_t nonSign = exponentBits + mantissaBits;
    return uint16_t((sign >> 16) | (shiftedW > 0xFF000000u ? 0x7E00u : nonSign));
}

inline float bf16ToFloat(uint16_t b)
{
    return std::bit_cast<float>(uint32_t(b) << 16);
}

inline uint16_t floatToBf16(float f)
{
    const uint32_t bits = std::bit_cast<uint32_t>(f);
    if ((bits & 0x7FFFFFFF) > 0x7F800000)
        return uint16_t((bits >> 16) | 0x40); // quiet NaN
    return uint16_t((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
}

} // namespace latent
