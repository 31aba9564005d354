#pragma once

#include "engine/backend/backend.h"
#include "engine/model/model_weights.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace latent::gguf {
class GgufFile;
}

namespace latent {

// What every architecture tells about itself.
struct ModelInfo {
    std::string architecture;  // "llama", "deepseek2"
    std::string name;          // general.name
    int64_t vocabularySize = 0;
    int64_t contextLength = 0; // the longest context the model was trained for
    int64_t embeddingLength = 0;
    int64_t blocks = 0;
    uint64_t parameters = 0;
    uint64_t cacheBytesPerToken = 0; // key/value cache, all layers
};

// One layer's cache in llama's attention: each position's keys and values (kvHeads * headDim).
struct KeyValueCache {
    Tensor keys, values;
};

// One layer's cache in deepseek2's MLA: each position's compressed key/value c_kv (latentDim) and
// the rotated key its heads share (ropeDim).
struct LatentCache {
    Tensor latent, ropeKey;
};

// The key/value cache of one sequence (F16): a layer cache per block, of its architecture's kind.
struct KvCache {
    std::variant<std::vector<KeyValueCache>, std::vector<LatentCache>> layers;
    int64_t capacity = 0; // positions

    // Every tensor it holds (what its memory is).
    std::vector<const Tensor*> tensors() const;
    // The layers as the architecture that made them reads them; throws Error for a cache another
    // architecture made.
    template <typename Layer>
    std::vector<Layer>& layersOf();
};

// The key/value cache bytes one token of context takes (all layers), from the file's
// hyper-parameters, without loading the weights; nullopt for an architecture this build lacks.
std::optional<uint64_t> cacheBytesPerToken(const gguf::GgufFile& file);

// The weight bytes one generated token reads: every tensor once, except one row of the embedding
// table and, of the experts' tensors, the share of the experts a token uses. What the bandwidth
// bound of generation divides by.
uint64_t weightBytesPerToken(const gguf::GgufFile& file);

// One forward pass of tokens at positions [first, first + n): appends their keys and values to
// the cache and returns logits (vocabularySize floats for the last token, for every token, or none).
class Model {
public:
    // Loads the architecture general.architecture names, reporting progress per tensor. Throws
    // Error naming what is wrong (an unknown architecture, a missing or misshapen tensor, a type
    // the backend cannot compute), or LoadCancelled when progress returns false.
    static std::unique_ptr<Model> load(std::shared_ptr<const gguf::GgufFile> file, Backend& backend,
                                       const LoadProgress& progress = {});

    virtual ~Model() = default;
    virtual const ModelInfo& info() const = 0;
    virtual KvCache createCache(int64_t contextLength) = 0;

    enum class Logits { None, Last, All }; // None: only fill the cache (a prompt's earlier batches)
    virtual void forward(KvCache& cache, std::span<const int32_t> tokens, int64_t firstPosition, Logits which,
                         std::vector<float>& logits) = 0;
};

} // namespace latent
