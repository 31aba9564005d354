#pragma once

// A float64 forward pass of the llama architecture, written plainly from the equations: no
// cache, no batching, no quantized arithmetic; the weights dequantized once. The engine's
// logits are checked against it.

#include "engine/gguf/gguf_file.h"
#include "engine/model/llama_model.h"
#include "engine/quant/quantize.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace latent::test {

class ReferenceLlama {
public:
    using Vector = std::vector<double>;
    struct Matrix {
        int64_t cols = 0, rows = 0;
        Vector values; // rows of cols
        Vector apply(const Vector& x) const
        {
            Vector y(size_t(rows), 0.0);
            for (int64_t r = 0; r < rows; ++r) {
                double sum = 0;
                for (int64_t c = 0; c < cols; ++c)
                    sum += values[size_t(r * cols + c)] * x[size_t(c)];
                y[size_t(r)] = sum;
            }
            return y;
        }
    };

    explicit ReferenceLlama(const gguf::GgufFile& file) : hp_(LlamaHyperParameters::read(file.metadata()))
    {
        const auto load = [&](const std::string& name) {
            const gguf::TensorInfo& info = *file.findTensor(name);
            Matrix m;
            m.cols = int64_t(info.shape[0]);
            m.rows = int64_t(info.rowCount());
            const auto floats = quant::dequantize(info.type, file.tensorData(info), size_t(m.cols * m.rows));
            m.values.assign(floats.begin(), floats.end());
            return m;
        };
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
        const auto e = size_t(hp_.embedding), hd = size_t(hp_.headDim);
        std::vector<Vector> x(n);
        for (size_t t = 0; t < n; ++t)
            x[t] = Vector(embedding_.values.begin() + std::ptrdiff_t(size_t(tokens[t]) * e),
                          embedding_.values.begin() + std::ptrdiff_t(size_t(tokens[t] + 1) * e));
        for (const Layer& layer : layers_) {
            std::vector<Vector> q(n), k(n), v(n);
            for (size_t t = 0; t < n; ++t) {
                const Vector xn = rmsNorm(x[t], layer.attentionNorm);
                q[t] = rope(layer.query.apply(xn), int64_t(t));
                k[t] = rope(layer.key.apply(xn), int64_t(t));
                v[t] = layer.value.apply(xn);
            }
            for (size_t t = 0; t < n; ++t) {
                Vector attended(size_t(hp_.heads) * hd, 0.0);
                for (int64_t h = 0; h < hp_.heads; ++h) {
                    const size_t kvHead = size_t(h / (hp_.heads / hp_.kvHeads));
                    Vector scores(t + 1);
                    double max = -INFINITY;
                    for (size_t j = 0; j <= t; ++j) {
                        double dot = 0;
                        for (size_t i = 0; i < hd; ++i)
                            dot += q[t][size_t(h) * hd + i] * k[j][kvHead * hd + i];
                        scores[j] = dot / std::sqrt(double(hd));
                        max = std::max(max, scores[j]);
                    }
                    double sum = 0;
                    for (double& s : scores)
                        sum += (s = std::exp(s - max));
                    for (size_t j = 0; j <= t; ++j) {
                        for (size_t i = 0; i < hd; ++i)
                            attended[size_t(h) * hd + i] += scores[j] / sum * v[j][kvHead * hd + i];
                    }
                }
                add(x[t], layer.attentionOutput.apply(attended));
                const Vector xn = rmsNorm(x[t], layer.ffnNorm);
                Vector gate = layer.gate.apply(xn);
                const Vector up = layer.up.apply(xn);
                for (size_t i = 0; i < gate.size(); ++i)
                    gate[i] = gate[i] / (1.0 + std::exp(-gate[i])) * up[i];
                add(x[t], layer.down.apply(gate));
            }
        }
        std::vector<Vector> logits(n);
        for (size_t t = 0; t < n; ++t)
            logits[t] = output_.apply(rmsNorm(x[t], outputNorm_));
        return logits;
    }

private:
    struct Layer {
        Matrix attentionNorm, query, key, value, attentionOutput, ffnNorm, gate, up, down;
    };

    Vector rmsNorm(const Vector& x, const Matrix& weight) const
    {
        double sum = 0;
        for (double v : x)
            sum += v * v;
        const double scale = 1.0 / std::sqrt(sum / double(x.size()) + double(hp_.rmsEpsilon));
        Vector y(x.size());
        for (size_t i = 0; i < x.size(); ++i)
            y[i] = x[i] * scale * weight.values[i];
        return y;
    }

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

    static void add(Vector& x, const Vector& y)
    {
        for (size_t i = 0; i < x.size(); ++i)
            x[i] += y[i];
    }

    LlamaHyperParameters hp_;
    Matrix embedding_, outputNorm_, output_;
    std::vector<Layer> layers_;
};

} // namespace latent::test
