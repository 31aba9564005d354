#pragma once

// How far our logits are from a reference's, position by position, as the fixtures' README
// defines it: max_i |ours[p][i] - ref[p][i]| / max_i |ref[p][i]|, and whether the argmax agrees.
// A disagreement is decisive when the reference's top logit leads its logit of our choice by more
// than tieBound x max |ref|: with activations quantized on both sides, a value on a rounding
// boundary can round either way and move logits by ~1e-2, so near ties may go either way.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace latent::test {

struct LogitErrors {
    std::vector<double> relative; // per position
    int argmaxMismatches = 0;
    int decisiveMismatches = 0;

    double worst() const { return relative.empty() ? 0 : *std::max_element(relative.begin(), relative.end()); }
    int positionsAbove(double bound) const
    {
        return int(std::count_if(relative.begin(), relative.end(), [&](double e) { return e > bound; }));
    }
    double median() const
    {
        std::vector<double> sorted = relative;
        std::sort(sorted.begin(), sorted.end());
        return sorted.empty() ? 0 : sorted[sorted.size() / 2];
    }
};

// ours: positions x vocabulary floats; reference(p, i): the reference's logit.
template <typename Reference>
LogitErrors logitErrors(const std::vector<float>& ours, size_t positions, size_t vocabulary, Reference reference,
                        double tieBound = 0)
{
    LogitErrors errors;
    for (size_t p = 0; p < positions; ++p) {
        double maxDiff = 0, maxRef = 0;
        size_t ourBest = 0, refBest = 0;
        for (size_t i = 0; i < vocabulary; ++i) {
            const double a = ours[p * vocabulary + i], b = reference(p, i);
            maxDiff = std::max(maxDiff, std::fabs(a - b));
            maxRef = std::max(maxRef, std::fabs(b));
            ourBest = a > ours[p * vocabulary + ourBest] ? i : ourBest;
            refBest = b > reference(p, refBest) ? i : refBest;
        }
        errors.relative.push_back(maxDiff / maxRef);
        errors.argmaxMismatches += ourBest != refBest;
        errors.decisiveMismatches += reference(p, refBest) - reference(p, ourBest) > tieBound * maxRef;
    }
    return errors;
}

// What logits must meet at every position: at most `flips` positions above `usual`, none above
// `worst` (0: usual). A flip: a value on a rounding boundary of the activations' quantization
// rounded the other way than in the reference, which moves that position and the later ones by
// ~1e-2 (in deepseek2 it can route a token to other experts).
struct PositionBar {
    double usual = 0;
    int flips = 0;
    double worst = 0;
};

// How errors miss bar, in words; empty when they meet it.
inline std::string missedBar(const LogitErrors& errors, const PositionBar& bar)
{
    const double worst = bar.worst > 0 ? bar.worst : bar.usual;
    if (errors.positionsAbove(bar.usual) > bar.flips)
        return std::to_string(errors.positionsAbove(bar.usual)) + " positions above " + std::to_string(bar.usual) +
               " (worst " + std::to_string(errors.worst()) + "); " + std::to_string(bar.flips) + " may be";
    if (errors.worst() > worst)
        return "worst relative error " + std::to_string(errors.worst()) + " above " + std::to_string(worst);
    return {};
}

} // namespace latent::test
