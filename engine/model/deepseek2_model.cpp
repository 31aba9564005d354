#include "engine/model/deepseek2_model.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/blocks.h"
#include "engine/model/model_weights.h"
#include "engine/quant/quantize.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace latent {
namespace {

// YaRN's correction range: the rotary pairs whose wavelength fits `rotations` times in the
// original context; pairs below the range keep their frequency, pairs above it are interpolated.
float yarnCorrectionDim(int64_t ropeDims, int64_t originalContext, float base, float rotations)
{
    return float(ropeDims) * std::log(float(originalContext) / (rotations * 2.0f * std::numbers::pi_v<float>)) /
           (2.0f * std::log(base));
}

} // namespace

DeepSeek2HyperParameters DeepSeek2HyperParameters::read(const gguf::Metadata& meta)
{
    const auto key = [](const char* name) { return fmt::format("deepseek2.{}", name); };
    const auto integer = [&](const char* name) { return meta.getInteger<int64_t>(key(name)); };
    const auto optionalInteger = [&](const char* name, int64_t fallback) {
        return meta.getIntegerOptional<int64_t>(key(name)).value_or(fallback);
    };
    const auto optionalFloat = [&](const char* name, double fallback) {
        return meta.contains(key(name)) ? meta.getFloat(key(name)) : fallback;
    };
    DeepSeek2HyperParameters hp;
    hp.embedding = integer("embedding_length");
    hp.blocks = integer("block_count");
    hp.heads = integer("attention.head_count");
    hp.contextLength = integer("context_length");
    hp.queryRank = optionalInteger("attention.q_lora_rank", 0);
    hp.latentDim = integer("attention.kv_lora_rank");
    hp.ropeDim = integer("rope.dimension_count");
    // Files converted since llama.cpp stores MLA as such give the per-head sizes in the `_mla`
    // keys (key_length is then latent + rope); older files give them in key_length/value_length.
    const bool mlaKeys = meta.contains(key("attention.key_length_mla"));
    const int64_t keyLength = mlaKeys ? integer("attention.key_length_mla") : integer("attention.key_length");
    hp.valueDim = mlaKeys ? integer("attention.value_length_mla") : integer("attention.value_length");
    hp.nopeDim = keyLength - hp.ropeDim;
    hp.feedForward = integer("feed_forward_length");
    hp.leadingDenseBlocks = optionalInteger("leading_dense_block_count", 0);
    hp.experts = optionalInteger("expert_count", 0);
    hp.rmsEpsilon = float(meta.getFloat(key("attention.layer_norm_rms_epsilon")));
    if (hp.experts > 0) {
        hp.expertFeedForward = integer("expert_feed_forward_length");
        hp.sharedExperts = optionalInteger("expert_shared_count", 0);
        MoeRouting& r = hp.routing;
        r.experts = int(hp.experts);
        r.used = int(integer("expert_used_count"));
        // 1: softmax (V2), 2: sigmoid (V3); absent means softmax.
        const int64_t gating = optionalInteger("expert_gating_func", 1);
        if (gating != 1 && gating != 2)
            throw Error(fmt::format("{}: deepseek2.expert_gating_func is {}; 1 (softmax) and 2 (sigmoid) are known",
                                    meta.source(), gating));
        r.gating = gating == 2 ? MoeRouting::Gating::Sigmoid : MoeRouting::Gating::Softmax;
        r.groups = int(optionalInteger("expert_group_count", 1));
        r.groupsUsed = int(optionalInteger("expert_group_used_count", r.groups));
        r.normalize = meta.getOptional<bool>(key("expert_weights_norm")).value_or(false);
        r.scale = float(optionalFloat("expert_weights_scale", 1.0));
    }

    // RoPE on the rope dims of each head, with YaRN where the file configures it.
    RopeParams& rope = hp.rope;
    rope.headDim = int(hp.nopeDim + hp.ropeDim);
    rope.firstDim = int(hp.nopeDim);
    rope.ropeDims = int(hp.ropeDim);
    rope.freqBase = float(optionalFloat("rope.freq_base", 10000.0));
    const std::string scaling = meta.getOptional<std::string>(key("rope.scaling.type")).value_or("none");
    const double factor = optionalFloat("rope.scaling.factor", 1.0);
    double mscale = 1;
    if (scaling == "yarn" && factor > 1) {
        rope.freqScale = float(1.0 / factor);
        const int64_t originalContext = optionalInteger("rope.scaling.original_context_length", hp.contextLength);
        const auto betaFast = float(optionalFloat("rope.scaling.yarn_beta_fast", 32.0));
        const auto betaSlow = float(optionalFloat("rope.scaling.yarn_beta_slow", 1.0));
        rope.yarnLow = std::max(0.0f, std::floor(yarnCorrectionDim(hp.ropeDim, originalContext, rope.freqBase, betaFast)));
        rope.yarnHigh = std::min(float(hp.ropeDim - 1),
                                 std::ceil(yarnCorrectionDim(hp.ropeDim, originalContext, rope.freqBase, betaSlow)));
        // The attention's temperature correction: yarn_log_multiplier is stored as
        // 0.1 * mscale_all_dim, so mscale = 1 + multiplier * ln(factor); it enters squared.
        mscale = 1.0 + optionalFloat("rope.scaling.yarn_log_multiplier", 0.0) * std::log(factor);
    } else if (scaling == "linear") {
        rope.freqScale = float(1.0 / factor);
    } else if (scaling != "none") {
        throw Error(fmt::format("{}: deepseek2.rope.scaling.type '{}' is not supported (yarn, linear and none are)",
                                meta.source(), scaling));
    }
    hp.attentionScale = float(mscale * mscale / std::sqrt(double(keyLength)));

    const auto check = [&](bool ok, const std::string& what) {
        if (!ok)
            throw Error(fmt::format("{}: {}; the file is corrupt or not a deepseek2 model", meta.source(), what),
                        ErrorKind::ModelDataInvalid);
    };
    check(hp.embedding > 0 && hp.blocks > 0 && hp.heads > 0 && hp.contextLength > 0 && hp.latentDim > 0 &&
              hp.feedForward >= 0 && hp.valueDim > 0 && hp.queryRank >= 0,
          "a hyper-parameter is zero or negative");
    check(hp.ropeDim > 0 && hp.ropeDim % 2 == 0 && hp.nopeDim > 0,
          "deepseek2.rope.dimension_count must be even and below the key length");
    check(hp.leadingDenseBlocks >= 0 && hp.leadingDenseBlocks <= hp.blocks,
          "deepseek2.leading_dense_block_count is beyond the block count");
    check(hp.leadingDenseBlocks == hp.blocks || hp.experts > 0, "MoE blocks need deepseek2.expert_count");
    if (hp.experts > 0) {
        const MoeRouting& r = hp.routing;
        check(hp.expertFeedForward > 0 && hp.sharedExperts >= 0 && r.used > 0 && r.used <= r.experts,
              "deepseek2.expert_used_count must be between 1 and expert_count");
        check(r.groups > 0 && r.experts % r.groups == 0 && r.groupsUsed > 0 && r.groupsUsed <= r.groups &&
                  r.used <= r.experts / r.groups * r.groupsUsed,
              "deepseek2.expert_group_count and expert_group_used_count leave too few experts to choose from");
    }
    check(hp.rmsEpsilon > 0 && rope.freqBase > 0 && std::isfinite(hp.attentionScale) && hp.attentionScale > 0,
          "an epsilon, RoPE base or YaRN value is not positive");
    return hp;
}

uint64_t deepSeek2CacheBytesPerToken(const DeepSeek2HyperParameters& hp)
{
    return uint64_t(hp.blocks) * uint64_t(hp.latentDim + hp.ropeDim) * sizeof(uint16_t);
}

namespace {

class DeepSeek2Model final : public Model {
public:
    DeepSeek2Model(std::shared_ptr<const gguf::GgufFile> file, Backend& backend, const LoadProgress& progress)
        : file_(std::move(file)), backend_(backend), hp_(DeepSeek2HyperParameters::read(file_->metadata()))
    {
        WeightLoader load(*file_, backend_, progress);
        const int64_t e = hp_.embedding, heads = hp_.heads, queryWidth = heads * hp_.queryHeadDim();
        tokenEmbedding_ = load.matrix("token_embd.weight", e, -1, WeightUse::Lookup);
        const int64_t vocab = tokenEmbedding_.rows;
        for (int64_t l = 0; l < hp_.blocks; ++l) {
            const auto name = [&](const char* tensor, const char* kind = "weight") {
                return fmt::format("blk.{}.{}.{}", l, tensor, kind);
            };
            Layer layer;
            layer.attentionNorm = load.vector(name("attn_norm"), e);
            if (hp_.queryRank > 0) {
                layer.queryDown = load.matrix(name("attn_q_a"), e, hp_.queryRank);
                layer.queryNorm = load.vector(name("attn_q_a_norm"), hp_.queryRank);
                layer.query = load.matrix(name("attn_q_b"), hp_.queryRank, queryWidth);
            } else {
                layer.query = load.matrix(name("attn_q"), e, queryWidth);
            }
            // One matrix makes [c_kv | k_rope]; its two parts are used as two (kept as stored where
            // a backend's regrouping of rows in 16s would not split it there).
            const bool splitsInGroups = hp_.latentDim % 16 == 0 && hp_.ropeDim % 16 == 0;
            const Tensor keyValueDown = load.matrix(name("attn_kv_a_mqa"), e, hp_.latentDim + hp_.ropeDim,
                                                    splitsInGroups ? WeightUse::Product : WeightUse::Fused);
            layer.latentDown = keyValueDown.rowsView(0, hp_.latentDim);
            layer.ropeKey = keyValueDown.rowsView(hp_.latentDim, hp_.ropeDim);
            layer.latentNorm = load.vector(name("attn_kv_a_norm"), hp_.latentDim);
            if (load.contains(name("attn_k_b"))) {
                // Per head a block of rows (of whole groups of 16: a backend may regroup them).
                layer.keyUp = load.matrices(name("attn_k_b"), hp_.nopeDim, hp_.latentDim, heads);
                layer.valueUp = load.matrices(name("attn_v_b"), hp_.latentDim, hp_.valueDim, heads);
            } else {
                splitKeyValueUp(load, name("attn_kv_b"), layer);
            }
            layer.attentionOutput = load.matrix(name("attn_output"), heads * hp_.valueDim, e);
            layer.ffnNorm = load.vector(name("ffn_norm"), e);
            if (!hp_.isMoeBlock(l)) {
                layer.dense = {load.matrix(name("ffn_gate"), e, hp_.feedForward),
                               load.matrix(name("ffn_up"), e, hp_.feedForward),
                               load.matrix(name("ffn_down"), hp_.feedForward, e)};
            } else {
                const int64_t experts = hp_.experts, width = hp_.expertFeedForward;
                layer.router = load.matrix(name("ffn_gate_inp"), e, experts);
                if (load.contains(name("exp_probs_b", "bias")))
                    layer.selectionBias = load.vector(name("exp_probs_b", "bias"), experts);
                layer.experts = {.gate = load.matrices(name("ffn_gate_exps"), e, width, experts),
                                 .up = load.matrices(name("ffn_up_exps"), e, width, experts),
                                 .down = load.matrices(name("ffn_down_exps"), width, e, experts),
                                 .count = experts};
                if (hp_.sharedExperts > 0) {
                    const int64_t sharedWidth = width * hp_.sharedExperts;
                    layer.shared = {load.matrix(name("ffn_gate_shexp"), e, sharedWidth),
                                    load.matrix(name("ffn_up_shexp"), e, sharedWidth),
                                    load.matrix(name("ffn_down_shexp"), sharedWidth, e)};
                }
            }
            layers_.push_back(std::move(layer));
        }
        head_ = OutputHead::load(load, tokenEmbedding_, hp_.rmsEpsilon);

        info_ = describeModel(*file_, "deepseek2", vocab, hp_.contextLength, e, hp_.blocks, deepSeek2CacheBytesPerToken(hp_));
    }

    const ModelInfo& info() const override { return info_; }

    KvCache createCache(int64_t contextLength) override
    {
        std::vector<LatentCache> layers;
        for (int64_t l = 0; l < hp_.blocks; ++l)
            layers.push_back({.latent = backend_.allocate(gguf::TensorType::F16, hp_.latentDim, contextLength),
                              .ropeKey = backend_.allocate(gguf::TensorType::F16, hp_.ropeDim, contextLength)});
        return {.layers = std::move(layers), .capacity = contextLength};
    }

    void forward(KvCache& cache, std::span<const int32_t> tokens, int64_t firstPosition, Logits which,
                 std::vector<float>& logits) override
    {
        const auto n = int64_t(tokens.size());
        const std::vector<int32_t> positions = tokenPositions(tokens, info_.vocabularySize, firstPosition);
        Scratch& s = scratch(n);
        RopeParams keyRope = hp_.rope;
        keyRope.headDim = int(hp_.ropeDim);
        keyRope.firstDim = 0;
        const MlaParams mla{.heads = int(hp_.heads),
                            .nopeDim = int(hp_.nopeDim),
                            .ropeDim = int(hp_.ropeDim),
                            .latentDim = int(hp_.latentDim),
                            .valueDim = int(hp_.valueDim),
                            .firstPosition = firstPosition,
                            .scale = hp_.attentionScale};

        const auto rows = [n](const Tensor& t) { return t.rowsView(0, n); };
        Tensor x = rows(s.x), norm = rows(s.norm), queryDown = rows(s.queryDown), q = rows(s.q),
               latent = rows(s.latent), ropeKey = rows(s.ropeKey), attended = rows(s.attended),
               projected = rows(s.projected), shared = rows(s.shared), gate = rows(s.gate), up = rows(s.up),
               sharedGate = rows(s.sharedGate), sharedUp = rows(s.sharedUp),
               routerLogits = rows(s.routerLogits), ids = rows(s.ids), weights = rows(s.weights);
        std::vector<LatentCache>& cacheLayers = cache.layersOf<LatentCache>();
        backend_.getRows(x, tokenEmbedding_, tokens);
        for (size_t l = 0; l < layers_.size(); ++l) {
            const Layer& layer = layers_[l];
            Tensor& latentCache = cacheLayers[l].latent;
            Tensor& ropeKeyCache = cacheLayers[l].ropeKey;
            // Attention: the query (through a low-rank bottleneck where the file has one), the
            // compressed key/value c_kv and the shared rotated key, then MLA over the cache; x has
            // taken the last layer's feed-forward first.
            if (l == 0)
                backend_.rmsNorm(norm, x, layer.attentionNorm, hp_.rmsEpsilon);
            else
                backend_.addAndNorm(x, projected, norm, layer.attentionNorm, hp_.rmsEpsilon);
            const bool bottleneck = hp_.queryRank > 0;
            const Product fromNorm[] = {{bottleneck ? &queryDown : &q, bottleneck ? &layer.queryDown : &layer.query},
                                        {&latent, &layer.latentDown},
                                        {&ropeKey, &layer.ropeKey}};
            backend_.matmuls(fromNorm, norm);
            if (bottleneck) {
                backend_.rmsNorm(queryDown, queryDown, layer.queryNorm, hp_.rmsEpsilon);
                backend_.matmul(q, layer.query, queryDown);
            }
            backend_.rmsNorm(latent, latent, layer.latentNorm, hp_.rmsEpsilon);
            backend_.rope(q, positions, hp_.rope);
            backend_.ropeAndStore(ropeKeyCache, ropeKey, positions, keyRope, firstPosition);
            backend_.store(latentCache, latent, firstPosition);
            backend_.mlaAttention(attended, q, latentCache, ropeKeyCache, layer.keyUp, layer.valueUp, mla);
            backend_.matmul(projected, layer.attentionOutput, attended);

            // Feed-forward: dense in the leading blocks; then the routed experts plus the shared ones;
            // added to x by the next layer's norm (or below, after the last).
            backend_.addAndNorm(x, projected, norm, layer.ffnNorm, hp_.rmsEpsilon);
            if (!hp_.isMoeBlock(int64_t(l))) {
                layer.dense.apply(backend_, projected, norm, gate, up);
            } else {
                backend_.matmul(routerLogits, layer.router, norm);
                backend_.route(ids, weights, routerLogits, layer.selectionBias.storage ? &layer.selectionBias : nullptr,
                               hp_.routing);
                if (hp_.sharedExperts > 0)
                    backend_.moeWithShared(projected, norm, layer.experts, ids, weights,
                                           {layer.shared.gate, layer.shared.up, layer.shared.down},
                                           {sharedGate, sharedUp, shared});
                else
                    backend_.moe(projected, norm, layer.experts, ids, weights);
            }
        }
        backend_.add(x, x, projected);
        head_.apply(backend_, x, which, s.norm, s.logits, logits);
    }

private:
    struct Layer {
        Tensor attentionNorm;                   // (e)
        Tensor queryDown, queryNorm, query;     // e -> queryRank -> heads * (nope + rope); or e -> ... directly
        Tensor latentDown, latentNorm, ropeKey; // e -> latentDim (then normed); e -> ropeDim
        Tensor keyUp, valueUp;                  // per head: latentDim rows of nope; valueDim rows of latentDim
        Tensor attentionOutput;                 // heads * valueDim -> e
        Tensor ffnNorm;                         // (e)
        FeedForward dense;                      // the leading blocks
        Tensor router, selectionBias;           // e -> experts; experts (V3; empty otherwise)
        ExpertWeights experts;
        FeedForward shared;                     // the shared experts as one feed-forward
    };

    // Older files store one matrix attn_kv_b ([latent, heads * (nope + value)]) where newer ones
    // store its two halves per head, the key half transposed for the absorbed query: the same
    // arrangement is made here once, at load (F16 for 16-bit or quantized sources).
    void splitKeyValueUp(WeightLoader& load, const std::string& name, Layer& layer)
    {
        const int64_t heads = hp_.heads, latentDim = hp_.latentDim, nope = hp_.nopeDim, value = hp_.valueDim;
        load.matrix(name, latentDim, heads * (nope + value), WeightUse::Lookup); // checks shape and type
        const gguf::TensorInfo& info = *file_->findTensor(name);
        const std::vector<float> kvUp = quant::dequantize(info.type, file_->tensorData(info), info.elementCount);
        std::vector<float> keyUp(size_t(heads * latentDim * nope)), valueUp(size_t(heads * value * latentDim));
        for (int64_t h = 0; h < heads; ++h) {
            const float* headRows = kvUp.data() + h * (nope + value) * latentDim;
            for (int64_t i = 0; i < nope; ++i) {
                for (int64_t r = 0; r < latentDim; ++r)
                    keyUp[size_t((h * latentDim + r) * nope + i)] = headRows[i * latentDim + r];
            }
            std::copy_n(headRows + nope * latentDim, value * latentDim, valueUp.begin() + h * value * latentDim);
        }
        const auto type = info.type == gguf::TensorType::F32 ? gguf::TensorType::F32 : gguf::TensorType::F16;
        layer.keyUp = backend_.allocate(type, nope, heads * latentDim);
        backend_.upload(layer.keyUp, keyUp);
        layer.valueUp = backend_.allocate(type, latentDim, heads * value);
        backend_.upload(layer.valueUp, valueUp);
    }

    // Activations for batches of up to `tokens` tokens, kept between calls.
    struct Scratch {
        int64_t tokens = 0;
        Tensor x, norm, queryDown, q, latent, ropeKey, attended, projected, shared, gate, up, sharedGate, sharedUp,
            routerLogits, ids, weights, logits;
    };

    Scratch& scratch(int64_t n)
    {
        if (scratch_.tokens >= n)
            return scratch_;
        const auto f32 = [&](int64_t cols) { return backend_.allocate(gguf::TensorType::F32, std::max<int64_t>(cols, 1), n); };
        const int64_t e = hp_.embedding;
        const int64_t sharedWidth = hp_.expertFeedForward * hp_.sharedExperts;
        const int64_t used = hp_.experts > 0 ? hp_.routing.used : 1;
        scratch_ = Scratch{n,
                           f32(e),
                           f32(e),
                           f32(hp_.queryRank),
                           f32(hp_.heads * hp_.queryHeadDim()),
                           f32(hp_.latentDim),
                           f32(hp_.ropeDim),
                           f32(hp_.heads * hp_.valueDim),
                           f32(e),
                           f32(e),
                           f32(hp_.feedForward),
                           f32(hp_.feedForward),
                           f32(sharedWidth),
                           f32(sharedWidth),
                           f32(hp_.experts),
                           backend_.allocate(gguf::TensorType::I32, used, n),
                           f32(used),
                           f32(info_.vocabularySize)};
        return scratch_;
    }

    std::shared_ptr<const gguf::GgufFile> file_;
    Backend& backend_;
    DeepSeek2HyperParameters hp_;
    ModelInfo info_;
    Tensor tokenEmbedding_; // (vocab, e)
    std::vector<Layer> layers_;
    OutputHead head_;
    Scratch scratch_;
};

} // namespace

std::unique_ptr<Model> loadDeepSeek2Model(std::shared_ptr<const gguf::GgufFile> file, Backend& backend,
                                          const LoadProgress& progress)
{
    return std::make_unique<DeepSeek2Model>(std::move(file), backend, progress);
}

} // namespace latent
