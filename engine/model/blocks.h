#pragma once

// Pieces of the forward pass that the architectures share, written once.

#include "engine/backend/backend.h"
#include "engine/model/model.h"

#include <cstdint>
#include <span>
#include <vector>

namespace latent {

class WeightLoader;

// What every architecture reports about a loaded file (general.name, parameters from the file).
ModelInfo describeModel(const gguf::GgufFile& file, std::string architecture, int64_t vocabularySize,
                        int64_t contextLength, int64_t embeddingLength, int64_t blocks, uint64_t cacheBytesPerToken);

// The positions of a forward pass's tokens (firstPosition, firstPosition + 1, ...), after
// checking every id against the vocabulary: an id outside it (user input: never index with it)
// throws Error.
std::vector<int32_t> tokenPositions(std::span<const int32_t> tokens, int64_t vocabularySize, int64_t firstPosition);

// A SwiGLU feed-forward: out = down (silu(gate x) * up x); gate and up are scratch of the
// hidden width, as many rows as x.
struct FeedForward {
    Tensor gate, up, down;
    void apply(Backend& backend, Tensor& out, const Tensor& x, Tensor& gateScratch, Tensor& upScratch) const;
};

// The model's last step: the final norm and the output matrix, for the rows `which` asks for
// (norm: scratch as wide as x; logits: scratch of vocabulary-size rows). Synchronizes the backend.
struct OutputHead {
    Tensor norm, output;
    float rmsEpsilon = 1e-6f;
    // output_norm and output (models with tied embeddings have no output matrix: the embedding
    // table, (vocabulary, embedding), serves).
    static OutputHead load(WeightLoader& load, const Tensor& tokenEmbedding, float rmsEpsilon);
    void apply(Backend& backend, const Tensor& x, Model::Logits which, Tensor& normScratch, Tensor& logitsScratch,
               std::vector<float>& logits) const;
};

} // namespace latent
