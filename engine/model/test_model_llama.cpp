// Test models of the `llama` architecture (DeepSeek-Coder, deepseek-llm).

#include "engine/model/test_model_writer.h"

#include "engine/core/error.h"

#include <fmt/format.h>

#include <algorithm>

namespace latent::detail {
namespace {

// DeepSeek-Coder instruct's chat template (recognized as the deepseek-coder chat format).
constexpr std::string_view kCoderChatTemplate =
    "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
    "{{bos_token}}{%- for message in messages %}{%- if message['role'] == 'system' %}{{ message['content'] }}"
    "{%- elif message['role'] == 'user' %}{{'### Instruction:\\n' + message['content'] + '\\n'}}"
    "{%- else %}{{'### Response:\\n' + message['content'] + '\\n<|EOT|>\\n'}}{%- endif %}{%- endfor %}"
    "{% if add_generation_prompt %}{{'### Response:'}}{% endif %}";

struct LlamaPreset {
    TestModelPreset about;
    int64_t vocabulary, embedding, blocks, heads, kvHeads, feedForward, contextLength;
    float ropeBase;
    float ropeLinearFactor; // 1: no scaling
};

const std::vector<LlamaPreset> kPresets = {
    {{"tiny", "2 blocks of 64, GQA 4/2 heads: unit tests"}, 512, 64, 2, 4, 2, 192, 512, 10000, 1},
    {{"tiny-coder", "2 blocks of 64, 4 heads, RoPE base 1e5 scaled x4 (DeepSeek-Coder's)"}, 512, 64, 2, 4, 4, 192, 1024,
     100000, 4},
    {{"small", "4 blocks of 256, 8 heads"}, 2048, 256, 4, 8, 8, 704, 2048, 10000, 1},
    {{"coder-1.3b", "DeepSeek-Coder-1.3B's shape: 24 blocks of 2048, 16 heads, vocabulary 32256"}, 32256, 2048, 24, 16,
     16, 5504, 16384, 100000, 4},
};

} // namespace

std::vector<TestModelPreset> llamaTestModelPresets()
{
    std::vector<TestModelPreset> presets;
    for (const LlamaPreset& p : kPresets)
        presets.push_back(p.about);
    return presets;
}

void writeLlamaTestModel(const TestModelOptions& options, const std::filesystem::path& path,
                         const std::function<void(size_t, size_t)>& progress)
{
    const LlamaPreset& p = *std::find_if(kPresets.begin(), kPresets.end(),
                                         [&](const LlamaPreset& preset) { return preset.about.name == options.preset; });
    const int64_t headDim = p.embedding / p.heads;
    TestModelWriter writer(options, "llama", p.about.name);
    gguf::Metadata& meta = writer.metadata();
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
    writer.addVocabulary(p.vocabulary, kCoderChatTemplate);

    using Kind = TestModelWriter::Kind;
    writer.plan("token_embd.weight", Kind::Embedding, {p.embedding, p.vocabulary});
    for (int64_t l = 0; l < p.blocks; ++l) {
        const auto name = [&](const char* t) { return fmt::format("blk.{}.{}.weight", l, t); };
        writer.plan(name("attn_norm"), Kind::Norm, {p.embedding});
        writer.plan(name("attn_q"), Kind::Matrix, {p.embedding, p.heads * headDim});
        writer.plan(name("attn_k"), Kind::Matrix, {p.embedding, p.kvHeads * headDim});
        writer.plan(name("attn_v"), Kind::Matrix, {p.embedding, p.kvHeads * headDim});
        writer.plan(name("attn_output"), Kind::Matrix, {p.heads * headDim, p.embedding});
        writer.plan(name("ffn_norm"), Kind::Norm, {p.embedding});
        writer.plan(name("ffn_gate"), Kind::Matrix, {p.embedding, p.feedForward});
        writer.plan(name("ffn_up"), Kind::Matrix, {p.embedding, p.feedForward});
        writer.plan(name("ffn_down"), Kind::Matrix, {p.feedForward, p.embedding});
    }
    writer.plan("output_norm.weight", Kind::Norm, {p.embedding});
    writer.plan("output.weight", Kind::Output, {p.embedding, p.vocabulary});
    writer.write(path, progress);
}

} // namespace latent::detail
