#pragma once

#include "engine/backend/backend.h"
#include "engine/model/model.h"

namespace latent::gguf {
class Metadata;
}

namespace latent {

// The `deepseek2` architecture (DeepSeek-V2, V2-Lite, Coder-V2, V2.5, V3, R1): multi-head latent
// attention over a compressed cache, and DeepSeekMoE feed-forwards after the leading dense ones.
// Every value comes from the file's `deepseek2.*` keys (../shared/docs/deepseek-models.md).
struct DeepSeek2HyperParameters {
    int64_t embedding = 0;
    int64_t blocks = 0;
    int64_t heads = 0;
    int64_t contextLength = 0;
    int64_t queryRank = 0;  // q_lora_rank; 0: the query is one matrix (V2-Lite)
    int64_t latentDim = 0;  // kv_lora_rank
    int64_t nopeDim = 0;    // per head: key/query values without position
    int64_t ropeDim = 0;    // per head: rotated values
    int64_t valueDim = 0;   // per head
    int64_t feedForward = 0;       // the leading dense layers' width
    int64_t leadingDenseBlocks = 0;
    int64_t expertFeedForward = 0; // each expert's width
    int64_t experts = 0;
    int64_t sharedExperts = 0;
    MoeRouting routing;
    float rmsEpsilon = 1e-6f;
    RopeParams rope;        // for a head's query ([nope | rope]); keys use the same with headDim = ropeDim
    float attentionScale = 0;

    int64_t queryHeadDim() const { return nopeDim + ropeDim; }
    bool isMoeBlock(int64_t block) const { return block >= leadingDenseBlocks && experts > 0; }

    static DeepSeek2HyperParameters read(const gguf::Metadata& metadata);
};

// The latent cache: latentDim + ropeDim F16 values per position and layer.
uint64_t deepSeek2CacheBytesPerToken(const DeepSeek2HyperParameters& hp);

std::unique_ptr<Model> loadDeepSeek2Model(std::shared_ptr<const gguf::GgufFile> file, Backend& backend,
                                          const LoadProgress& progress = {});

} // namespace latent
