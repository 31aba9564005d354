#pragma once

#include "engine/model/model.h"

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

namespace latent {

struct SessionOptions {
    int64_t contextLength = 4096; // positions the cache holds (0: the model's own context length)
    int64_t batchSize = 512;      // prompt tokens per forward pass
};

// One sequence being generated: its key/value cache (F16, sized for the whole context up front,
// so a long chat never fails halfway for memory) and the tokens it holds.
class Session {
public:
    Session(Model& model, SessionOptions options);

    // Appends tokens, in batches of batchSize, and puts into logits the logits of the last one
    // (or of every one). Throws Error when they do not fit in the context. When *cancel turns
    // true (checked between batches) it returns false, keeping the batches already evaluated:
    // the next prompt that shares them starts after them.
    bool evaluate(std::span<const int32_t> tokens, Model::Logits which, std::vector<float>& logits,
                  const std::atomic<bool>* cancel = nullptr);

    int64_t position() const { return int64_t(tokens_.size()); }
    int64_t capacity() const { return cache_.capacity; }
    const std::vector<int32_t>& tokens() const { return tokens_; }
    const Model& model() const { return model_; }
    void reset() { tokens_.clear(); }
    // Keeps the first `position` tokens and their cache, so that a prompt sharing them (the next
    // turn of a chat) evaluates only what follows. Throws Error beyond the tokens held.
    void truncate(int64_t position);
    // How many leading tokens of `prompt` the session already holds.
    int64_t sharedPrefix(std::span<const int32_t> prompt) const;

private:
    Model& model_;
    SessionOptions options_;
    KvCache cache_;
    std::vector<int32_t> tokens_;
};

} // namespace latent
