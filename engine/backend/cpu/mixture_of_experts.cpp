// DeepSeekMoE on the CPU: routing each token to its experts, then running every chosen expert
// once over all the tokens that chose it, so that a prompt's tokens share each expert's weights
// as they stream from memory, and no expert that no token chose is read. The chosen experts'
// products (and the shared experts', as one more expert every token chose) run together, as one
// parallel loop over (expert, matrix, block of rows) for gate and up and one for down: a decoded
// token's experts are small products, and one loop each keeps every thread busy with one wake-up
// instead of one per expert and matrix.

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/backend/cpu/row_block_product.h"
#include "engine/backend/cpu/tensor_access.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

namespace latent::cpu {
namespace {

using gguf::TensorType;

// (token, expert) rows one pass of moe() holds at most, unless one expert alone has more: bounds
// its scratch for long prompts to what one expert's products over a batch take.
constexpr size_t kPassRows = 512;
// Values of SwiGLU per chunk of its loop: a decoded token's experts (~11,000 values for V2-Lite)
// take one thread, a prompt's are split.
constexpr size_t kSwigluGrain = 16384;

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
    mixture(out, x, experts, ids, weights, nullptr);
}

void CpuBackend::moeWithShared(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                               const Tensor& weights, const SharedExperts& shared, SharedExpertsScratch)
{
    const int64_t width = shared.gate.rows;
    require(shared.up.rows == width && shared.down.cols == width && shared.gate.cols == x.cols &&
                shared.up.cols == x.cols && shared.down.rows == out.cols,
            "moeWithShared", "the shared experts' shapes do not match");
    mixture(out, x, experts, ids, weights, &shared);
}

void CpuBackend::mixture(Tensor& out, const Tensor& x, const ExpertWeights& experts, const Tensor& ids,
                         const Tensor& weights, const SharedExperts* shared)
{
    const auto count = size_t(experts.count);
    require(moeArgumentsFit(out, x, experts, ids, weights), "moe", "shapes do not match");
    // The tokens (and their weights) of each expert; the shared experts last, every token's at
    // weight 1, so that out = the routed sum + the shared output, as moe() and add() make it.
    std::vector<std::vector<std::pair<int64_t, float>>> assigned(count + (shared ? 1 : 0));
    for (int64_t t = 0; t < x.rows; ++t) {
        const int32_t* chosen = rowPointer<int32_t>(ids, t);
        for (int64_t k = 0; k < ids.cols; ++k) {
            require(chosen[k] >= 0 && size_t(chosen[k]) < count, "moe", "an expert id is out of range");
            assigned[size_t(chosen[k])].emplace_back(t, floats(weights, t)[k]);
        }
        if (shared)
            assigned.back().emplace_back(t, 1.0f);
    }
    std::memset(floats(out), 0, size_t(out.rows) * out.rowBytes());
    // Passes over the chosen experts in ascending order, each holding at most kPassRows of their
    // (token, expert) rows, or one expert's rows where it alone has more.
    std::vector<ExpertTokens> pass;
    size_t passRows = 0;
    for (size_t e = 0; e <= assigned.size(); ++e) {
        const size_t m = e < assigned.size() ? assigned[e].size() : 0;
        if (!pass.empty() && (e == assigned.size() || passRows + m > kPassRows)) {
            moePass(out, x, pass);
            pass.clear();
            passRows = 0;
        }
        if (m == 0)
            continue;
        if (e < count)
            pass.push_back({experts.gateOf(int64_t(e)), experts.upOf(int64_t(e)), experts.downOf(int64_t(e)), passRows,
                            &assigned[e]});
        else
            pass.push_back({shared->gate, shared->up, shared->down, passRows, &assigned[e]});
        passRows += m;
    }
}

void CpuBackend::moePass(Tensor& out, const Tensor& x, const std::vector<ExpertTokens>& pass)
{
    const size_t rows = pass.back().firstRow + pass.back().tokens->size();
    const auto cols = size_t(x.cols), outCols = size_t(out.cols);
    // The experts' input rows, expert after expert: (rows, cols).
    const Tensor input = scratch(expertInput_, x.cols, int64_t(rows));
    ActivationNeeds inputNeeds;
    for (const ExpertTokens& expert : pass) {
        for (size_t i = 0; i < expert.tokens->size(); ++i)
            std::memcpy(floats(input, int64_t(expert.firstRow + i)), floats(x, (*expert.tokens)[i].first), x.rowBytes());
        inputNeeds.add(kernels_, expert.gate);
        inputNeeds.add(kernels_, expert.up);
    }
    const PreparedActivations inputs = prepareActivations(kernels_, pool_, inputNeeds, expertBlocks_,
                                                          expertSuperBlocks_, floats(input), rows, cols);

    // The hidden rows (gate products, then SwiGLU's) and up products of the experts of each width,
    // (rows, width) at hiddenStart: the routed experts, then the shared ones (wider).
    struct Hidden {
        size_t width, hiddenStart, firstRow, rows;
        ActivationNeeds needs;
        PreparedActivations prepared;
    };
    std::vector<Hidden> widths;
    std::vector<size_t> widthOf(pass.size());
    size_t hiddenFloats = 0;
    for (size_t p = 0; p < pass.size(); ++p) {
        const auto width = size_t(pass[p].gate.rows), m = pass[p].tokens->size();
        if (widths.empty() || widths.back().width != width)
            widths.push_back({width, hiddenFloats, pass[p].firstRow, 0, {}, {}});
        widths.back().rows += m;
        widths.back().needs.add(kernels_, pass[p].down);
        widthOf[p] = widths.size() - 1;
        hiddenFloats += m * width;
    }
    require(widths.size() <= kHiddenWidths, "moe", "more than two widths of experts in one pass");
    expertHidden_.resize(hiddenFloats);
    expertUp_.resize(hiddenFloats);
    float* hidden = expertHidden_.data();
    float* up = expertUp_.data();
    const auto hiddenOf = [&](size_t p) {
        const Hidden& group = widths[widthOf[p]];
        return group.hiddenStart + (pass[p].firstRow - group.firstRow) * group.width;
    };

    // Gate and up products in one loop over (expert, matrix, block of rows), the experts with the
    // most tokens first (in a prompt, the shared experts have every token): the loop hands out
    // chunks of equal counts of items, and a heavy last chunk would leave the other threads idle.
    // An expert's gate rows, then its up rows, so that a thread streams one matrix at a time
    // (taking gate and up in turns by blocks decoded V2-Lite 3% slower on 2 cores); then SwiGLU.
    std::vector<size_t> order(pass.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return pass[a].tokens->size() > pass[b].tokens->size(); });
    RowBlockItems items;
    for (size_t p : order) {
        items.add(size_t(pass[p].gate.rows));
        items.add(size_t(pass[p].up.rows));
    }
    pool_.parallelFor(items.count(), 1, [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            const RowBlockItems::Item item = items[i];
            const size_t p = order[item.matrix / 2];
            const bool isUp = item.matrix % 2 == 1;
            const ExpertTokens& expert = pass[p];
            const size_t width = widths[widthOf[p]].width, offset = hiddenOf(p);
            productRowBlock(kernels_, isUp ? expert.up : expert.gate, item.firstRow, item.rows, inputs,
                            expert.firstRow, expert.tokens->size(), (isUp ? up : hidden) + offset, width);
        }
    });
    // The gate and up products lie alike in hidden and up: SwiGLU runs over them as one array.
    pool_.parallelFor(hiddenFloats, kSwigluGrain, [&](size_t begin, size_t end) {
        kernels_.swiglu(hidden + begin, hidden + begin, up + begin, end - begin);
    });

    // Down products in one loop over (expert, block of output columns), expert after expert so
    // that a thread streams one expert's matrix at a time, as a matrix product does; then the
    // weighted sum over blocks of output columns, each adding the experts in ascending order (so
    // every output is summed in the same order at any size).
    for (size_t w = 0; w < widths.size(); ++w) {
        Hidden& group = widths[w];
        group.prepared = prepareActivations(kernels_, pool_, group.needs, hiddenBlocks_[w], hiddenSuperBlocks_[w],
                                            hidden + group.hiddenStart, group.rows, group.width);
    }
    float* down = floats(scratch(expertOutput_, out.cols, int64_t(rows)));
    const size_t columnBlocks = (outCols + kRowBlock - 1) / kRowBlock;
    pool_.parallelFor(pass.size() * columnBlocks, 1, [&](size_t begin, size_t end) {
        for (size_t item = begin; item < end; ++item) {
            const ExpertTokens& expert = pass[item / columnBlocks];
            const Hidden& group = widths[widthOf[item / columnBlocks]];
            const size_t c0 = item % columnBlocks * kRowBlock, n = std::min(kRowBlock, outCols - c0);
            productRowBlock(kernels_, expert.down, c0, n, group.prepared, expert.firstRow - group.firstRow,
                            expert.tokens->size(), down + expert.firstRow * outCols, outCols);
        }
    });
    pool_.parallelFor(columnBlocks, 1, [&](size_t begin, size_t end) {
        const size_t c0 = begin * kRowBlock, n = std::min(end * kRowBlock, outCols) - c0;
        for (const ExpertTokens& expert : pass) {
            for (size_t i = 0; i < expert.tokens->size(); ++i) {
                const auto [t, weight] = (*expert.tokens)[i];
                float* result = floats(out, t) + c0;
                const float* expertResult = down + (expert.firstRow + i) * outCols + c0;
                for (size_t c = 0; c < n; ++c)
                    result[c] += weight * expertResult[c];
            }
        }
    });
}

} // namespace latent::cpu
