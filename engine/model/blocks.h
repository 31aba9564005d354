#pragma once

// Pieces of the forward pass that the architectures share, written once.

#include "engine/backend/backend.h"
#include "engine/model/model.h"

#include <cstdint>
#include <span>
#include <vector>

namespace latent {

// Throws Error for a token id outside the vocabulary (user input: never index with it).
void checkTokens(std::span<const int32_t> tokens, int64_t vocabularySize);

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
    void apply(Backend& backend, const Tensor& x, Model::Logits which, Tensor& normScratch, Tensor& logitsScratch,
               std::vector<float>& logits) const;
};

} // namespace latent
