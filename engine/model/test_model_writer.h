#pragma once

// What every architecture's test-model generator shares: the random numbers, the vocabulary,
// and a GGUF writer that makes each planned tensor's values when the file is written.

#include "engine/gguf/gguf_writer.h"
#include "engine/model/test_model.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace latent::detail {

class TestModelWriter {
public:
    TestModelWriter(const TestModelOptions& options, std::string_view architecture, std::string_view presetName);

    gguf::Metadata& metadata() { return writer_.metadata(); }

    // The tokenizer (BOS 0, EOS 1) and a chat template in the metadata.
    void addVocabulary(int64_t size, std::string_view chatTemplate);

    enum class Kind { Matrix, Norm, Embedding, Output, Router, Bias };
    // A tensor of GGUF shape [cols, rows, count...]: matrices N(0, 1/cols) in the options' type;
    // norms U(0.8, 1.2); embeddings N(0, 1); the output sharper (N(0, 16/cols)), so that next-token
    // distributions are peaked as a trained model's are; routers N(0, 1/cols) and biases N(0, 0.01) in F32.
    void plan(std::string name, Kind kind, std::vector<int64_t> shape);
    // A matrix whose values a function makes from the N(0, 1/cols) draws of another tensor, drawnName
    // of drawnShape: two layouts of one matrix hold the same values.
    void plan(std::string name, std::vector<int64_t> shape,
              std::function<std::vector<float>(const std::vector<float>&)> arrange, std::string drawnName,
              std::vector<int64_t> drawnShape);

    // Makes every planned tensor and writes the file (progress after each tensor).
    void write(const std::filesystem::path& path, const std::function<void(size_t, size_t)>& progress);

private:
    struct Planned {
        std::string name;
        Kind kind;
        std::vector<int64_t> shape;
        std::function<std::vector<float>(const std::vector<float>&)> arrange;
        std::string drawnName;
        std::vector<int64_t> drawnShape;
    };
    std::vector<float> draw(const Planned& tensor) const;

    TestModelOptions options_;
    gguf::GgufWriter writer_;
    std::vector<Planned> planned_;
};

int64_t elementCount(const std::vector<int64_t>& shape);

void writeLlamaTestModel(const TestModelOptions& options, const std::filesystem::path& path,
                         const std::function<void(size_t, size_t)>& progress);
std::vector<TestModelPreset> llamaTestModelPresets();
void writeDeepSeek2TestModel(const TestModelOptions& options, const std::filesystem::path& path,
                             const std::function<void(size_t, size_t)>& progress);
std::vector<TestModelPreset> deepSeek2TestModelPresets();

} // namespace latent::detail
