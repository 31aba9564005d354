#ifndef HALF_FLOAT_GLSL
#define HALF_FLOAT_GLSL

// F16 <-> F32 in integer arithmetic, so every driver gets the CPU's bits (engine/core/half.h):
// packHalf2x16's rounding mode is the implementation's choice (Vulkan names round-to-nearest-even
// and round-toward-zero; some drivers truncate), and a driver may flush F16 subnormals in
// unpackHalf2x16 and F32 subnormals in any float instruction. Integer and bit-cast instructions
// never round or flush.

// The F16 bits of f, rounded to nearest even; NaN to a quiet NaN, beyond F16's range to infinity.
uint halfBitsOf(float f)
{
    const uint bits = floatBitsToUint(f);
    const uint sign = (bits >> 16) & 0x8000u, magnitude = bits & 0x7FFFFFFFu;
    if (magnitude > 0x7F800000u)
        return sign | 0x7E00u;
    if (magnitude >= 0x477FF000u) // 65520, half way from 65504 (the largest F16) to 65536
        return sign | 0x7C00u;
    const int exponent = int(magnitude >> 23) - 127;
    if (exponent >= -14) { // a normal F16: 10 of the 23 fraction bits; a carry moves to the next exponent
        uint h = (uint(exponent + 15) << 10) | ((magnitude >> 13) & 0x3FFu);
        const uint rest = magnitude & 0x1FFFu;
        if (rest > 0x1000u || (rest == 0x1000u && (h & 1u) != 0u))
            h += 1u;
        return sign | h;
    }
    if (exponent < -25) // below half the smallest subnormal F16 (2^-24), F32 subnormals included
        return sign;
    // A subnormal F16, in units of 2^-24: the 24-bit significand shifted right by 14..24 bits.
    const uint significand = (magnitude & 0x7FFFFFu) | 0x800000u;
    const uint shift = uint(-1 - exponent);
    uint h = significand >> shift;
    const uint rest = significand & ((1u << shift) - 1u), halfway = 1u << (shift - 1u);
    if (rest > halfway || (rest == halfway && (h & 1u) != 0u))
        h += 1u; // to 0x400, the smallest normal F16, where it carries
    return sign | h;
}

// The F32 of F16 bits h (the low 16 bits), exactly; subnormal F16s become normal F32s.
float halfBitsToFloat(uint h)
{
    const uint sign = (h & 0x8000u) << 16, exponent = (h >> 10) & 0x1Fu, mantissa = h & 0x3FFu;
    if (exponent == 0x1Fu)
        return uintBitsToFloat(sign | 0x7F800000u | (mantissa << 13));
    if (exponent != 0u)
        return uintBitsToFloat(sign | ((exponent + 112u) << 23) | (mantissa << 13));
    if (mantissa == 0u)
        return uintBitsToFloat(sign);
    const int top = findMSB(mantissa); // mantissa * 2^-24 = 1.f * 2^(top - 24)
    return uintBitsToFloat(sign | (uint(top + 103) << 23) | ((mantissa << uint(23 - top)) & 0x7FFFFFu));
}

float roundedToHalf(float value)
{
    return halfBitsToFloat(halfBitsOf(value));
}

#endif
