#pragma once

// A float64 forward pass of the deepseek2 architecture written plainly from DeepSeek's equations
// (../shared/docs/deepseek-models.md and the models' reference code): attention un-absorbed
// (each head's keys and values decompressed from c_kv), YaRN and the softmax scale from the file's
// keys, routing as DeepSeek-V2 and V3 define it. No cache, no batching, no quantized arithmetic:
// the engine's absorbed, cached, quantized forward pass is checked against it.

#include "engine/model/deepseek2_model.h"
#include "tests/support/reference_math.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

namespace latent::test {

class ReferenceDeepSeek2 {
public:
    explicit ReferenceDeepSeek2(const gguf::GgufFile& file)
        : hp_(DeepSeek2HyperParameters::read(file.metadata()))
    {
        const gguf::Metadata& meta = file.metadata();
        const auto number = [&](const char* key, double fallback) {
            const std::string name = fmt::format("deepseek2.{}", key);
            return meta.contains(name) ? meta.getFloat(name) : fallback;
        };
        const auto integer = [&](const char* key, int64_t fallback) {
            return meta.getIntegerOptional<int64_t>(fmt::format("deepseek2.{}", key)).value_or(fallback);
        };
        // RoPE frequencies: DeepSeek's YaRN (yarn_find_correction_range, yarn_linear_ramp_mask).
        const double base = number("rope.freq_base", 10000), d = double(hp_.ropeDim);
        const bool yarn = meta.getOptional<std::string>("deepseek2.rope.scaling.type") == "yarn";
        const double factor = yarn ? number("rope.scaling.factor", 1) : 1;
        const double original = double(integer("rope.scaling.original_context_length", hp_.contextLength));
        const auto correctionDim = [&](double rotations) {
            return d * std::log(original / (rotations * 2 * std::numbers::pi)) / (2 * std::log(base));
        };
        const double low = std::max(0.0, std::floor(correctionDim(number("rope.scaling.yarn_beta_fast", 32))));
        double high = std::min(d - 1, std::ceil(correctionDim(number("rope.scaling.yarn_beta_slow", 1))));
        if (high == low)
            high += 0.001;
        for (int64_t i = 0; i < hp_.ropeDim / 2; ++i) {
            const double extrapolated = std::pow(base, -2.0 * double(i) / d);
            const double ramp = std::clamp((double(i) - low) / (high - low), 0.0, 1.0);
            frequencies_.push_back(yarn ? extrapolated / factor * ramp + extrapolated * (1 - ramp) : extrapolated);
        }
        // softmax_scale = mscale^2 / sqrt(q_head_dim), mscale = 0.1 mscale_all_dim ln(factor) + 1,
        // the file storing 0.1 * mscale_all_dim as yarn_log_multiplier.
        const double mscaleAllDim = number("rope.scaling.yarn_log_multiplier", 0) / 0.1;
        const double mscale = yarn ? 0.1 * mscaleAllDim * std::log(factor) + 1 : 1;
        scale_ = mscale * mscale / std::sqrt(double(hp_.nopeDim + hp_.ropeDim));

        const auto load = [&](const std::string& name) { return loadMatrix(file, name); };
        embedding_ = load("token_embd.weight");
        for (int64_t l = 0; l < hp_.blocks; ++l) {
            const auto name = [&](const char* t, const char* kind = "weight") {
                return fmt::format("blk.{}.{}.{}", l, t, kind);
            };
            const auto has = [&](const std::string& n) { return file.findTensor(n) != nullptr; };
            Layer layer;
            layer.attentionNorm = load(name("attn_norm"));
            if (hp_.queryRank > 0) {
                layer.queryDown = load(name("attn_q_a"));
                layer.queryNorm = load(name("attn_q_a_norm"));
                layer.queryUp = load(name("attn_q_b"));
            } else {
                layer.query = load(name("attn_q"));
            }
            layer.keyValueDown = load(name("attn_kv_a_mqa"));
            layer.latentNorm = load(name("attn_kv_a_norm"));
            layer.legacy = has(name("attn_kv_b"));
            if (layer.legacy) {
                layer.keyValueUp = load(name("attn_kv_b"));
            } else {
                layer.keyUp = load(name("attn_k_b"));
                layer.valueUp = load(name("attn_v_b"));
            }
            layer.output = load(name("attn_output"));
            layer.ffnNorm = load(name("ffn_norm"));
            layer.moe = has(name("ffn_gate_inp"));
            if (!layer.moe) {
                layer.gate = load(name("ffn_gate"));
                layer.up = load(name("ffn_up"));
                layer.down = load(name("ffn_down"));
            } else {
                layer.router = load(name("ffn_gate_inp"));
                if (has(name("exp_probs_b", "bias")))
                    layer.bias = load(name("exp_probs_b", "bias"));
                layer.gate = load(name("ffn_gate_exps"));
                layer.up = load(name("ffn_up_exps"));
                layer.down = load(name("ffn_down_exps"));
                if (has(name("ffn_gate_shexp"))) {
                    layer.sharedGate = load(name("ffn_gate_shexp"));
                    layer.sharedUp = load(name("ffn_up_shexp"));
                    layer.sharedDown = load(name("ffn_down_shexp"));
                }
            }
            layers_.push_back(std::move(layer));
        }
        outputNorm_ = load("output_norm.weight");
        output_ = file.findTensor("output.weight") ? load("output.weight") : embedding_;
    }

    // Logits at every position of tokens.
    std::vector<Vector> forward(const std::vector<int32_t>& tokens) const
    {
        const size_t n = tokens.size();
        const auto heads = size_t(hp_.heads), nope = size_t(hp_.nopeDim), rope = size_t(hp_.ropeDim),
                   value = size_t(hp_.valueDim), latent = size_t(hp_.latentDim);
        const size_t qk = nope + rope;
        std::vector<Vector> x = embeddingRows(embedding_, tokens);
        for (const Layer& layer : layers_) {
            // Per token: queries (heads x [nope | rope]); per head, its key [k_nope | k_rope] and value.
            std::vector<Vector> q(n), keys(n), values(n);
            for (size_t t = 0; t < n; ++t) {
                const Vector xn = norm(x[t], layer.attentionNorm);
                q[t] = hp_.queryRank > 0 ? layer.queryUp.apply(norm(layer.queryDown.apply(xn), layer.queryNorm))
                                         : layer.query.apply(xn);
                for (size_t h = 0; h < heads; ++h)
                    rotate(q[t], h * qk + nope, int64_t(t));
                const Vector kv = layer.keyValueDown.apply(xn);
                const Vector c = norm(Vector(kv.begin(), kv.begin() + std::ptrdiff_t(latent)), layer.latentNorm);
                Vector kRope(kv.begin() + std::ptrdiff_t(latent), kv.end());
                rotate(kRope, 0, int64_t(t));
                keys[t].assign(heads * qk, 0.0);
                values[t].assign(heads * value, 0.0);
                for (size_t h = 0; h < heads; ++h) {
                    for (size_t i = 0; i < nope; ++i) {
                        double sum = 0;
                        for (size_t r = 0; r < latent; ++r)
                            sum += keyUp(layer, h, i, r) * c[r];
                        keys[t][h * qk + i] = sum;
                    }
                    std::copy(kRope.begin(), kRope.end(), keys[t].begin() + std::ptrdiff_t(h * qk + nope));
                    for (size_t i = 0; i < value; ++i) {
                        double sum = 0;
                        for (size_t r = 0; r < latent; ++r)
                            sum += valueUp(layer, h, i, r) * c[r];
                        values[t][h * value + i] = sum;
                    }
                }
            }
            for (size_t t = 0; t < n; ++t) {
                Vector attended(heads * value, 0.0);
                for (size_t h = 0; h < heads; ++h) {
                    Vector scores(t + 1);
                    for (size_t j = 0; j <= t; ++j) {
                        double dot = 0;
                        for (size_t i = 0; i < qk; ++i)
                            dot += q[t][h * qk + i] * keys[j][h * qk + i];
                        scores[j] = dot * scale_;
                    }
                    softmax(scores);
                    for (size_t j = 0; j <= t; ++j)
                        for (size_t i = 0; i < value; ++i)
                            attended[h * value + i] += scores[j] * values[j][h * value + i];
                }
                addTo(x[t], layer.output.apply(attended));
                const Vector xn = norm(x[t], layer.ffnNorm);
                addTo(x[t], layer.moe ? moe(layer, xn) : layer.down.apply(swiglu(layer.gate.apply(xn), layer.up.apply(xn))));
            }
        }
        std::vector<Vector> logits(n);
        for (size_t t = 0; t < n; ++t)
            logits[t] = output_.apply(norm(x[t], outputNorm_));
        return logits;
    }

private:
    struct Layer {
        Matrix attentionNorm, query, queryDown, queryNorm, queryUp, keyValueDown, latentNorm;
        bool legacy = false;
        Matrix keyValueUp, keyUp, valueUp, output, ffnNorm;
        bool moe = false;
        Matrix gate, up, down, router, bias, sharedGate, sharedUp, sharedDown;
    };

    // W_UK[h][i][r] and W_UV[h][i][r] (per head: nope or value rows of latent columns), from
    // either layout.
    double keyUp(const Layer& layer, size_t h, size_t i, size_t r) const
    {
        if (layer.legacy)
            return layer.keyValueUp.at(int64_t(h * size_t(hp_.nopeDim + hp_.valueDim) + i), int64_t(r));
        return layer.keyUp.at(int64_t(h * size_t(hp_.latentDim) + r), int64_t(i)); // [nope, latent, heads]
    }
    double valueUp(const Layer& layer, size_t h, size_t i, size_t r) const
    {
        if (layer.legacy)
            return layer.keyValueUp.at(int64_t(h * size_t(hp_.nopeDim + hp_.valueDim) + size_t(hp_.nopeDim) + i),
                                       int64_t(r));
        return layer.valueUp.at(int64_t(h * size_t(hp_.valueDim) + i), int64_t(r)); // [latent, value, heads]
    }

    // DeepSeekMoE: the routed experts' weighted sum plus the shared experts.
    Vector moe(const Layer& layer, const Vector& xn) const
    {
        const MoeRouting& r = hp_.routing;
        const auto experts = size_t(r.experts);
        const Vector logits = layer.router.apply(xn);
        Vector scores(experts), choice(experts);
        if (r.gating == MoeRouting::Gating::Softmax) {
            scores = logits;
            softmax(scores);
        } else {
            for (size_t i = 0; i < experts; ++i)
                scores[i] = 1 / (1 + std::exp(-logits[i]));
        }
        for (size_t i = 0; i < experts; ++i)
            choice[i] = scores[i] + (layer.bias.values.empty() ? 0.0 : layer.bias.values[i]);
        if (r.groupsUsed < r.groups) {
            // V2 (group_limited_greedy): a group's best score; V3 (noaux_tc): its two best summed.
            const size_t perGroup = experts / size_t(r.groups);
            std::vector<std::pair<double, size_t>> groups;
            for (size_t g = 0; g < size_t(r.groups); ++g) {
                Vector member(choice.begin() + std::ptrdiff_t(g * perGroup), choice.begin() + std::ptrdiff_t((g + 1) * perGroup));
                std::sort(member.rbegin(), member.rend());
                groups.emplace_back(r.gating == MoeRouting::Gating::Softmax ? member[0] : member[0] + member[1], g);
            }
            std::sort(groups.begin(), groups.end(), [](auto a, auto b) { return a.first > b.first; });
            for (size_t k = size_t(r.groupsUsed); k < groups.size(); ++k)
                for (size_t i = 0; i < perGroup; ++i)
                    choice[groups[k].second * perGroup + i] = -INFINITY;
        }
        std::vector<size_t> order(experts);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return choice[a] > choice[b]; });
        double sum = 0;
        for (size_t k = 0; k < size_t(r.used); ++k)
            sum += scores[order[k]];
        Vector out(xn.size(), 0.0);
        const int64_t width = hp_.expertFeedForward, e = hp_.embedding;
        for (size_t k = 0; k < size_t(r.used); ++k) {
            const auto expert = int64_t(order[k]);
            const double weight = (r.normalize ? scores[order[k]] / sum : scores[order[k]]) * double(r.scale);
            const Vector hidden = swiglu(layer.gate.apply(xn, expert * width, width), layer.up.apply(xn, expert * width, width));
            const Vector y = layer.down.apply(hidden, expert * e, e);
            for (size_t i = 0; i < out.size(); ++i)
                out[i] += weight * y[i];
        }
        if (!layer.sharedGate.values.empty())
            addTo(out, layer.sharedDown.apply(swiglu(layer.sharedGate.apply(xn), layer.sharedUp.apply(xn))));
        return out;
    }

    // RoPE on values [first, first + ropeDim): adjacent pairs rotate by position * frequency.
    void rotate(Vector& v, size_t first, int64_t position) const
    {
        for (size_t i = 0; i < frequencies_.size(); ++i) {
            const double theta = double(position) * frequencies_[i];
            double& a = v[first + 2 * i];
            double& b = v[first + 2 * i + 1];
            const double a0 = a, b0 = b;
            a = a0 * std::cos(theta) - b0 * std::sin(theta);
            b = a0 * std::sin(theta) + b0 * std::cos(theta);
        }
    }

    Vector norm(const Vector& x, const Matrix& weight) const { return rmsNorm(x, weight, double(hp_.rmsEpsilon)); }

    DeepSeek2HyperParameters hp_;
    std::vector<double> frequencies_;
    double scale_ = 1;
    Matrix embedding_, outputNorm_, output_;
    std::vector<Layer> layers_;
};

} // namespace latent::test
