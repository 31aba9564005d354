// Test models of the `deepseek2` architecture (DeepSeek-V2, V2-Lite, Coder-V2, V3): MLA in either
// tensor layout, with or without the query's low-rank bottleneck, and DeepSeekMoE with each
// routing the real models use.

#include "engine/model/test_model_writer.h"

#include <fmt/format.h>

#include <algorithm>

namespace latent::detail {
namespace {

// DeepSeek-V2-Chat's conversation format (recognized as the deepseek-llm chat format).
constexpr std::string_view kV2ChatTemplate =
    "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
    "{{ 'User: ' + message['content'] + '\\n\\n' }}{% elif message['role'] == 'assistant' %}"
    "{{ 'Assistant: ' + message['content'] + eos_token }}{% elif message['role'] == 'system' %}"
    "{{ message['content'] + '\\n\\n' }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}";

struct DeepSeek2Preset {
    TestModelPreset about;
    int64_t vocabulary, embedding, blocks, heads;
    int64_t queryRank, latentDim, nopeDim, ropeDim, valueDim;
    int64_t feedForward, leadingDense, expertFeedForward, experts, used, shared, groups, groupsUsed;
    bool sigmoid, normalize;
    float scale;
    float yarnLogMultiplier; // 0.1 * mscale_all_dim
    bool legacyLayout;       // attn_kv_b and no `_mla` keys, as files converted before MLA-era llama.cpp
};

const std::vector<DeepSeek2Preset> kPresets = {
    {{"tiny-v2-lite", "V2-Lite in small: no query bottleneck, softmax top-2 of 8, 2 shared experts, 1 dense + 2 MoE"},
     512, 64, 3, 4, 0, 64, 32, 16, 32, 192, 1, 64, 8, 2, 2, 1, 1, false, false, 1.0f, 0.0707f, false},
    {{"tiny-v2-lite-legacy", "tiny-v2-lite stored the older way (attn_kv_b, no _mla keys)"},
     512, 64, 3, 4, 0, 64, 32, 16, 32, 192, 1, 64, 8, 2, 2, 1, 1, false, false, 1.0f, 0.0707f, true},
    {{"tiny-v2", "V2 in small: query bottleneck, group-limited softmax (4 groups, best 2), scale 16"},
     512, 64, 3, 4, 32, 64, 32, 16, 32, 192, 1, 64, 8, 2, 2, 4, 2, false, false, 16.0f, 0.0707f, false},
    {{"tiny-v3", "V3 in small: sigmoid routing with bias, 4 groups keep 2, normalized, scale 2.5, 1 shared"},
     512, 64, 3, 4, 32, 64, 32, 16, 32, 192, 1, 64, 8, 2, 1, 4, 2, true, true, 2.5f, 0.1f, false},
    {{"small-v2-lite", "V2-Lite with rows of 256 (K-quants apply): 8 heads, latent 256, 3 blocks, 8 experts"},
     2048, 256, 3, 8, 0, 256, 32, 16, 32, 512, 1, 256, 8, 2, 2, 1, 1, false, false, 1.0f, 0.0707f, false},
    {{"v2-lite", "DeepSeek-V2-Lite's shape: 27 blocks of 2048, 16 heads, 64 experts (6 + 2 shared), 15.7B"},
     102400, 2048, 27, 16, 0, 512, 128, 64, 128, 10944, 1, 1408, 64, 6, 2, 1, 1, false, false, 1.0f, 0.0707f, false},
};

} // namespace

std::vector<TestModelPreset> deepSeek2TestModelPresets()
{
    std::vector<TestModelPreset> presets;
    for (const DeepSeek2Preset& p : kPresets)
        presets.push_back(p.about);
    return presets;
}

void writeDeepSeek2TestModel(const TestModelOptions& options, const std::filesystem::path& path,
                             const std::function<void(size_t, size_t)>& progress)
{
    const DeepSeek2Preset& p = *std::find_if(
        kPresets.begin(), kPresets.end(), [&](const DeepSeek2Preset& preset) { return preset.about.name == options.preset; });
    TestModelWriter writer(options, "deepseek2", p.about.name);
    gguf::Metadata& meta = writer.metadata();
    const auto u32 = [&](const char* key, int64_t value) { meta.set(fmt::format("deepseek2.{}", key), uint32_t(value)); };
    const auto f32 = [&](const char* key, float value) { meta.set(fmt::format("deepseek2.{}", key), value); };
    u32("context_length", 163840);
    u32("embedding_length", p.embedding);
    u32("block_count", p.blocks);
    u32("feed_forward_length", p.feedForward);
    u32("attention.head_count", p.heads);
    f32("attention.layer_norm_rms_epsilon", 1e-6f);
    u32("attention.q_lora_rank", p.queryRank); // 0: none (llama.cpp requires the key)
    u32("attention.kv_lora_rank", p.latentDim);
    if (p.legacyLayout) {
        u32("attention.head_count_kv", p.heads);
        u32("attention.key_length", p.nopeDim + p.ropeDim);
        u32("attention.value_length", p.valueDim);
    } else {
        u32("attention.head_count_kv", 1);
        u32("attention.key_length", p.latentDim + p.ropeDim);
        u32("attention.value_length", p.latentDim);
        u32("attention.key_length_mla", p.nopeDim + p.ropeDim);
        u32("attention.value_length_mla", p.valueDim);
    }
    u32("rope.dimension_count", p.ropeDim);
    f32("rope.freq_base", 10000.0f);
    meta.set("deepseek2.rope.scaling.type", std::string("yarn"));
    f32("rope.scaling.factor", 40.0f);
    u32("rope.scaling.original_context_length", 4096);
    f32("rope.scaling.yarn_log_multiplier", p.yarnLogMultiplier);
    u32("leading_dense_block_count", p.leadingDense);
    u32("expert_feed_forward_length", p.expertFeedForward);
    u32("expert_count", p.experts);
    u32("expert_used_count", p.used);
    u32("expert_shared_count", p.shared);
    f32("expert_weights_scale", p.scale);
    meta.set("deepseek2.expert_weights_norm", p.normalize);
    u32("expert_gating_func", p.sigmoid ? 2 : 1);
    if (p.groups > 1) {
        u32("expert_group_count", p.groups);
        u32("expert_group_used_count", p.groupsUsed);
    }
    u32("vocab_size", p.vocabulary);
    writer.addVocabulary(p.vocabulary, kV2ChatTemplate);

    using Kind = TestModelWriter::Kind;
    const int64_t e = p.embedding, heads = p.heads, latent = p.latentDim, nope = p.nopeDim, value = p.valueDim;
    writer.plan("token_embd.weight", Kind::Embedding, {e, p.vocabulary});
    for (int64_t l = 0; l < p.blocks; ++l) {
        const auto name = [&](const char* t, const char* kind = "weight") { return fmt::format("blk.{}.{}.{}", l, t, kind); };
        writer.plan(name("attn_norm"), Kind::Norm, {e});
        if (p.queryRank > 0) {
            writer.plan(name("attn_q_a"), Kind::Matrix, {e, p.queryRank});
            writer.plan(name("attn_q_a_norm"), Kind::Norm, {p.queryRank});
            writer.plan(name("attn_q_b"), Kind::Matrix, {p.queryRank, heads * (nope + p.ropeDim)});
        } else {
            writer.plan(name("attn_q"), Kind::Matrix, {e, heads * (nope + p.ropeDim)});
        }
        writer.plan(name("attn_kv_a_mqa"), Kind::Matrix, {e, latent + p.ropeDim});
        writer.plan(name("attn_kv_a_norm"), Kind::Norm, {latent});
        // One drawn matrix [latent, heads * (nope + value)], stored whole (older files) or as
        // each head's key half transposed and value half (as llama.cpp's converter splits it).
        const std::vector<int64_t> kvShape = {latent, heads * (nope + value)};
        if (p.legacyLayout) {
            writer.plan(name("attn_kv_b"), Kind::Matrix, kvShape);
        } else {
            writer.plan(
                name("attn_k_b"), {nope, latent, heads},
                [=](const std::vector<float>& kv) {
                    std::vector<float> out(size_t(nope * latent * heads));
                    for (int64_t h = 0; h < heads; ++h)
                        for (int64_t i = 0; i < nope; ++i)
                            for (int64_t r = 0; r < latent; ++r)
                                out[size_t((h * latent + r) * nope + i)] = kv[size_t((h * (nope + value) + i) * latent + r)];
                    return out;
                },
                name("attn_kv_b"), kvShape);
            writer.plan(
                name("attn_v_b"), {latent, value, heads},
                [=](const std::vector<float>& kv) {
                    std::vector<float> out;
                    for (int64_t h = 0; h < heads; ++h) {
                        const auto first = kv.begin() + (h * (nope + value) + nope) * latent;
                        out.insert(out.end(), first, first + value * latent);
                    }
                    return out;
                },
                name("attn_kv_b"), kvShape);
        }
        writer.plan(name("attn_output"), Kind::Matrix, {heads * value, e});
        writer.plan(name("ffn_norm"), Kind::Norm, {e});
        if (l < p.leadingDense) {
            writer.plan(name("ffn_gate"), Kind::Matrix, {e, p.feedForward});
            writer.plan(name("ffn_up"), Kind::Matrix, {e, p.feedForward});
            writer.plan(name("ffn_down"), Kind::Matrix, {p.feedForward, e});
            continue;
        }
        writer.plan(name("ffn_gate_inp"), Kind::Router, {e, p.experts});
        if (p.sigmoid)
            writer.plan(name("exp_probs_b", "bias"), Kind::Bias, {p.experts});
        writer.plan(name("ffn_gate_exps"), Kind::Matrix, {e, p.expertFeedForward, p.experts});
        writer.plan(name("ffn_up_exps"), Kind::Matrix, {e, p.expertFeedForward, p.experts});
        writer.plan(name("ffn_down_exps"), Kind::Matrix, {p.expertFeedForward, e, p.experts});
        if (p.shared > 0) {
            writer.plan(name("ffn_gate_shexp"), Kind::Matrix, {e, p.expertFeedForward * p.shared});
            writer.plan(name("ffn_up_shexp"), Kind::Matrix, {e, p.expertFeedForward * p.shared});
            writer.plan(name("ffn_down_shexp"), Kind::Matrix, {p.expertFeedForward * p.shared, e});
        }
    }
    writer.plan("output_norm.weight", Kind::Norm, {e});
    writer.plan("output.weight", Kind::Output, {e, p.vocabulary});
    writer.write(path, progress);
}

} // namespace latent::detail
