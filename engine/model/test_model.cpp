#include "engine/model/test_model.h"

#include "engine/chat/chat_template.h"
#include "engine/core/error.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/quant/quantize.h"
#include "engine/tokenizer/bpe_trainer.h"
#include "engine/tokenizer/tokenizer_gguf.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <numbers>
#include <random>

namespace latent {
namespace {

using gguf::TensorType;

// DeepSeek-Coder instruct's chat template (recognized as the deepseek-coder chat format).
constexpr std::string_view kCoderChatTemplate =
    "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
    "{{bos_token}}{%- for message in messages %}{%- if message['role'] == 'system' %}{{ message['content'] }}"
    "{%- elif message['role'] == 'user' %}{{'### Instruction:\\n' + message['content'] + '\\n'}}"
    "{%- else %}{{'### Response:\\n' + message['content'] + '\\n<|EOT|>\\n'}}{%- endif %}{%- endfor %}"
    "{% if add_generation_prompt %}{{'### Response:'}}{% endif %}";

const std::vector<TestModelPreset> kLlamaPresets = {
    {"tiny", "2 blocks of 64, GQA 4/2 heads: unit tests", 512, 64, 2, 4, 2, 192, 512, 10000, 1},
    {"tiny-coder", "2 blocks of 64, 4 heads, RoPE base 1e5 scaled x4 (DeepSeek-Coder's)", 512, 64, 2, 4, 4, 192, 1024,
     100000, 4},
    {"small", "4 blocks of 256, 8 heads", 2048, 256, 4, 8, 8, 704, 2048, 10000, 1},
    {"coder-1.3b", "DeepSeek-Coder-1.3B's shape: 24 blocks of 2048, 16 heads, vocabulary 32256", 32256, 2048, 24, 16,
     16, 5504, 16384, 100000, 4},
};

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

} // namespace

std::vector<TestModelPreset> testModelPresets(std::string_view architecture)
{
    return architecture == "llama" ? kLlamaPresets : std::vector<TestModelPreset>{};
}

void writeTestModel(const TestModelOptions& options, const std::filesystem::path& path,
                    const std::function<void(size_t, size_t)>& progress)
{
    if (options.architecture != "llama")
        throw Error(fmt::format("--arch '{}': test models can be made for: llama", options.architecture));
    const auto presets = testModelPresets(options.architecture);
    const auto preset = std::find_if(presets.begin(), presets.end(), [&](const auto& p) { return p.name == options.preset; });
    if (preset == presets.end()) {
        std::vector<std::string_view> names;
        for (const auto& p : presets)
            names.push_back(p.name);
        throw Error(fmt::format("--preset '{}' is not a {} preset; choose one of: {}", options.preset,
                                options.architecture, fmt::join(names, ", ")));
    }
    if (!quant::canQuantize(options.type))
        throw Error(fmt::format("--type {}: test models can be made in F32, F16, BF16, Q8_0 or Q4_0",
                                gguf::tensorTypeName(options.type)));
    const TestModelPreset& p = *preset;
    const int64_t headDim = p.embedding / p.heads;

    gguf::GgufWriter writer;
    gguf::Metadata& meta = writer.metadata();
    meta.set("general.architecture", std::string("llama"));
    meta.set("general.name", fmt::format("latent-test-llama-{}", p.name));
    meta.set("llama.context_length", uint32_t(p.contextLength));
    meta.set("llama.embedding_length", uint32_t(p.embedding));
    meta.set("llama.block_count", uint32_t(p.blocks));
    meta.set("llama.feed_forward_length", uint32_t(p.feedForward));
    meta.set("llama.attention.head_count", uint32_t(p.heads));
    meta.set("llama.attention.head_count_kv", uint32_t(p.kvHeads));
    meta.set("llama.attention.layer_norm_rms_epsilon", 1e-6f);
    meta.set("llama.rope.freq_base", p.ropeBase);
    meta.set("llama.rope.dimension_count", uint32_t(headDim));
    if (p.ropeLinearFactor != 1) {
        meta.set("llama.rope.scaling.type", std::string("linear"));
        meta.set("llama.rope.scaling.factor", p.ropeLinearFactor);
    }
    meta.set("llama.vocab_size", uint32_t(p.vocabulary));
    tokenizer::writeTokenizerMetadata(makeVocabulary(p.vocabulary), meta);
    meta.set("tokenizer.chat_template", std::string(kCoderChatTemplate));

    // Every tensor's bytes stay alive until the writer has written them.
    std::vector<std::vector<uint8_t>> storage;
    struct Planned {
        std::string name;
        int64_t cols, rows;
        enum { Matrix, Norm, Embedding, Output } kind;
    };
    std::vector<Planned> planned = {{"token_embd.weight", p.embedding, p.vocabulary, Planned::Embedding}};
    for (int64_t l = 0; l < p.blocks; ++l) {
        const auto name = [&](const char* t) { return fmt::format("blk.{}.{}.weight", l, t); };
        planned.push_back({name("attn_norm"), p.embedding, 1, Planned::Norm});
        planned.push_back({name("attn_q"), p.embedding, p.heads * headDim, Planned::Matrix});
        planned.push_back({name("attn_k"), p.embedding, p.kvHeads * headDim, Planned::Matrix});
        planned.push_back({name("attn_v"), p.embedding, p.kvHeads * headDim, Planned::Matrix});
        planned.push_back({name("attn_output"), p.heads * headDim, p.embedding, Planned::Matrix});
        planned.push_back({name("ffn_norm"), p.embedding, 1, Planned::Norm});
        planned.push_back({name("ffn_gate"), p.embedding, p.feedForward, Planned::Matrix});
        planned.push_back({name("ffn_up"), p.embedding, p.feedForward, Planned::Matrix});
        planned.push_back({name("ffn_down"), p.feedForward, p.embedding, Planned::Matrix});
    }
    planned.push_back({"output_norm.weight", p.embedding, 1, Planned::Norm});
    planned.push_back({"output.weight", p.embedding, p.vocabulary, Planned::Output});

    Gaussian gaussian(options.seed);
    storage.reserve(planned.size());
    for (size_t i = 0; i < planned.size(); ++i) {
        const Planned& t = planned[i];
        std::vector<float> values(size_t(t.cols * t.rows));
        if (t.kind == Planned::Norm) {
            for (float& v : values)
                v = gaussian.uniform(0.8f, 1.2f);
            storage.push_back(quant::quantize(TensorType::F32, values));
            writer.addTensor(t.name, TensorType::F32, {uint64_t(t.cols)}, storage.back());
        } else {
            // Embeddings N(0, 1); matrices N(0, 1/n_in); the output a little sharper, so that
            // next-token distributions are peaked as a trained model's are.
            const float sigma = t.kind == Planned::Embedding ? 1.0f
                                : t.kind == Planned::Output  ? 4.0f / std::sqrt(float(t.cols))
                                                             : 1.0f / std::sqrt(float(t.cols));
            for (float& v : values)
                v = sigma * gaussian();
            storage.push_back(quant::quantize(options.type, values));
            writer.addTensor(t.name, options.type, {uint64_t(t.cols), uint64_t(t.rows)}, storage.back());
        }
        if (progress)
            progress(i + 1, planned.size());
    }
    meta.set("general.file_type", uint32_t(options.type == TensorType::F32    ? 0
                                           : options.type == TensorType::F16  ? 1
                                           : options.type == TensorType::Q4_0 ? 2
                                           : options.type == TensorType::Q8_0 ? 7
                                                                              : 32)); // llama.cpp's file type codes
    writer.write(path);
}

} // namespace latent
