#include "engine/quant/scale_search.h"

#include "engine/quant/blocks.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace latent::quant {
namespace {

// Sub-blocks are 16 or 32 values.
constexpr size_t kMaxSubBlock = 32;

// The weighted error of value ~ scale * level + offset.
float weightedError(std::span<const float> x, std::span<const float> weights, const uint8_t* levels, float scale,
                    float offset, ErrorNorm norm)
{
    float error = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const float difference = scale * float(levels[i]) + offset - x[i];
        error += weights[i] * (norm == ErrorNorm::Absolute ? std::fabs(difference) : difference * difference);
    }
    return error;
}

// The levels in [-halfRange, halfRange) of one inverse scale, and the sums, weighted by x^2, of
// their least-squares scale productSum / levelSquareSum.
struct SymmetricLevels {
    std::array<int, kMaxSubBlock> level{};
    float productSum = 0;     // sum of w x l
    float levelSquareSum = 0; // sum of w l^2
};

SymmetricLevels symmetricLevels(std::span<const float> x, int halfRange, float inverseScale)
{
    SymmetricLevels fit;
    for (size_t i = 0; i < x.size(); ++i) {
        fit.level[i] = std::clamp(nearestInt(inverseScale * x[i]), -halfRange, halfRange - 1);
        const float w = x[i] * x[i];
        fit.productSum += w * x[i] * float(fit.level[i]);
        fit.levelSquareSum += w * float(fit.level[i]) * float(fit.level[i]);
    }
    return fit;
}

void storeSymmetricLevels(const SymmetricLevels& fit, int halfRange, std::span<int8_t> levels)
{
    for (size_t i = 0; i < levels.size(); ++i)
        levels[i] = int8_t(fit.level[i] + halfRange);
}

} // namespace

float largestMagnitude(std::span<const float> x)
{
    float largest = 0;
    for (const float v : x) {
        if (std::fabs(v) > std::fabs(largest))
            largest = v;
    }
    return largest;
}

int nearestIq4Level(float value)
{
    const int8_t* grid = kIq4Values;
    if (value <= float(grid[0]))
        return 0;
    if (value >= float(grid[15]))
        return 15;
    const auto upper = int(std::upper_bound(grid, grid + 16, value, [](float v, int8_t g) { return v < float(g); }) - grid);
    return value - float(grid[upper - 1]) < float(grid[upper]) - value ? upper - 1 : upper;
}

ScaleAndMinimum fitScaleAndMinimum(std::span<const float> x, std::span<const float> weights, int maxLevel,
                                   ScaleCandidates candidates, ErrorNorm norm, std::span<uint8_t> levels)
{
    assert(x.size() <= kMaxSubBlock && weights.size() == x.size() && levels.size() == x.size());
    float min = x[0];
    float max = x[0];
    float weightSum = 0;
    float weightedValueSum = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        min = std::min(min, x[i]);
        max = std::max(max, x[i]);
        weightSum += weights[i];
        weightedValueSum += weights[i] * x[i];
    }
    // The stored minimum is only ever subtracted: a block of positive values keeps level 0 at zero.
    min = std::min(min, 0.0f);
    if (max == min) {
        std::fill(levels.begin(), levels.end(), uint8_t(0));
        return {0, -min};
    }

    const auto levelsFor = [&](float inverseScale, uint8_t* out) {
        for (size_t i = 0; i < x.size(); ++i)
            out[i] = uint8_t(std::clamp(nearestInt(inverseScale * (x[i] - min)), 0, maxLevel));
    };

    // The plain range fit, then least-squares fits of the levels of nearby scales.
    float inverseScale = float(maxLevel) / (max - min);
    float scale = 1 / inverseScale;
    levelsFor(inverseScale, levels.data());
    float bestError = weightedError(x, weights, levels.data(), scale, min, norm);
    std::array<uint8_t, kMaxSubBlock> trial{};
    for (int c = 0; c <= candidates.count; ++c) {
        inverseScale = (candidates.first + candidates.step * float(c) + float(maxLevel)) / (max - min);
        levelsFor(inverseScale, trial.data());
        float levelSum = 0, levelSquareSum = 0, productSum = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            const float w = weights[i];
            const float l = trial[i];
            levelSum += w * l;
            levelSquareSum += w * l * l;
            productSum += w * l * x[i];
        }
        const float determinant = weightSum * levelSquareSum - levelSum * levelSum;
        if (determinant <= 0)
            continue;
        float trialScale = (weightSum * productSum - weightedValueSum * levelSum) / determinant;
        float trialMin = (levelSquareSum * weightedValueSum - levelSum * productSum) / determinant;
        if (trialMin > 0) {
            trialMin = 0;
            trialScale = productSum / levelSquareSum;
        }
        const float error = weightedError(x, weights, trial.data(), trialScale, trialMin, norm);
        if (error < bestError) {
            std::copy_n(trial.begin(), x.size(), levels.begin());
            bestError = error;
            scale = trialScale;
            min = trialMin;
        }
    }
    return {scale, -min};
}

float fitSymmetricScale(std::span<const float> x, int halfRange, std::span<int8_t> levels)
{
    assert(x.size() <= kMaxSubBlock && levels.size() == x.size());
    const float max = largestMagnitude(x);
    if (std::fabs(max) < kZeroBlockMagnitude) {
        std::fill(levels.begin(), levels.end(), int8_t(0));
        return 0;
    }
    float bestScale = 0;
    float bestFit = 0; // scale * sum(w x l): the error the fit removes
    const auto tryInverseScale = [&](float inverseScale) {
        const SymmetricLevels trial = symmetricLevels(x, halfRange, inverseScale);
        if (trial.levelSquareSum > 0 && trial.productSum * trial.productSum > bestFit * trial.levelSquareSum) {
            bestScale = trial.productSum / trial.levelSquareSum;
            bestFit = bestScale * trial.productSum;
            storeSymmetricLevels(trial, halfRange, levels);
        }
    };
    tryInverseScale(-float(halfRange) / max);
    for (int step = -9; step <= 9; ++step) {
        if (step != 0)
            tryInverseScale(-(float(halfRange) + 0.1f * float(step)) / max);
    }
    return bestScale;
}

// The descent considers a level only while the other levels' sum of w x l is positive. With the
// inverse scale -halfRange / max, l has the sign of x exactly when max is negative, so only
// sub-blocks whose largest magnitude is negative are refined. That is llama.cpp's behaviour, kept
// so that our Q3_K files are the ones it writes.
float fitSymmetricScaleByDescent(std::span<const float> x, int halfRange, std::span<int8_t> levels)
{
    assert(x.size() <= kMaxSubBlock && levels.size() == x.size());
    const float max = largestMagnitude(x);
    if (std::fabs(max) < kZeroBlockMagnitude) {
        std::fill(levels.begin(), levels.end(), int8_t(0));
        return 0;
    }
    SymmetricLevels fit = symmetricLevels(x, halfRange, -float(halfRange) / max);
    for (int pass = 0; pass < 5; ++pass) {
        bool changed = false;
        for (size_t i = 0; i < x.size(); ++i) {
            const float w = x[i] * x[i];
            const float level = float(fit.level[i]);
            float othersProduct = fit.productSum - w * x[i] * level;
            if (othersProduct <= 0)
                continue;
            float othersSquares = fit.levelSquareSum - w * level * level;
            const int moved = std::clamp(nearestInt(x[i] * othersSquares / othersProduct), -halfRange, halfRange - 1);
            if (moved == fit.level[i])
                continue;
            othersProduct += w * x[i] * float(moved);
            othersSquares += w * float(moved) * float(moved);
            // A better fit removes more error: productSum^2 / levelSquareSum grows.
            if (othersSquares > 0 &&
                othersProduct * othersProduct * fit.levelSquareSum > fit.productSum * fit.productSum * othersSquares) {
                fit.level[i] = moved;
                fit.productSum = othersProduct;
                fit.levelSquareSum = othersSquares;
                changed = true;
            }
        }
        if (!changed)
            break;
    }
    storeSymmetricLevels(fit, halfRange, levels);
    return fit.levelSquareSum > 0 ? fit.productSum / fit.levelSquareSum : 0;
}

float fitIq4Scale(std::span<const float> x)
{
    const float max = largestMagnitude(x);
    if (std::fabs(max) < kZeroBlockMagnitude)
        return 0;
    float bestScale = 0;
    float bestFit = 0;
    const auto tryInverseScale = [&](float inverseScale) {
        float productSum = 0, levelSquareSum = 0;
        for (const float v : x) {
            const float q = kIq4Values[nearestIq4Level(inverseScale * v)];
            const float w = v * v;
            productSum += w * q * v;
            levelSquareSum += w * q * q;
        }
        if (levelSquareSum > 0 && productSum * productSum > bestFit * levelSquareSum) {
            bestScale = productSum / levelSquareSum;
            bestFit = bestScale * productSum;
        }
    };
    // The largest magnitude at the grid's positive end (113 clips it), then near its negative end
    // (-127), which the grid reaches further.
    const float positiveEndScale = -max / float(kIq4Values[0]);
    tryInverseScale(1 / positiveEndScale);
    for (int step = -7; step <= 7; ++step)
        tryInverseScale((float(step) + float(kIq4Values[0])) / max);
    return bestScale;
}

} // namespace latent::quant
