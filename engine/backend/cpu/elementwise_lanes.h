#pragma once

// The kernel tables' elementwise steps (dot_kernels.h: softmaxExponentials, attentionWeights,
// swiglu, toHalf, roundToHalf), written once over eight float lanes with GCC's and Clang's vector
// extensions. Each table's file instantiates them with its own instruction set (SSE2 or NEON for
// the portable table, AVX2 for the x86 ones), so they run several values an instruction
// everywhere, and since every lane takes the same IEEE steps (no fused operations:
// -ffp-contract=off), every table computes the same bits.
//
// The exponential is not the C library's (a call per value, which no compiler vectorizes): it is
// Cody and Waite's reduction with Cephes' polynomial, within 1 ulp of exp (0.98 at worst over 64
// million random values from -104 to 88; the C library's is within 0.5), far below what F16
// caches and 8-bit activations round away.
//
// Internal linkage, as x86_helpers.h: each file gets its own copy, compiled with its own flags.

#include "engine/backend/cpu/float_sums.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

// Passing a 32-byte vector by value where the target has no 32-byte registers (the portable
// table's SSE2) differs from the AVX ABI, which GCC and Clang warn of; these functions are
// internal and inlined, so no call crosses that boundary.
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace latent::cpu::lanes {
namespace {

using Floats = float __attribute__((vector_size(32)));
using Ints = int32_t __attribute__((vector_size(32)));
using Words = uint32_t __attribute__((vector_size(32)));
using Halves = uint16_t __attribute__((vector_size(16)));
constexpr size_t kLanes = 8;

inline Floats splat(float v)
{
    return Floats{v, v, v, v, v, v, v, v};
}

inline Words splatWord(uint32_t v)
{
    return Words{v, v, v, v, v, v, v, v};
}

// a where the mask's lane is all ones, else b (masks are what vector comparisons give).
inline Floats select(Ints mask, Floats a, Floats b)
{
    return Floats((mask & Ints(a)) | (~mask & Ints(b)));
}

inline Words select(Ints mask, Words a, Words b)
{
    return (Words(mask) & a) | (~Words(mask) & b);
}

inline Floats load(const float* p)
{
    Floats v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void store(float* p, Floats v)
{
    std::memcpy(p, &v, sizeof v);
}

// exp(x) lane by lane: x = n ln2 + r with |r| <= ln2 / 2 (ln2 in two parts, the first exact
// times any n here), exp(r) from Cephes' polynomial, times 2^n as two powers of two so that
// results down to the subnormals round once. Below -104 every result is 0, above 88.72 infinity;
// NaN stays NaN.
inline Floats exponential(Floats x)
{
    x = select(x < splat(-104.0f), splat(-104.0f), x);
    x = select(x > splat(88.7228394f), splat(88.7228394f), x);
    // n = round(x / ln2): adding 1.5 * 2^23 leaves the integer part, rounded to nearest, in the
    // mantissa's low bits.
    const Floats magic = splat(12582912.0f);
    const Floats shifted = x * splat(1.44269504f) + magic;
    const Floats n = shifted - magic;
    const Floats r = (x - n * splat(0.693359375f)) - n * splat(-2.12194440e-4f);
    Floats p = splat(1.9875691500e-4f);
    p = p * r + splat(1.3981999507e-3f);
    p = p * r + splat(8.3334519073e-3f);
    p = p * r + splat(4.1665795894e-2f);
    p = p * r + splat(1.6666665459e-1f);
    p = p * r + splat(5.0000001201e-1f);
    p = (p * (r * r) + r) + splat(1.0f);
    const Ints whole = Ints(shifted) - Ints(magic); // n, -150..128
    const Ints half = whole >> 1;
    const Ints rest = whole - half;
    return p * Floats((half + 127) << 23) * Floats((rest + 127) << 23);
}

// floatToHalf (core/half.h) lane by lane, the same steps.
inline Halves toHalves(Floats f)
{
    const Words w = Words(f);
    const Floats magnitude = Floats(w & splatWord(0x7FFFFFFFu));
    Floats base = (magnitude * splat(0x1.0p+112f)) * splat(0x1.0p-110f);
    const Words shiftedW = w + w;
    const Words sign = w & splatWord(0x80000000u);
    Words bias = shiftedW & splatWord(0xFF000000u);
    bias = select(Ints(bias < splatWord(0x71000000u)), splatWord(0x71000000u), bias);
    base = Floats((bias >> 1) + splatWord(0x07800000u)) + base;
    const Words bits = Words(base);
    const Words nonSign = ((bits >> 13) & splatWord(0x00007C00u)) + (bits & splatWord(0x00000FFFu));
    const Words half = (sign >> 16) | select(Ints(shiftedW > splatWord(0xFF000000u)), splatWord(0x7E00u), nonSign);
    return __builtin_convertvector(half, Halves);
}

// halfToFloat (core/half.h) lane by lane.
inline Floats fromHalves(Halves halves)
{
    const Words h = __builtin_convertvector(halves, Words);
    const Words sign = (h & splatWord(0x8000u)) << 16;
    const Words exponent = (h >> 10) & splatWord(0x1Fu);
    const Words mantissa = h & splatWord(0x3FFu);
    const Words normal = sign | ((exponent + splatWord(112)) << 23) | (mantissa << 13);
    const Words infinityOrNaN = sign | splatWord(0x7F800000u) | (mantissa << 13);
    // Subnormal halves are mantissa * 2^-24 (zero among them: sign | 0).
    const Words subnormal = sign | Words(__builtin_convertvector(mantissa, Floats) * splat(0x1p-24f));
    const Words bits = select(Ints(exponent == splatWord(0x1Fu)), infinityOrNaN,
                              select(Ints(exponent != splatWord(0)), normal, subnormal));
    return Floats(bits);
}

// The kernel tables' entries: eight values at a time, then the last n % 8 through the same lanes
// from a padded copy.

// scores[j] = exp(scores[j] * scale - max) for j < n, max the largest scaled score; returns
// their sum, each lane summing its own, the lanes combined as float_sums.h's eightLanesSum.
inline float softmaxExponentials(float* scores, size_t n, float scale)
{
    const size_t whole = n - n % kLanes;
    float tail[kLanes]; // the last n % 8 scores, padded with -infinity (no maximum) or 0 (no sum)
    Floats max = splat(-INFINITY);
    for (size_t j = 0; j < whole; j += kLanes) {
        const Floats v = load(scores + j) * splat(scale);
        store(scores + j, v);
        max = select(v > max, v, max);
    }
    if (whole < n) {
        for (size_t i = 0; i < kLanes; ++i)
            tail[i] = whole + i < n ? scores[whole + i] * scale : -INFINITY;
        max = select(load(tail) > max, load(tail), max);
    }
    float lanes[kLanes];
    store(lanes, max);
    float largest = -INFINITY;
    for (float lane : lanes)
        largest = lane > largest ? lane : largest;
    Floats sum = splat(0.0f);
    for (size_t j = 0; j < whole; j += kLanes) {
        const Floats e = exponential(load(scores + j) - splat(largest));
        store(scores + j, e);
        sum = sum + e;
    }
    if (whole < n) {
        store(tail, exponential(load(tail) - splat(largest)));
        for (size_t i = n - whole; i < kLanes; ++i)
            tail[i] = 0.0f;
        std::memcpy(scores + whole, tail, (n - whole) * sizeof(float));
        sum = sum + load(tail);
    }
    store(lanes, sum);
    return eightLanesSum(lanes);
}

// scores[j] = halfToFloat(floatToHalf(scores[j] / divisor)): a softmax's numerators made the
// F16 weights that meet the F16 cache's values.
inline void attentionWeights(float* scores, size_t n, float divisor)
{
    size_t j = 0;
    for (; j + kLanes <= n; j += kLanes)
        store(scores + j, fromHalves(toHalves(load(scores + j) / splat(divisor))));
    if (j < n) {
        float values[kLanes] = {};
        std::memcpy(values, scores + j, (n - j) * sizeof(float));
        store(values, fromHalves(toHalves(load(values) / splat(divisor))));
        std::memcpy(scores + j, values, (n - j) * sizeof(float));
    }
}

// out[i] = SiLU(gate[i]) * up[i] = gate[i] / (1 + exp(-gate[i])) * up[i]; out may be gate.
inline void swiglu(float* out, const float* gate, const float* up, size_t n)
{
    const auto step = [](Floats g, Floats u) { return g / (splat(1.0f) + exponential(-g)) * u; };
    size_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        store(out + i, step(load(gate + i), load(up + i)));
    if (i < n) {
        float g[kLanes] = {}, u[kLanes] = {}, result[kLanes];
        std::memcpy(g, gate + i, (n - i) * sizeof(float));
        std::memcpy(u, up + i, (n - i) * sizeof(float));
        store(result, step(load(g), load(u)));
        std::memcpy(out + i, result, (n - i) * sizeof(float));
    }
}

// out[i] = floatToHalf(in[i]): the F16 cache's stores.
inline void toHalf(uint16_t* out, const float* in, size_t n)
{
    size_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        const Halves h = toHalves(load(in + i));
        std::memcpy(out + i, &h, sizeof h);
    }
    if (i < n) {
        float values[kLanes] = {};
        std::memcpy(values, in + i, (n - i) * sizeof(float));
        const Halves h = toHalves(load(values));
        std::memcpy(out + i, &h, (n - i) * sizeof(uint16_t));
    }
}

// out[i] = halfToFloat(floatToHalf(in[i])): values rounded to F16 before they meet F16 keys and
// values (attention's queries); out may be in.
inline void roundToHalf(float* out, const float* in, size_t n)
{
    size_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        store(out + i, fromHalves(toHalves(load(in + i))));
    if (i < n) {
        float values[kLanes] = {};
        std::memcpy(values, in + i, (n - i) * sizeof(float));
        store(values, fromHalves(toHalves(load(values))));
        std::memcpy(out + i, values, (n - i) * sizeof(float));
    }
}

} // namespace
} // namespace latent::cpu::lanes
