#pragma once

// GGUF's weight blocks (layouts: engine/quant/blocks.h) decoded 32 values at a time, and those 32
// values' integer dot product with one Q8_1 activation block, as `__host__ __device__` functions:
// the CUDA kernels (weight_products.cu) run them, and g++ compiles the very same code for the host
// test (tests/engine/test_cuda_weight_blocks.cpp), which holds it to engine/quant's dequantize.
// Nothing here includes a CUDA header; under g++ the qualifiers become plain `inline` and the
// intrinsics (dp4a, rounding, bit casts) portable equivalents.
//
// A 32-value run of a weight row (a "chunk") meets exactly one activation block: chunk c of a
// block is its values 32c .. 32c + 31 (a 32-value block has one chunk, a 256-value super-block
// eight). Decoded, a chunk is 32 int8 levels in eight int8x4 words and, per half of 16 values, a
// float scale and minimum:
//     value i = scales[i / 16] * level[i] - minimums[i / 16]
// (legacy types: both halves share d, minimum 0, or -m for Q4_1/Q5_1; K-quants: d times the
// sub-block's integer scale, dmin times its integer minimum). Against activations q * xd its dot
// product is then xd * scale * dp4a(levels, q) per half, less the minimums times the activations'
// sum: xd * sum(q), which Q8_1 keeps per block, where one minimum covers the chunk (Q4_1, Q5_1,
// Q4_K, Q5_K); Q2_K's two halves have their own minimums, so it sums each half's quants itself.

#include <cmath>
#include <cstdint>
#include <cstring>

#ifdef __CUDACC__
#define LATENT_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define LATENT_HOST_DEVICE inline
#endif

namespace latent::cuda {

// GGUF's type ids (gguf::TensorType's values; the test checks they agree).
enum WeightType : int {
    kF32 = 0,
    kF16 = 1,
    kQ4_0 = 2,
    kQ4_1 = 3,
    kQ5_0 = 6,
    kQ5_1 = 7,
    kQ8_0 = 8,
    kQ2_K = 10,
    kQ3_K = 11,
    kQ4_K = 12,
    kQ5_K = 13,
    kQ6_K = 14,
    kIQ4_NL = 20,
    kIQ4_XS = 23,
    kBF16 = 30,
};

inline constexpr int kChunkValues = 32; // values per chunk and per Q8_1 activation block

LATENT_HOST_DEVICE constexpr bool isFloatType(int type)
{
    return type == kF32 || type == kF16 || type == kBF16;
}

LATENT_HOST_DEVICE constexpr bool isSuperBlockType(int type)
{
    return type == kQ2_K || type == kQ3_K || type == kQ4_K || type == kQ5_K || type == kQ6_K || type == kIQ4_XS;
}

LATENT_HOST_DEVICE constexpr int blockValues(int type)
{
    return isFloatType(type) ? 1 : isSuperBlockType(type) ? 256 : 32;
}

// Bytes of a block of `type`; 0 for a type this file does not decode.
LATENT_HOST_DEVICE constexpr int blockBytes(int type)
{
    switch (type) {
    case kF32: return 4;
    case kF16: case kBF16: return 2;
    case kQ4_0: case kIQ4_NL: return 18;
    case kQ4_1: return 20;
    case kQ5_0: return 22;
    case kQ5_1: return 24;
    case kQ8_0: return 34;
    case kQ2_K: return 84;
    case kQ3_K: return 110;
    case kQ4_K: return 144;
    case kQ5_K: return 176;
    case kQ6_K: return 210;
    case kIQ4_XS: return 136;
    default: return 0;
    }
}

// Q2_K, Q3_K and Q6_K scale sub-blocks of 16 values, so a chunk's two halves scale apart.
LATENT_HOST_DEVICE constexpr bool scalesPerHalf(int type)
{
    return type == kQ2_K || type == kQ3_K || type == kQ6_K;
}

// How a type's values are offset: not at all, by one minimum per chunk, or by one per half (Q2_K).
enum class Minimum { None, PerChunk, PerHalf };

LATENT_HOST_DEVICE constexpr Minimum minimumOf(int type)
{
    return type == kQ2_K                                                         ? Minimum::PerHalf
           : type == kQ4_1 || type == kQ5_1 || type == kQ4_K || type == kQ5_K ? Minimum::PerChunk
                                                                                 : Minimum::None;
}

// The non-linear grid of IQ4_NL and IQ4_XS (quant::kIq4Values), as int8 bytes packed eight to a
// 64-bit constant: scalars, which device code may read with no table in memory.
inline constexpr int8_t kIq4Grid[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

constexpr uint64_t packedIq4Grid(int first)
{
    uint64_t packed = 0;
    for (int i = 0; i < 8; ++i)
        packed |= uint64_t(uint8_t(kIq4Grid[first + i])) << (8 * i);
    return packed;
}

inline constexpr uint64_t kIq4GridLow = packedIq4Grid(0);
inline constexpr uint64_t kIq4GridHigh = packedIq4Grid(8);

// --- Portable intrinsics -------------------------------------------------------------------

LATENT_HOST_DEVICE float floatFromBits(uint32_t bits)
{
#ifdef __CUDA_ARCH__
    return __uint_as_float(bits);
#else
    float value;
    std::memcpy(&value, &bits, 4);
    return value;
#endif
}

// c plus the dot product of a's and b's four int8 bytes.
LATENT_HOST_DEVICE int dp4a(int a, int b, int c)
{
#ifdef __CUDA_ARCH__
    return __dp4a(a, b, c);
#else
    for (int i = 0; i < 4; ++i)
        c += int(int8_t(uint8_t(uint32_t(a) >> (8 * i)))) * int(int8_t(uint8_t(uint32_t(b) >> (8 * i))));
    return c;
#endif
}

// v rounded to the nearest integer, halves to even (as the CPU's nearbyint).
LATENT_HOST_DEVICE int roundedToInt(float v)
{
#ifdef __CUDA_ARCH__
    return __float2int_rn(v);
#else
    return int(std::nearbyint(v));
#endif
}

// --- Reading blocks --------------------------------------------------------------------------

// A block's bytes are 2-byte aligned (every block size is even, GGUF aligns tensor data to 32);
// types whose block size is a multiple of 4 keep every 32-bit field 4-byte aligned.
template <int Type>
LATENT_HOST_DEVICE uint32_t wordAt(const uint8_t* p)
{
#ifdef __CUDA_ARCH__
    if constexpr (blockBytes(Type) % 4 == 0) {
        return *reinterpret_cast<const uint32_t*>(p);
    } else {
        const uint16_t* halves = reinterpret_cast<const uint16_t*>(p);
        return uint32_t(halves[0]) | (uint32_t(halves[1]) << 16);
    }
#else
    uint32_t word;
    std::memcpy(&word, p, 4); // GGUF is little-endian, as every host this builds for
    return word;
#endif
}

LATENT_HOST_DEVICE uint16_t shortAt(const uint8_t* p)
{
#ifdef __CUDA_ARCH__
    return *reinterpret_cast<const uint16_t*>(p);
#else
    uint16_t value;
    std::memcpy(&value, p, 2);
    return value;
#endif
}

// IEEE half to float, exactly (subnormal halves are normal floats), in integers as
// engine/core/half.h does it.
LATENT_HOST_DEVICE float decodeHalf(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000u) << 16, exponent = (h >> 10) & 0x1Fu, mantissa = h & 0x3FFu;
    if (exponent == 0x1Fu)
        return floatFromBits(sign | 0x7F800000u | (mantissa << 13)); // infinity or NaN
    if (exponent != 0u)
        return floatFromBits(sign | ((exponent + 112u) << 23) | (mantissa << 13));
    const float magnitude = float(mantissa) * 0x1p-24f; // zero or subnormal, exact
    return sign != 0u ? -magnitude : magnitude;
}

LATENT_HOST_DEVICE float halfAt(const uint8_t* p)
{
    return decodeHalf(shortAt(p));
}

// Value i of a row of an F32, F16 or BF16 weight.
template <int Type>
LATENT_HOST_DEVICE float floatWeightAt(const uint8_t* row, int64_t i)
{
    if constexpr (Type == kF32) {
        return floatFromBits(wordAt<kF32>(row + 4 * i));
    } else if constexpr (Type == kF16) {
        return halfAt(row + 2 * i);
    } else {
        static_assert(Type == kBF16);
        return floatFromBits(uint32_t(shortAt(row + 2 * i)) << 16);
    }
}

// --- Levels as int8x4 words -----------------------------------------------------------------

// Each byte of w less `offset`, as int8, for bytes below 0x80 + offset: the bias moves each byte
// into the upper half of its range, so no byte borrows from the next, and the top bit flipped back
// makes it signed.
LATENT_HOST_DEVICE int32_t bytesLess(uint32_t w, uint32_t offset)
{
    return int32_t((w + (0x80u - offset) * 0x01010101u) ^ 0x80808080u);
}

// Bits 0..3 of t as bit 4 of bytes 0..3 (Q5's fifth bits).
LATENT_HOST_DEVICE uint32_t fifthBits(uint32_t t)
{
    return ((t & 1u) << 4) | ((t & 2u) << 11) | ((t & 4u) << 18) | ((t & 8u) << 25);
}

// Four nibbles (one a byte) looked up in the IQ4 grid.
LATENT_HOST_DEVICE int32_t iq4Levels(uint32_t nibbles)
{
    uint32_t levels = 0;
    for (int b = 0; b < 4; ++b) {
        const uint32_t n = (nibbles >> (8 * b)) & 0xFu;
        const uint64_t grid = n < 8u ? kIq4GridLow : kIq4GridHigh;
        levels |= uint32_t((grid >> (8 * (n & 7u))) & 0xFFu) << (8 * b);
    }
    return int32_t(levels);
}

// The low nibbles of 16 bytes at q (values 0..15 of a 32-value run) into words 0..3 and the high
// nibbles (values 16..31) into words 4..7, one level a byte.
template <int Type>
LATENT_HOST_DEVICE void splitNibbles(const uint8_t* q, uint32_t (&nibbles)[8])
{
    for (int k = 0; k < 4; ++k) {
        const uint32_t w = wordAt<Type>(q + 4 * k);
        nibbles[k] = w & 0x0F0F0F0Fu;
        nibbles[k + 4] = (w >> 4) & 0x0F0F0F0Fu;
    }
}

// --- Decoding a chunk ------------------------------------------------------------------------

// 32 values of a weight block in registers; see the top of this file.
struct WeightChunk {
    int32_t levels[8]; // value 4k + b in byte b of word k, int8
    float scales[2];   // per half of 16 values
    float minimums[2]; // per half, subtracted; unused where minimumOf(type) is None
};

LATENT_HOST_DEVICE int signedByte(uint32_t b)
{
    return int(b & 0xFFu) - int((b & 0x80u) << 1);
}

// Q4_K and Q5_K's 6-bit scale and minimum of sub-block j (quant::kQuantScaleMin).
LATENT_HOST_DEVICE void kQuantScaleMin(const uint8_t* scales, int j, int& scale, int& minimum)
{
    if (j < 4) {
        scale = scales[j] & 63;
        minimum = scales[j + 4] & 63;
    } else {
        scale = (scales[j + 4] & 0xF) | ((scales[j - 4] >> 6) << 4);
        minimum = (scales[j + 4] >> 4) | ((scales[j] >> 6) << 4);
    }
}

// Q3_K's signed scale of sub-block j (quant::q3KScale).
LATENT_HOST_DEVICE int q3KScale(const uint8_t* scales, int j)
{
    const int low = j < 8 ? scales[j] & 0xF : scales[j - 8] >> 4;
    const int high = (scales[8 + j % 4] >> (2 * (j / 4))) & 3;
    return (low | (high << 4)) - 32;
}

// Chunk `chunk` (0 .. blockValues / 32 - 1) of the block at `block`.
template <int Type>
LATENT_HOST_DEVICE WeightChunk decodeChunk(const uint8_t* block, int chunk)
{
    WeightChunk w{};
    uint32_t nibbles[8];
    if constexpr (Type == kQ4_0 || Type == kIQ4_NL || Type == kQ8_0) { // d; levels at 2
        const float d = halfAt(block);
        w.scales[0] = w.scales[1] = d;
        if constexpr (Type == kQ8_0) {
            for (int k = 0; k < 8; ++k)
                w.levels[k] = int32_t(wordAt<Type>(block + 2 + 4 * k));
        } else {
            splitNibbles<Type>(block + 2, nibbles);
            for (int k = 0; k < 8; ++k)
                w.levels[k] = Type == kQ4_0 ? bytesLess(nibbles[k], 8) : iq4Levels(nibbles[k]);
        }
    } else if constexpr (Type == kQ4_1) { // d, m; nibbles at 4
        w.scales[0] = w.scales[1] = halfAt(block);
        w.minimums[0] = w.minimums[1] = -halfAt(block + 2);
        splitNibbles<Type>(block + 4, nibbles);
        for (int k = 0; k < 8; ++k)
            w.levels[k] = int32_t(nibbles[k]);
    } else if constexpr (Type == kQ5_0 || Type == kQ5_1) { // d (, m); fifth bits; nibbles
        constexpr int kHigh = Type == kQ5_0 ? 2 : 4;
        w.scales[0] = w.scales[1] = halfAt(block);
        if constexpr (Type == kQ5_1)
            w.minimums[0] = w.minimums[1] = -halfAt(block + 2);
        const uint32_t high = wordAt<Type>(block + kHigh);
        splitNibbles<Type>(block + kHigh + 4, nibbles);
        for (int k = 0; k < 8; ++k) {
            const uint32_t level = nibbles[k] | fifthBits(high >> (4 * k)); // word k: values 4k..4k+3
            w.levels[k] = Type == kQ5_0 ? bytesLess(level, 16) : int32_t(level);
        }
    } else if constexpr (Type == kQ2_K || Type == kQ3_K) {
        // 2-bit levels: each half of 128 values in 32 bytes, byte l holding its runs of 32 in
        // bit pairs 0, 2, 4, 6 (Q2_K's qs at 16, Q3_K's at 32); Q3_K's third bits: bit c of hmask[l].
        const int shift = 2 * (chunk % 4);
        const uint8_t* low = block + (Type == kQ2_K ? 16 : 32) + 32 * (chunk / 4);
        for (int k = 0; k < 8; ++k) {
            const uint32_t level = (wordAt<Type>(low + 4 * k) >> shift) & 0x03030303u;
            if constexpr (Type == kQ2_K) {
                w.levels[k] = int32_t(level);
            } else {
                const uint32_t third = ((wordAt<Type>(block + 4 * k) >> chunk) & 0x01010101u) << 2;
                w.levels[k] = bytesLess(level | third, 4); // a clear third bit subtracts 4
            }
        }
        for (int h = 0; h < 2; ++h) {
            const int j = 2 * chunk + h;
            if constexpr (Type == kQ2_K) { // scales at 0 (scale low, minimum high); d, dmin at 80
                w.scales[h] = halfAt(block + 80) * float(block[j] & 0xF);
                w.minimums[h] = halfAt(block + 82) * float(block[j] >> 4);
            } else { // scales at 96, d at 108
                w.scales[h] = halfAt(block + 108) * float(q3KScale(block + 96, j));
            }
        }
    } else if constexpr (Type == kQ4_K || Type == kQ5_K) {
        // d, dmin, 12 bytes of scales; (Q5_K: fifth bits, bit c of qh[l] at 16;) nibbles, each 32
        // bytes holding runs 2i (low) and 2i + 1 (high)
        constexpr int kNibbles = Type == kQ4_K ? 16 : 48;
        int scale, minimum;
        kQuantScaleMin(block + 4, chunk, scale, minimum);
        w.scales[0] = w.scales[1] = halfAt(block) * float(scale);
        w.minimums[0] = w.minimums[1] = halfAt(block + 2) * float(minimum);
        const int shift = 4 * (chunk % 2);
        for (int k = 0; k < 8; ++k) {
            uint32_t level = (wordAt<Type>(block + kNibbles + 32 * (chunk / 2) + 4 * k) >> shift) & 0x0F0F0F0Fu;
            if constexpr (Type == kQ5_K)
                level |= ((wordAt<Type>(block + 16 + 4 * k) >> chunk) & 0x01010101u) << 4;
            w.levels[k] = int32_t(level);
        }
    } else if constexpr (Type == kQ6_K) {
        // ql at 0: per half of 128 values 64 bytes, runs 0, 1 low nibbles and 2, 3 high; qh at 128:
        // 2-bit fields as Q2_K's; int8 scales at 192; d at 208.
        const int half = chunk / 4, run = chunk % 4;
        for (int k = 0; k < 8; ++k) {
            const uint32_t low =
                (wordAt<Type>(block + 64 * half + 32 * (run % 2) + 4 * k) >> (4 * (run / 2))) & 0x0F0F0F0Fu;
            const uint32_t high = (wordAt<Type>(block + 128 + 32 * half + 4 * k) >> (2 * run)) & 0x03030303u;
            w.levels[k] = bytesLess(low | (high << 4), 32);
        }
        for (int h = 0; h < 2; ++h)
            w.scales[h] = halfAt(block + 208) * float(signedByte(block[192 + 2 * chunk + h]));
    } else {
        // IQ4_XS: d; scales' high 2 bits in the 16 bits at 2, low 4 bits two a byte at 4; each
        // 16 bytes at 8 a run of 32 as Q4_0's nibbles.
        static_assert(Type == kIQ4_XS);
        const int low = (block[4 + chunk / 2] >> (4 * (chunk % 2))) & 0xF;
        const int high = (shortAt(block + 2) >> (2 * chunk)) & 3;
        w.scales[0] = w.scales[1] = halfAt(block) * float((low | (high << 4)) - 32);
        splitNibbles<Type>(block + 8 + 16 * chunk, nibbles);
        for (int k = 0; k < 8; ++k)
            w.levels[k] = iq4Levels(nibbles[k]);
    }
    return w;
}

// Value i (0..31) of a decoded chunk, rounded as quant::dequantize rounds it, whether or not the
// compiler fuses the multiply and subtract (nvcc does by default): where a minimum follows, every
// product is exact, an F16 (11 significant bits) times integers of 11 bits at most (Q5_K's 6-bit
// scale and 5-bit level), which a float's 24 bits hold.
template <int Type>
LATENT_HOST_DEVICE float chunkValue(const WeightChunk& w, int i)
{
    const float product = w.scales[i / 16] * float(signedByte(uint32_t(w.levels[i / 4]) >> (8 * (i % 4))));
    if constexpr (minimumOf(Type) == Minimum::None)
        return product;
    else
        return product - w.minimums[i / 16];
}

// --- The chunk's product with an activation block ------------------------------------------

// sum_i value_i * quants_i * xd, for the activation block of quants (eight int8x4 words) with
// scale xd and xSum = xd * sum(quants) (Q8_1's float2).
template <int Type>
LATENT_HOST_DEVICE float chunkDot(const WeightChunk& w, const int32_t (&quants)[8], float xd, float xSum)
{
    int dots[2] = {0, 0};
    for (int k = 0; k < 8; ++k)
        dots[k / 4] = dp4a(w.levels[k], quants[k], dots[k / 4]);
    float sum;
    if constexpr (scalesPerHalf(Type))
        sum = xd * (w.scales[0] * float(dots[0]) + w.scales[1] * float(dots[1]));
    else
        sum = xd * (w.scales[0] * float(dots[0] + dots[1]));
    if constexpr (minimumOf(Type) == Minimum::PerChunk) {
        sum -= w.minimums[0] * xSum;
    } else if constexpr (minimumOf(Type) == Minimum::PerHalf) {
        int halfSums[2] = {0, 0};
        for (int k = 0; k < 8; ++k)
            halfSums[k / 4] = dp4a(0x01010101, quants[k], halfSums[k / 4]);
        sum -= xd * (w.minimums[0] * float(halfSums[0]) + w.minimums[1] * float(halfSums[1]));
    }
    return sum;
}

// --- Q8_1 activations -------------------------------------------------------------------------

// A 32-value activation block x becomes quants q = round(x * inverse) (halves to even), x ~ q * d,
// with d = amax / 127 kept as a float (llama.cpp's Q8_1 rounds it to F16; nothing here needs to).
struct ActivationScale {
    float d;
    float inverse;
};

LATENT_HOST_DEVICE ActivationScale activationScale(float amax)
{
    return {amax / 127.0f, amax != 0.0f ? 127.0f / amax : 0.0f};
}

// |x| <= amax, so |x * inverse| rounds to at most 127.
LATENT_HOST_DEVICE int activationQuant(float x, float inverse)
{
    return roundedToInt(x * inverse);
}

// Q8_1's second float: d times the block's sum of quants.
LATENT_HOST_DEVICE float activationSum(float d, int quantSum)
{
    return d * float(quantSum);
}

// One block, serially: what quantizeRows' kernel computes with a lane per value (the same steps;
// the maximum and the integer sum do not depend on their order).
LATENT_HOST_DEVICE void quantizeActivationBlock(const float* x, int8_t* quants, float& d, float& sum)
{
    float amax = 0.0f;
    for (int i = 0; i < kChunkValues; ++i)
        amax = fmaxf(amax, fabsf(x[i]));
    const ActivationScale scale = activationScale(amax);
    int quantSum = 0;
    for (int i = 0; i < kChunkValues; ++i) {
        const int q = activationQuant(x[i], scale.inverse);
        quants[i] = int8_t(q);
        quantSum += q;
    }
    d = scale.d;
    sum = activationSum(scale.d, quantSum);
}

} // namespace latent::cuda
