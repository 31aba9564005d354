#pragma once

// DeepSeekMoE's routing of one token, written once for the CUDA kernel (kernels/experts.cu) and for
// the host (tests/engine/test_cuda_routing.cpp checks it against the CPU backend's route(), where no
// GPU runs). Plain C++ outside nvcc: no CUDA header is needed to compile it.
//
// The choice is made by ranks rather than by a sort, so that every expert finds its own place in
// parallel: an expert's rank is how many experts score higher, or equal with a lower id, and the
// experts ranked below `used` are chosen, each into slot `rank`. This is the CPU backend's topK
// order (descending score, ties to the lower id) exactly, -INFINITY scores included.

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define LATENT_HOST_DEVICE __host__ __device__
#else
#define LATENT_HOST_DEVICE
#endif

namespace latent::cuda {

// DeepSeekMoE's routing, as the CPU backend's route() (see route() in kernels/experts.h).
struct Routing {
    int experts, used, groups, groupsUsed;
    bool sigmoid, normalize;
    float scale;
};

// The most experts route() takes: its scratch lives in a block's shared memory.
constexpr int kMaxRoutedExperts = 2048;

// Where each step of routeToken keeps its values: probability and selection, experts floats each;
// groupScore, groups floats; chosen, used floats.
struct RoutingScratch {
    float* probability;
    float* selection;
    float* groupScore;
    float* chosen;
};

// How many of values[0 .. count) come before values[i] in the descending order, ties to the lower
// index.
LATENT_HOST_DEVICE inline int rankOf(const float* values, int count, int i)
{
    int rank = 0;
    for (int j = 0; j < count; ++j)
        rank += values[j] > values[i] || (values[j] == values[i] && j < i);
    return rank;
}

// A group's score from its members' selection scores: its best one, or (sumOfBestTwo, V3's
// sigmoid gating) the sum of its best two, a group of one scoring its only member.
LATENT_HOST_DEVICE inline float groupScore(const float* members, int count, bool sumOfBestTwo)
{
    float first = -INFINITY, second = -INFINITY;
    for (int i = 0; i < count; ++i) {
        if (members[i] > first) {
            second = first;
            first = members[i];
        } else if (members[i] > second) {
            second = members[i];
        }
    }
    return sumOfBestTwo && count >= 2 ? first + second : first;
}

// Routes one token: logits and bias (nullptr, or the selection bias) of r.experts floats; writes
// r.used ids (descending selection score, ties to the lower id) and their weights.
//
// A Team is who runs the steps, a CUDA block (its threads share each loop) or one host thread (each
// loop in order). It provides:
//   forEach(n, f): f(i) for every i < n, shared among the team's workers;
//   maximum(n, f), sum(n, f): of f(i) over i < n, every worker getting the result (the host's sum
//     adds in ascending i, as the CPU backend does);
//   sync(): what the team wrote before is visible to every worker after.
template <class Team>
LATENT_HOST_DEVICE void routeToken(Team& team, const Routing& r, const float* logits, const float* bias,
                                   const RoutingScratch& s, int32_t* ids, float* weights)
{
    // Each expert's probability, and the score it is chosen by: the probability plus the bias,
    // which steers the choice but not the weight.
    const auto select = [&](int e) { s.selection[e] = bias ? s.probability[e] + bias[e] : s.probability[e]; };
    if (r.sigmoid) {
        team.forEach(r.experts, [&](int e) {
            s.probability[e] = 1.0f / (1.0f + expf(-logits[e]));
            select(e);
        });
    } else {
        const float max = team.maximum(r.experts, [&](int e) { return logits[e]; });
        const float sum = team.sum(r.experts, [&](int e) { return s.probability[e] = expf(logits[e] - max); });
        team.forEach(r.experts, [&](int e) {
            s.probability[e] /= sum;
            select(e);
        });
    }
    team.sync();

    // Group-limited routing: experts outside the best groupsUsed groups cannot be chosen.
    if (r.groupsUsed < r.groups) {
        const int perGroup = r.experts / r.groups;
        team.forEach(r.groups, [&](int g) {
            s.groupScore[g] = groupScore(s.selection + g * perGroup, perGroup, r.sigmoid);
        });
        team.sync();
        team.forEach(r.experts, [&](int e) {
            if (rankOf(s.groupScore, r.groups, e / perGroup) >= r.groupsUsed)
                s.selection[e] = -INFINITY;
        });
        team.sync();
    }

    team.forEach(r.experts, [&](int e) {
        const int rank = rankOf(s.selection, r.experts, e);
        if (rank < r.used) {
            ids[rank] = e;
            s.chosen[rank] = s.probability[e];
        }
    });
    team.sync();

    // The weights: the chosen probabilities, normalized by their sum in slot order, then scaled.
    float chosenSum = 0.0f;
    for (int k = 0; k < r.used; ++k)
        chosenSum += s.chosen[k];
    team.forEach(r.used, [&](int k) { weights[k] = (r.normalize ? s.chosen[k] / chosenSum : s.chosen[k]) * r.scale; });
}

} // namespace latent::cuda
