#pragma once

// The float64 pieces the reference forward passes (reference_llama.h, reference_deepseek2.h)
// are written in: weights dequantized once, plain loops, no cache and no batching.

#include "engine/gguf/gguf_file.h"
#include "engine/quant/quantize.h"

#include <cmath>
#include <string>
#include <vector>

namespace latent::test {

using Vector = std::vector<double>;

struct Matrix {
    int64_t cols = 0, rows = 0; // rows of cols; a stack of matrices is rows * count rows
    Vector values;

    // y = M x, or with M the rows [first, first + count) only.
    Vector apply(const Vector& x, int64_t first = 0, int64_t count = -1) const
    {
        const int64_t n = count < 0 ? rows : count;
        Vector y(size_t(n), 0.0);
        for (int64_t r = 0; r < n; ++r) {
            double sum = 0;
            for (int64_t c = 0; c < cols; ++c)
                sum += values[size_t((first + r) * cols + c)] * x[size_t(c)];
            y[size_t(r)] = sum;
        }
        return y;
    }
    double at(int64_t row, int64_t col) const { return values[size_t(row * cols + col)]; }
};

inline Matrix loadMatrix(const gguf::GgufFile& file, const std::string& name)
{
    const gguf::TensorInfo& info = *file.findTensor(name);
    Matrix m;
    m.cols = int64_t(info.shape[0]);
    m.rows = int64_t(info.rowCount());
    const auto floats = quant::dequantize(info.type, file.tensorData(info), size_t(m.cols * m.rows));
    m.values.assign(floats.begin(), floats.end());
    return m;
}

// Each token's row of the embedding table.
inline std::vector<Vector> embeddingRows(const Matrix& embedding, const std::vector<int32_t>& tokens)
{
    std::vector<Vector> rows;
    for (int32_t token : tokens) {
        const auto first = embedding.values.begin() + std::ptrdiff_t(size_t(token) * size_t(embedding.cols));
        rows.emplace_back(first, first + std::ptrdiff_t(embedding.cols));
    }
    return rows;
}

inline Vector rmsNorm(const Vector& x, const Matrix& weight, double eps)
{
    double sum = 0;
    for (double v : x)
        sum += v * v;
    const double scale = 1.0 / std::sqrt(sum / double(x.size()) + eps);
    Vector y(x.size());
    for (size_t i = 0; i < x.size(); ++i)
        y[i] = x[i] * scale * weight.values[i];
    return y;
}

inline void addTo(Vector& x, const Vector& y)
{
    for (size_t i = 0; i < x.size(); ++i)
        x[i] += y[i];
}

inline Vector swiglu(Vector gate, const Vector& up)
{
    for (size_t i = 0; i < gate.size(); ++i)
        gate[i] = gate[i] / (1.0 + std::exp(-gate[i])) * up[i];
    return gate;
}

// Softmax of scores, in place.
inline void softmax(Vector& scores)
{
    double max = -INFINITY, sum = 0;
    for (double s : scores)
        max = std::max(max, s);
    for (double& s : scores)
        sum += (s = std::exp(s - max));
    for (double& s : scores)
        s /= sum;
}

} // namespace latent::test
