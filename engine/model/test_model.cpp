#include "engine/model/test_model.h"

#include "engine/core/error.h"
#include "engine/model/test_model_writer.h"
#include "engine/quant/quantize.h"
#include "engine/tokenizer/bpe_trainer.h"
#include "engine/tokenizer/tokenizer_gguf.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <random>
#include <thread>

namespace latent {
namespace detail {
namespace {

using gguf::TensorType;

// Gaussian numbers from our own Box-Muller, so a seed makes the same file on every platform.
class Gaussian {
public:
    explicit Gaussian(uint64_t seed) : random_(seed) {}
    float operator()()
    {
        const double u1 = (double(random_() >> 11) + 1.0) * 0x1.0p-53;
        const double u2 = double(random_() >> 11) * 0x1.0p-53;
        return float(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
    }
    float uniform(float low, float high) { return low + (high - low) * float(double(random_() >> 11) * 0x1.0p-53); }

private:
    std::mt19937_64 random_;
};

tokenizer::TokenizerSpec makeVocabulary(int64_t size)
{
    // Special tokens first (DeepSeek's spellings), then the learned BPE, then unused padding.
    const std::vector<std::string> specials = {"<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<|EOT|>",
                                               "<｜fim▁begin｜>",         "<｜fim▁hole｜>",         "<｜fim▁end｜>"};
    const int64_t learned = size - int64_t(specials.size());
    if (learned < 256)
        throw Error(fmt::format("a vocabulary of {} tokens cannot hold the 256 byte tokens", size));
    const tokenizer::TrainedBpe bpe = tokenizer::trainBpe(testModelCorpus(), "deepseek-coder", size_t(learned));

    tokenizer::TokenizerSpec spec;
    spec.source = "generated test model";
    spec.tokens = specials;
    spec.kinds.assign(specials.size(), tokenizer::TokenKind::Control);
    for (const std::string& token : bpe.tokens) {
        spec.tokens.push_back(token);
        spec.kinds.push_back(tokenizer::TokenKind::Normal);
    }
    for (int64_t i = 0; int64_t(spec.tokens.size()) < size; ++i) {
        spec.tokens.push_back(fmt::format("<|unused_{}|>", i));
        spec.kinds.push_back(tokenizer::TokenKind::Unused);
    }
    spec.merges = bpe.merges;
    spec.preTokenizerName = "deepseek-coder";
    spec.bos = 0;
    spec.eos = 1;
    spec.eot = 2;
    spec.padding = 1;
    spec.fimPrefix = 3;
    spec.fimSuffix = 4;
    spec.fimMiddle = 5;
    spec.addBos = true;
    return spec;
}


// Values are drawn in chunks of whole rows, each from its own stream (seed, tensor name, chunk), so a
// file is the same whatever the number of threads that made it.
constexpr int64_t kChunkValues = int64_t(1) << 20;

// Calls body(first, end) over [0, chunks) on every core.
void parallelChunks(int64_t chunks, const std::function<void(int64_t)>& body)
{
    const auto threads = int64_t(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> workers;
    for (int64_t w = 0; w < std::min(threads, chunks); ++w) {
        workers.emplace_back([&, w] {
            for (int64_t c = w; c < chunks; c += threads)
                body(c);
        });
    }
    for (std::thread& worker : workers)
        worker.join();
}

} // namespace

int64_t elementCount(const std::vector<int64_t>& shape)
{
    int64_t count = 1;
    for (int64_t n : shape)
        count *= n;
    return count;
}

TestModelWriter::TestModelWriter(const TestModelOptions& options, std::string_view architecture,
                                 std::string_view presetName)
    : options_(options)
{
    if (!quant::canQuantize(options.type))
        throw Error(fmt::format("--type {}: test models can be made in F32, F16, BF16, Q8_0 or Q4_0",
                                gguf::tensorTypeName(options.type)));
    metadata().set("general.architecture", std::string(architecture));
    metadata().set("general.name", fmt::format("latent-test-{}-{}", architecture, presetName));
    // llama.cpp's file type codes.
    metadata().set("general.file_type", uint32_t(options.type == TensorType::F32    ? 0
                                                 : options.type == TensorType::F16  ? 1
                                                 : options.type == TensorType::Q4_0 ? 2
                                                 : options.type == TensorType::Q8_0 ? 7
                                                                                    : 32));
}

void TestModelWriter::addVocabulary(int64_t size, std::string_view chatTemplate)
{
    tokenizer::writeTokenizerMetadata(makeVocabulary(size), metadata());
    metadata().set("tokenizer.chat_template", std::string(chatTemplate));
}

void TestModelWriter::plan(std::string name, Kind kind, std::vector<int64_t> shape)
{
    std::string drawnName = name;
    planned_.push_back({std::move(name), kind, std::move(shape), {}, std::move(drawnName), {}});
}

void TestModelWriter::plan(std::string name, std::vector<int64_t> shape,
                           std::function<std::vector<float>(const std::vector<float>&)> arrange, std::string drawnName,
                           std::vector<int64_t> drawnShape)
{
    planned_.push_back({std::move(name), Kind::Matrix, std::move(shape), std::move(arrange), std::move(drawnName),
                        std::move(drawnShape)});
}

std::vector<float> TestModelWriter::draw(const Planned& tensor) const
{
    const std::vector<int64_t>& shape = tensor.arrange ? tensor.drawnShape : tensor.shape;
    const int64_t cols = shape[0], count = elementCount(shape);
    const auto sqrtCols = std::sqrt(float(cols));
    const float sigma = tensor.kind == Kind::Embedding ? 1.0f
                        : tensor.kind == Kind::Output  ? 4.0f / sqrtCols
                        : tensor.kind == Kind::Bias    ? 0.1f
                                                       : 1.0f / sqrtCols;
    std::vector<float> values(static_cast<size_t>(count));
    const int64_t rowsPerChunk = std::max<int64_t>(1, kChunkValues / cols);
    const int64_t chunks = (count / cols + rowsPerChunk - 1) / rowsPerChunk;
    // FNV-1a of the tensor's name: a stable stream per tensor.
    uint64_t nameHash = 0xcbf29ce484222325ull;
    for (char c : tensor.drawnName)
        nameHash = (nameHash ^ uint8_t(c)) * 0x100000001b3ull;
    parallelChunks(chunks, [&](int64_t chunk) {
        Gaussian gaussian(options_.seed * 0x9E3779B97F4A7C15ull + nameHash + uint64_t(chunk));
        const int64_t first = chunk * rowsPerChunk * cols, end = std::min(count, first + rowsPerChunk * cols);
        for (int64_t i = first; i < end; ++i)
            values[size_t(i)] = tensor.kind == Kind::Norm ? gaussian.uniform(0.8f, 1.2f) : sigma * gaussian();
    });
    return tensor.arrange ? tensor.arrange(values) : values;
}

void TestModelWriter::write(const std::filesystem::path& path, const std::function<void(size_t, size_t)>& progress)
{
    // Every tensor's bytes stay alive until the writer has written them.
    std::vector<std::vector<uint8_t>> storage(planned_.size());
    for (size_t i = 0; i < planned_.size(); ++i) {
        const Planned& t = planned_[i];
        const bool keepF32 = t.kind == Kind::Norm || t.kind == Kind::Router || t.kind == Kind::Bias;
        const TensorType type = keepF32 ? TensorType::F32 : options_.type;
        const std::vector<float> values = draw(t);
        const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
        if (t.shape[0] % int64_t(traits.blockValues) != 0)
            throw Error(fmt::format("--type {}: rows of {} values in tensor '{}' are not whole blocks of {}",
                                    traits.name, t.shape[0], t.name, traits.blockValues));
        // Quantized in chunks of whole rows, on every core.
        const int64_t cols = t.shape[0], rows = elementCount(t.shape) / cols;
        const size_t rowBytes = size_t(cols) / traits.blockValues * traits.blockBytes;
        storage[i].resize(rowBytes * size_t(rows));
        const int64_t rowsPerChunk = std::max<int64_t>(1, kChunkValues / cols);
        parallelChunks((rows + rowsPerChunk - 1) / rowsPerChunk, [&](int64_t chunk) {
            const int64_t first = chunk * rowsPerChunk, end = std::min(rows, first + rowsPerChunk);
            const std::vector<uint8_t> bytes =
                quant::quantize(type, std::span(values).subspan(size_t(first * cols), size_t((end - first) * cols)));
            std::memcpy(storage[i].data() + size_t(first) * rowBytes, bytes.data(), bytes.size());
        });
        std::vector<uint64_t> shape(t.shape.begin(), t.shape.end());
        writer_.addTensor(t.name, type, shape, storage[i]);
        if (progress)
            progress(i + 1, planned_.size());
    }
    writer_.write(path);
}

} // namespace detail

std::vector<std::string_view> testModelArchitectures()
{
    return {"llama", "deepseek2"};
}

std::vector<TestModelPreset> testModelPresets(std::string_view architecture)
{
    if (architecture == "llama")
        return detail::llamaTestModelPresets();
    if (architecture == "deepseek2")
        return detail::deepSeek2TestModelPresets();
    return {};
}

void writeTestModel(const TestModelOptions& options, const std::filesystem::path& path,
                    const std::function<void(size_t, size_t)>& progress)
{
    const auto presets = testModelPresets(options.architecture);
    if (presets.empty())
        throw Error(fmt::format("--arch '{}': test models can be made for: {}", options.architecture,
                                fmt::join(testModelArchitectures(), ", ")));
    if (std::none_of(presets.begin(), presets.end(), [&](const auto& p) { return p.name == options.preset; })) {
        std::vector<std::string_view> names;
        for (const auto& p : presets)
            names.push_back(p.name);
        throw Error(fmt::format("--preset '{}' is not a {} preset; choose one of: {}", options.preset,
                                options.architecture, fmt::join(names, ", ")));
    }
    if (options.architecture == "llama")
        detail::writeLlamaTestModel(options, path, progress);
    else
        detail::writeDeepSeek2TestModel(options, path, progress);
}

} // namespace latent
