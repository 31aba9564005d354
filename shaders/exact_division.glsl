#ifndef EXACT_DIVISION_GLSL
#define EXACT_DIVISION_GLSL

// a / b correctly rounded (to nearest even), as the CPU divides. Vulkan allows a division 2.5 ulp
// of error (drivers multiply by an approximate reciprocal), so a quotient that must have the CPU's
// bits is computed here by long division of the significands, in integer arithmetic, which no
// driver rounds or flushes. For finite a and b, b nonzero; subnormal inputs and results included.

// |f| = significand * 2^exponent with significand in [2^23, 2^24), for a finite nonzero f.
void significandAndExponent(float f, out uint significand, out int exponent)
{
    const uint bits = floatBitsToUint(f) & 0x7FFFFFFFu, field = bits >> 23;
    significand = bits & 0x7FFFFFu;
    if (field == 0u) { // subnormal: normalize
        const int shift = 23 - findMSB(significand);
        significand <<= uint(shift);
        exponent = -149 - shift;
    } else {
        significand |= 0x800000u;
        exponent = int(field) - 150;
    }
}

float exactQuotient(float a, float b)
{
    const uint sign = (floatBitsToUint(a) ^ floatBitsToUint(b)) & 0x80000000u;
    if ((floatBitsToUint(a) & 0x7FFFFFFFu) == 0u)
        return uintBitsToFloat(sign);
    uint ma, mb;
    int ea, eb;
    significandAndExponent(a, ma, ea);
    significandAndExponent(b, mb, eb);
    // q = floor(ma * 2^25 / mb), in [2^24, 2^26), and its remainder: 1 + 8 + 8 + 8 + 1 bits, each
    // step's remainder (< mb < 2^24) shifted left so it stays within 32 bits.
    uint q = ma / mb, r = ma % mb;
    for (int step = 0; step < 3; ++step) {
        r <<= 8;
        q = (q << 8) | (r / mb);
        r %= mb;
    }
    r <<= 1;
    q = (q << 1) | (r / mb);
    r %= mb;
    // a / b = (q + r / mb) * 2^(ea - eb - 25): keep 24 bits of q, fewer where the result is subnormal.
    int shift = q >= (1u << 25) ? 2 : 1;
    int field = ea - eb - 25 + shift + 150; // the biased F32 exponent of the 24 bits kept
    if (field > 254)
        return uintBitsToFloat(sign | 0x7F800000u);
    if (field < 1) {
        shift += 1 - field;
        field = 1;
        if (shift > 26) // below half the smallest subnormal
            return uintBitsToFloat(sign);
    }
    uint kept = q >> uint(shift);
    const uint roundBit = (q >> uint(shift - 1)) & 1u;
    const bool below = (q & ((1u << uint(shift - 1)) - 1u)) != 0u || r != 0u;
    if (roundBit != 0u && (below || (kept & 1u) != 0u))
        kept += 1u;
    // kept's leading bit (2^23) adds one to the exponent field; a carry to 2^24 (or from the largest
    // subnormal to the smallest normal) lands on the right encoding.
    const uint magnitude = min((uint(field - 1) << 23) + kept, 0x7F800000u);
    return uintBitsToFloat(sign | magnitude);
}

#endif
