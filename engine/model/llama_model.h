#pragma once

#include "engine/model/model.h"

namespace latent::gguf {
class Metadata;
}

namespace latent {

// The `llama` architecture (DeepSeek-Coder, deepseek-llm, deepseek-math): pre-norm blocks of
// RMSNorm, grouped-query attention with RoPE, and a SwiGLU feed-forward.
struct LlamaHyperParameters {
    int64_t embedding = 0;   // n_embd
    int64_t blocks = 0;
    int64_t heads = 0;
    int64_t kvHeads = 0;     // < heads: grouped-query attention
    int64_t headDim = 0;     // embedding / heads
    int64_t feedForward = 0; // n_ff
    int64_t contextLength = 0;
    int64_t ropeDims = 0;
    float rmsEpsilon = 1e-6f;
    float ropeBase = 10000;
    float ropeFreqScale = 1; // 1 / linear scaling factor (DeepSeek-Coder: 1/4)

    static LlamaHyperParameters read(const gguf::Metadata& metadata);
};

// Keys and values in F16 for every layer.
uint64_t llamaCacheBytesPerToken(const LlamaHyperParameters& hp);

std::unique_ptr<Model> loadLlamaModel(std::shared_ptr<const gguf::GgufFile> file, Backend& backend,
                                      const LoadProgress& progress = {});

} // namespace latent
