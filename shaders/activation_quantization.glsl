#ifndef ACTIVATION_QUANTIZATION_GLSL
#define ACTIVATION_QUANTIZATION_GLSL

// x quantized for the integer products, with the CPU's bits on every driver (the CPU's steps:
// engine/backend/cpu/dot_portable.cpp's quantizeRow, dot_blocks_portable.cpp's quantizeSuperBlocks,
// quantized_activations.cpp's blockSumScales). A quant one step off changes a block's integer sum,
// an error a thousand times an ulp, so every step here is one the driver cannot round its own way:
// magnitudes compared as integers; quotients by exact long division (a driver's division may be
// off by 2.5 ulp); F16 rounding in integers (packHalf2x16's rounding mode is the driver's choice);
// roundEven (round() may take halves either way); lone products, which no driver may fuse.
// What feeds x (RMSNorm's inverse square root, SwiGLU's and softmax's exp, RoPE's rotations, the
// float sums) is held only to a bar: Vulkan does not round those as the CPU's libm does, and no
// reduction order is the CPU's; on lavapipe they land within ~1e-7 of llama.cpp's logits.
// The including shader declares the buffer `float x[]`, or defines ACTIVATION_VALUE(i), x's value i,
// where x is another buffer (a shader's own output: rms_norm.comp, elementwise.comp).

#ifndef ACTIVATION_VALUE
#define ACTIVATION_VALUE(i) x[i]
#endif

#include "exact_division.glsl"
#include "half_float.glsl"

// How a block of x is quantized: q = min(127, roundEven(x * inverse)), x ~ q * scale.
struct ActivationScale {
    float inverse;
    float scale;
    float unrounded; // Q8_0's scale before its rounding to F16 (Q4_1, Q5_1 multiply it by the sum)
};

// The block of x at xBase: Q8_K (superBlock: 256 values, the signed value of largest magnitude, the
// first of them, maps to -127) or Q8_0 (32 values, inverse 127 / amax, scale amax / 127 in F16).
ActivationScale activationScale(uint xBase, bool superBlock)
{
    // Magnitudes compare as their bits do, with no float instruction to flush a subnormal.
    uint amaxBits = 0u;
    float signedMax = 0.0;
    for (uint i = 0; i < (superBlock ? 256u : 32u); ++i) {
        const uint magnitude = floatBitsToUint(ACTIVATION_VALUE(xBase + i)) & 0x7FFFFFFFu;
        if (magnitude > amaxBits) {
            amaxBits = magnitude;
            signedMax = ACTIVATION_VALUE(xBase + i);
        }
    }
    if (amaxBits == 0u)
        return ActivationScale(0.0, 0.0, 0.0);
    if (superBlock) {
        const float inverse = exactQuotient(-127.0, signedMax);
        return ActivationScale(inverse, exactQuotient(1.0, inverse), 0.0);
    }
    const float amax = uintBitsToFloat(amaxBits), unrounded = exactQuotient(amax, 127.0);
    return ActivationScale(exactQuotient(127.0, amax), roundedToHalf(unrounded), unrounded);
}

// One value's quant: the product rounded to F32, then to the nearest integer, halves to even.
int activationQuant(float value, float inverse)
{
    const uint bits = floatBitsToUint(value);
    float product;
    if ((bits & 0x7F800000u) == 0u && (bits & 0x7FFFFFu) != 0u) {
        // A subnormal value, which a driver may flush to zero in the product though a tiny block's
        // inverse can lift it to a step or more: scaled up by 2^24 in integers and the inverse down
        // by as much, the exact product and so its rounding stay the same.
        uint significand;
        int exponent;
        significandAndExponent(value, significand, exponent);
        const float scaledUp = uintBitsToFloat((bits & 0x80000000u) | (uint(exponent + 174) << 23) |
                                               (significand & 0x7FFFFFu));
        product = scaledUp * (inverse * 5.9604644775390625e-8); // 2^-24
    } else {
        product = value * inverse;
    }
    return int(min(127.0, roundEven(product)));
}

// A Q8_0 block's sum of values as llama.cpp's Q8_1 keeps it: the unrounded scale times the sum of
// the block's quants, rounded to F16.
float blockSumScale(ActivationScale s, int quantSum)
{
    return roundedToHalf(s.unrounded * float(quantSum));
}

#endif
