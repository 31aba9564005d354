#pragma once

// A float64 forward pass of the llama architecture, written plainly from the equations: no
// cache, no batching, no quantized arithmetic; the weights dequantized once. The engine's
// logits are checked against it.

#include "engine/model/llama_model.h"
#include "tests/support/reference_math.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace latent::test {

class ReferenceLlama {
public:
    explicit ReferenceLlama(const gguf::GgufFile& file) : hp_(LlamaHyperParameters::read(file.metadata()))
    {
        const auto load = [&](const std::string& name) { return loadMatrix(file, name); };
        embedding_ = load("token_embd.weight");
        for (int64_t l = 0; l < hp_.blocks; ++l) {
            const auto name = [&](const char* t) { return fmt::format("blk.{}.{}.weight", l, t); };
            layers_.push_back({load(name("attn_norm")), load(name("attn_q")), load(name("attn_k")), load(name("attn_v")),
                               load(name("attn_output")), load(name("ffn_norm")), load(name("ffn_gate")),
                               load(name("ffn_up")), load(name("ffn_down"))});
        }
        outputNorm_ = load("output_norm.weight");
        output_ = file.findTensor("output.weight") ? load("output.weight") : embedding_;
    }

    // Logits at every position of tokens.
    std::vector<Vector> forward(const std::vector<int32_t>& tokens) const
    {
        const auto n = tokens.size();
        const auto hd = size_t(hp_.headDim);
        std::vector<Vector> x = embeddingRows(embedding_, tokens);
        for (const Layer& layer : layers_) {
            std::vector<Vector> q(n), k(n), v(n);
            for (size_t t = 0; t < n; ++t) {
                const Vector xn = norm(x[t], layer.attentionNorm);
                q[t] = rope(layer.query.apply(xn), int64_t(t));
                k[t] = rope(layer.key.apply(xn), int64_t(t));
                v[t] = layer.value.apply(xn);
            }
            for (size_t t = 0; t < n; ++t) {
                Vector attended(size_t(hp_.heads) * hd, 0.0);
                for (int64_t h = 0; h < hp_.heads; ++h) {
                    const size_t kvHead = size_t(h / (hp_.heads / hp_.kvHeads));
                    Vector scores(t + 1);
                    for (size_t j = 0; j <= t; ++j) {
                        double dot = 0;
                        for (size_t i = 0; i < hd; ++i)
                            dot += q[t][size_t(h) * hd + i] * k[j][kvHead * hd + i];
                        scores[j] = dot / std::sqrt(double(hd));
                    }
                    softmax(scores);
                    for (size_t j = 0; j <= t; ++j) {
                        for (size_t i = 0; i < hd; ++i)
                            attended[size_t(h) * hd + i] += scores[j] * v[j][kvHead * hd + i];
                    }
                }
                addTo(x[t], layer.attentionOutput.apply(attended));
                const Vector xn = norm(x[t], layer.ffnNorm);
                addTo(x[t], layer.down.apply(swiglu(layer.gate.apply(xn), layer.up.apply(xn))));
            }
        }
        std::vector<Vector> logits(n);
        for (size_t t = 0; t < n; ++t)
            logits[t] = output_.apply(norm(x[t], outputNorm_));
        return logits;
    }

private:
    struct Layer {
        Matrix attentionNorm, query, key, value, attentionOutput, ffnNorm, gate, up, down;
    };

    Vector norm(const Vector& x, const Matrix& weight) const { return rmsNorm(x, weight, double(hp_.rmsEpsilon)); }

    // Adjacent pairs (2i, 2i+1) of each head rotate by pos * scale * base^(-2i/d).
    Vector rope(Vector x, int64_t position) const
    {
        const auto hd = size_t(hp_.headDim);
        for (size_t head = 0; head < x.size() / hd; ++head) {
            for (size_t i = 0; i < size_t(hp_.ropeDims / 2); ++i) {
                const double theta = double(position) * double(hp_.ropeFreqScale) *
                                     std::pow(double(hp_.ropeBase), -2.0 * double(i) / double(hp_.ropeDims));
                double& a = x[head * hd + 2 * i];
                double& b = x[head * hd + 2 * i + 1];
                const double a0 = a, b0 = b;
                a = a0 * std::cos(theta) - b0 * std::sin(theta);
                b = a0 * std::sin(theta) + b0 * std::cos(theta);
            }
        }
        return x;
    }

    LlamaHyperParameters hp_;
    Matrix embedding_, outputNorm_, output_;
    std::vector<Layer> layers_;
};

} // namespace latent::test
