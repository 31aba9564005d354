#include "engine/model/llama_model.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/blocks.h"
#include "engine/model/model_weights.h"

#include <fmt/format.h>

#include <cmath>

namespace latent {

LlamaHyperParameters LlamaHyperParameters::read(const gguf::Metadata& meta)
{
    LlamaHyperParameters hp;
    const auto integer = [&](const char* key) { return meta.getInteger<int64_t>(fmt::format("llama.{}", key)); };
    hp.embedding = integer("embedding_length");
    hp.blocks = integer("block_count");
    hp.heads = integer("attention.head_count");
    hp.kvHeads = meta.getIntegerOptional<int64_t>("llama.attention.head_count_kv").value_or(hp.heads);
    hp.feedForward = integer("feed_forward_length");
    hp.contextLength = integer("context_length");
    hp.rmsEpsilon = float(meta.getFloat("llama.attention.layer_norm_rms_epsilon"));
    if (meta.contains("llama.rope.freq_base"))
        hp.ropeBase = float(meta.getFloat("llama.rope.freq_base"));
    // Linear RoPE scaling, in the newer or the older key (DeepSeek-Coder: factor 4).
    const std::string scalingType = meta.getOptional<std::string>("llama.rope.scaling.type").value_or("");
    if (scalingType == "linear" && meta.contains("llama.rope.scaling.factor"))
        hp.ropeFreqScale = float(1.0 / meta.getFloat("llama.rope.scaling.factor"));
    else if (!scalingType.empty() && scalingType != "none")
        throw Error(fmt::format("{}: llama.rope.scaling.type '{}' is not supported (linear is)", meta.source(),
                                scalingType));
    else if (meta.contains("llama.rope.scale_linear"))
        hp.ropeFreqScale = float(1.0 / meta.getFloat("llama.rope.scale_linear"));

    const auto check = [&](bool ok, const std::string& what) {
        if (!ok)
            throw Error(fmt::format("{}: {}; the file is corrupt or not a llama model", meta.source(), what),
                        ErrorKind::ModelDataInvalid);
    };
    check(hp.embedding > 0 && hp.blocks > 0 && hp.heads > 0 && hp.feedForward > 0 && hp.contextLength > 0,
          "a hyper-parameter is zero or negative");
    check(hp.embedding % hp.heads == 0, "llama.embedding_length is not a multiple of the head count");
    check(hp.kvHeads > 0 && hp.heads % hp.kvHeads == 0,
          "llama.attention.head_count is not a multiple of llama.attention.head_count_kv");
    hp.headDim = hp.embedding / hp.heads;
    hp.ropeDims = meta.getIntegerOptional<int64_t>("llama.rope.dimension_count").value_or(hp.headDim);
    check(hp.ropeDims > 0 && hp.ropeDims <= hp.headDim && hp.ropeDims % 2 == 0,
          "llama.rope.dimension_count must be even and at most the head size");
    check(hp.rmsEpsilon > 0 && hp.ropeBase > 0 && hp.ropeFreqScale > 0 && std::isfinite(hp.ropeFreqScale),
          "an epsilon, RoPE base or scale is not positive");
    return hp;
}

uint64_t llamaCacheBytesPerToken(const LlamaHyperParameters& hp)
{
    return uint64_t(hp.blocks) * 2 * uint64_t(hp.kvHeads * hp.headDim) * sizeof(uint16_t);
}

namespace {

class LlamaModel final : public Model {
public:
    LlamaModel(std::shared_ptr<const gguf::GgufFile> file, Backend& backend, const LoadProgress& progress)
        : file_(std::move(file)), backend_(backend), hp_(LlamaHyperParameters::read(file_->metadata()))
    {
        WeightLoader load(*file_, backend_, progress);
        const int64_t e = hp_.embedding, qDim = hp_.heads * hp_.headDim, kvDim = hp_.kvHeads * hp_.headDim;
        tokenEmbedding_ = load.matrix("token_embd.weight", e, -1, WeightUse::Lookup);
        const int64_t vocab = tokenEmbedding_.rows;
        for (int64_t l = 0; l < hp_.blocks; ++l) {
            const auto name = [&](const char* tensor) { return fmt::format("blk.{}.{}.weight", l, tensor); };
            Layer layer;
            layer.attentionNorm = load.vector(name("attn_norm"), e);
            layer.query = load.matrix(name("attn_q"), e, qDim);
            layer.key = load.matrix(name("attn_k"), e, kvDim);
            layer.value = load.matrix(name("attn_v"), e, kvDim);
            layer.attentionOutput = load.matrix(name("attn_output"), qDim, e);
            layer.ffnNorm = load.vector(name("ffn_norm"), e);
            layer.feedForward = {load.matrix(name("ffn_gate"), e, hp_.feedForward),
                                 load.matrix(name("ffn_up"), e, hp_.feedForward),
                                 load.matrix(name("ffn_down"), hp_.feedForward, e)};
            layers_.push_back(std::move(layer));
        }
        head_ = OutputHead::load(load, tokenEmbedding_, hp_.rmsEpsilon);

        info_ = describeModel(*file_, "llama", vocab, hp_.contextLength, e, hp_.blocks, llamaCacheBytesPerToken(hp_));
    }

    const ModelInfo& info() const override { return info_; }

    KvCache createCache(int64_t contextLength) override
    {
        std::vector<KeyValueCache> layers;
        for (int64_t l = 0; l < hp_.blocks; ++l)
            layers.push_back({.keys = backend_.allocateCache(hp_.kvHeads, hp_.headDim, contextLength),
                              .values = backend_.allocateCache(hp_.kvHeads, hp_.headDim, contextLength)});
        return {.layers = std::move(layers), .capacity = contextLength};
    }

    void forward(KvCache& cache, std::span<const int32_t> tokens, int64_t firstPosition, Logits which,
                 std::vector<float>& logits) override
    {
        const auto n = int64_t(tokens.size());
        const std::vector<int32_t> positions = tokenPositions(tokens, info_.vocabularySize, firstPosition);
        Scratch& s = scratch(n);
        const RopeParams rope{.headDim = int(hp_.headDim),
                              .ropeDims = int(hp_.ropeDims),
                              .freqBase = hp_.ropeBase,
                              .freqScale = hp_.ropeFreqScale};
        const AttentionParams attention{.heads = int(hp_.heads),
                                        .kvHeads = int(hp_.kvHeads),
                                        .headDim = int(hp_.headDim),
                                        .firstPosition = firstPosition,
                                        .scale = float(1.0 / std::sqrt(double(hp_.headDim)))};

        Tensor x = s.x.rowsView(0, n), norm = s.norm.rowsView(0, n), q = s.q.rowsView(0, n),
               k = s.k.rowsView(0, n), v = s.v.rowsView(0, n), attended = s.attended.rowsView(0, n),
               projected = s.projected.rowsView(0, n), gate = s.gate.rowsView(0, n), up = s.up.rowsView(0, n);
        std::vector<KeyValueCache>& cacheLayers = cache.layersOf<KeyValueCache>();
        backend_.getRows(x, tokenEmbedding_, tokens);
        for (size_t l = 0; l < layers_.size(); ++l) {
            const Layer& layer = layers_[l];
            Tensor& keys = cacheLayers[l].keys;
            Tensor& values = cacheLayers[l].values;
            // Attention: x += W_o attention(rope(W_q norm(x)), cache + rope(W_k norm(x)), cache + W_v norm(x)),
            // x having taken the last layer's feed-forward first.
            if (l == 0)
                backend_.rmsNorm(norm, x, layer.attentionNorm, hp_.rmsEpsilon);
            else
                backend_.addAndNorm(x, projected, norm, layer.attentionNorm, hp_.rmsEpsilon);
            const Product queryKeyValue[] = {{&q, &layer.query}, {&k, &layer.key}, {&v, &layer.value}};
            backend_.matmuls(queryKeyValue, norm);
            backend_.rope(q, positions, rope);
            backend_.ropeAndStore(keys, k, positions, rope, firstPosition);
            backend_.store(values, v, firstPosition);
            backend_.attention(attended, q, keys, values, attention);
            backend_.matmul(projected, layer.attentionOutput, attended);
            // Feed-forward: x += W_down (silu(W_gate norm(x)) * W_up norm(x)), added to x by the next
            // layer's norm (or below, after the last).
            backend_.addAndNorm(x, projected, norm, layer.ffnNorm, hp_.rmsEpsilon);
            layer.feedForward.apply(backend_, projected, norm, gate, up);
        }
        backend_.add(x, x, projected);
        head_.apply(backend_, x, which, s.norm, s.logits, logits);
    }

private:
    struct Layer {
        Tensor attentionNorm, query, key, value, attentionOutput; // norm (e); q (e -> heads*hd); k, v (e -> kv*hd); o
        Tensor ffnNorm;                                            // (e)
        FeedForward feedForward;                                   // e -> ff -> e
    };

    // Activations for batches of up to `tokens` tokens, kept between calls.
    struct Scratch {
        int64_t tokens = 0;
        Tensor x, norm, q, k, v, attended, projected, gate, up, logits;
    };

    Scratch& scratch(int64_t n)
    {
        if (scratch_.tokens >= n)
            return scratch_;
        const auto f32 = [&](int64_t cols) { return backend_.allocate(gguf::TensorType::F32, cols, n); };
        const int64_t e = hp_.embedding, kvDim = hp_.kvHeads * hp_.headDim;
        scratch_ = Scratch{n,
                           f32(e),
                           f32(e),
                           f32(hp_.heads * hp_.headDim),
                           f32(kvDim),
                           f32(kvDim),
                           f32(hp_.heads * hp_.headDim),
                           f32(e),
                           f32(hp_.feedForward),
                           f32(hp_.feedForward),
                           f32(info_.vocabularySize)};
        return scratch_;
    }

    std::shared_ptr<const gguf::GgufFile> file_;
    Backend& backend_;
    LlamaHyperParameters hp_;
    ModelInfo info_;
    Tensor tokenEmbedding_; // (vocab, e)
    OutputHead head_;
    std::vector<Layer> layers_;
    Scratch scratch_;
};

} // namespace

std::unique_ptr<Model> loadLlamaModel(std::shared_ptr<const gguf::GgufFile> file, Backend& backend,
                                      const LoadProgress& progress)
{
    return std::make_unique<LlamaModel>(std::move(file), backend, progress);
}

} // namespace latent
