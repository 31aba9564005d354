#pragma once

#include <cmath>
#include <cstdint>
#include <span>

namespace latent::quant {

// How the quantizers choose a (sub-)block's scale: the searches of llama.cpp's reference
// quantizers (ggml-quants.c, without an importance matrix), so that our files hold the levels
// llama.cpp would write. Each search returns the best scale it found; the callers round it to
// the stored precision and choose the levels again. The searches that take levels fill them with
// their best candidate's, which a sub-block keeps when its stored scale rounds to zero.

// Below this magnitude a block counts as all zeros.
inline constexpr float kZeroBlockMagnitude = 1e-15f;

// Round half to even, as the hardware's default rounding (and ggml's) does.
inline int nearestInt(float value)
{
    return int(std::lrintf(value));
}

// The value of largest magnitude, with its sign (the first one on a tie).
float largestMagnitude(std::span<const float> x);

// The level of kIq4Values nearest value (the upper one on a tie).
int nearestIq4Level(float value);

// value ~ scale * level - minimum, levels in [0, maxLevel], minimum >= 0.
struct ScaleAndMinimum {
    float scale = 0;
    float minimum = 0;
};

// The inverse scales fitScaleAndMinimum tries: (maxLevel + first + step * i) / (max - min) for
// i in [0, count], each followed by a weighted least-squares fit of scale and minimum.
struct ScaleCandidates {
    float first;
    float step;
    int count;
};

enum class ErrorNorm { Absolute, Squared };

// Q2_K, Q4_K, Q5_K: the scale and minimum of lowest weighted error (ggml's make_qkx2_quants).
ScaleAndMinimum fitScaleAndMinimum(std::span<const float> x, std::span<const float> weights, int maxLevel,
                                   ScaleCandidates candidates, ErrorNorm norm, std::span<uint8_t> levels);

// Q6_K: value ~ scale * (level - halfRange), levels in [0, 2 * halfRange), errors weighted by
// x^2. The levels that map the largest magnitude to -halfRange, then those of 18 scales around
// it (steps of 0.1 in halfRange), each with its least-squares scale (ggml's make_qx_quants).
float fitSymmetricScale(std::span<const float> x, int halfRange, std::span<int8_t> levels);

// Q3_K: as fitSymmetricScale's first candidate, then single levels moved to the level that best
// fits the other levels' scale, while that lowers the error (ggml's make_q3_quants).
float fitSymmetricScaleByDescent(std::span<const float> x, int halfRange, std::span<int8_t> levels);

// IQ4_NL, IQ4_XS: value ~ scale * kIq4Values[level], errors weighted by x^2; 16 scales that map
// the largest magnitude near either end of the grid (ggml's quantize_row_iq4_nl_impl).
float fitIq4Scale(std::span<const float> x);

} // namespace latent::quant
