// DeepSeekMoE on the CPU: routing each token to its experts, then running every chosen expert
// once over all the tokens that chose it, so that a prompt's tokens share each expert's weights
// as they stream from memory, and no expert that no token chose is read.

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/backend/cpu/tensor_access.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

namespace latent::cpu {
namespace {

using gguf::TensorType;

// The indices of the k largest values, largest first (ties: the lower index first).
std::vector<int> topK(const std::vector<float>& values, int k)
{
    std::vector<int> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
        return values[size_t(a)] > values[size_t(b)] || (values[size_t(a)] == values[size_t(b)] && a < b);
    });
    order.resize(size_t(k));
    return order;
}

} // namespace

void CpuBackend::route(Tensor& ids, Tensor& weights, const Tensor& logits, const Tensor* bias, const MoeRouting& r)
{
    const std::string problem = routeArgumentsProblem(ids, weights, logits, bias, r);
    require(problem.empty(), "route", problem.c_str());
    const auto experts = size_t(r.experts);
    const size_t perGroup = experts / size_t(r.groups);
    const float* selectionBias = bias ? floats(*bias) : nullptr;
    for (int64_t t = 0; t < logits.rows; ++t) {
        const float* row = floats(logits, t);
        // Each expert's probability, and the score it is chosen by (the probability plus the
        // selection bias, which steers the choice but not the weight).
        std::vector<float> probability(experts), selection(experts);
        if (r.gating == MoeRouting::Gating::Softmax) {
            const float max = *std::max_element(row, row + experts);
            float sum = 0;
            for (size_t e = 0; e < experts; ++e)
                sum += probability[e] = std::exp(row[e] - max);
            for (float& p : probability)
                p /= sum;
        } else {
            for (size_t e = 0; e < experts; ++e)
                probability[e] = 1.0f / (1.0f + std::exp(-row[e]));
        }
        for (size_t e = 0; e < experts; ++e)
            selection[e] = probability[e] + (selectionBias ? selectionBias[e] : 0.0f);

        if (r.groupsUsed < r.groups) {
            // Group-limited routing: a group's score is its best expert (V2, softmax) or the sum
            // of its two best (V3, sigmoid); experts outside the best groups are not chosen.
            std::vector<float> groupScore(size_t(r.groups));
            for (size_t g = 0; g < groupScore.size(); ++g) {
                std::vector<float> members(selection.begin() + std::ptrdiff_t(g * perGroup),
                                           selection.begin() + std::ptrdiff_t((g + 1) * perGroup));
                std::sort(members.begin(), members.end(), std::greater<>());
                groupScore[g] = r.gating == MoeRouting::Gating::Softmax || members.size() < 2 ? members[0]
                                                                                              : members[0] + members[1];
            }
            std::vector<bool> kept(size_t(r.groups), false);
            for (int g : topK(groupScore, r.groupsUsed))
                kept[size_t(g)] = true;
            for (size_t e = 0; e < experts; ++e) {
                if (!kept[e / perGroup])
                    selection[e] = -INFINITY;
            }
        }
        const std::vector<int> chosen = topK(selection, r.used);
        auto* chosenIds = rowPointer<int32_t>(ids, t);
        float* chosenWeights = floats(weights, t);
        float sum = 0;
        for (size_t k = 0; k < chosen.size(); ++k) {
            chosenIds[k] = chosen[k];
            sum += chosenWeights[k] = probability[size_t(chosen[k])];
        }
        for (size_t k = 0; k < chosen.size(); ++k)
            chosenWeights[k] = (r.normalize ? chosenWeights[k] / sum : chosenWeights[k]) * r.scale;
    }
}

Tensor& CpuBackend::scratch(Tensor& slot, int64_t cols, int64_t rows)
{
    if (slot.cols != cols || slot.rows < rows)
        slot = allocate(TensorType::F32, cols, std::max(rows, slot.cols == cols ? slot.rows * 2 : rows));
    return slot;
}

void CpuBackend::moe(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                     const Tensor& weights)
{
    const size_t count = experts.gate.size();
    require(moeArgumentsFit(out, x, experts, ids, weights), "moe", "shapes do not match");
    // The tokens (and their weights) of each expert.
    std::vector<std::vector<std::pair<int64_t, float>>> assigned(count);
    for (int64_t t = 0; t < x.rows; ++t) {
        const int32_t* chosen = rowPointer<int32_t>(ids, t);
        for (int64_t k = 0; k < ids.cols; ++k) {
            require(chosen[k] >= 0 && size_t(chosen[k]) < count, "moe", "an expert id is out of range");
            assigned[size_t(chosen[k])].emplace_back(t, floats(weights, t)[k]);
        }
    }
    std::memset(floats(out), 0, size_t(out.rows) * out.rowBytes());
    const int64_t feedForward = experts.gate[0].rows;
    for (size_t e = 0; e < count; ++e) {
        const auto m = int64_t(assigned[e].size());
        if (m == 0)
            continue;
        Tensor input = scratch(expertInput_, x.cols, m).rowsView(0, m);
        Tensor gate = scratch(expertGate_, feedForward, m).rowsView(0, m);
        Tensor up = scratch(expertUp_, feedForward, m).rowsView(0, m);
        Tensor down = scratch(expertOutput_, out.cols, m).rowsView(0, m);
        for (int64_t i = 0; i < m; ++i)
            std::memcpy(floats(input, i), floats(x, assigned[e][size_t(i)].first), x.rowBytes());
        matmul(gate, experts.gate[e], input);
        matmul(up, experts.up[e], input);
        swiglu(gate, gate, up);
        matmul(down, experts.down[e], gate);
        for (int64_t i = 0; i < m; ++i) {
            const auto [t, weight] = assigned[e][size_t(i)];
            float* result = floats(out, t);
            const float* expertResult = floats(down, i);
            for (int64_t c = 0; c < out.cols; ++c)
                result[c] += weight * expertResult[c];
        }
    }
}

} // namespace latent::cpu
