#pragma once

#include "engine/sampling/sampler.h"
#include "engine/session/session.h"
#include "engine/tokenizer/tokenizer.h"

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace latent {

enum class StopReason {
    EndOfGeneration, // the model ended its turn (EOS or EOT)
    StopString,
    MaxTokens,
    Cancelled,
    ContextFull,
};

struct GenerationOptions {
    int maxTokens = 512; // < 0: until the context is full
    std::vector<std::string> stopStrings;
    SamplerParams sampling;
};

struct GenerationResult {
    std::string text; // what was streamed, without a stop string that ended it
    std::vector<int32_t> tokens;
    StopReason reason = StopReason::EndOfGeneration;
    int64_t promptTokens = 0;
    double promptSeconds = 0;
    double generateSeconds = 0;
};

// Receives the text as it is generated, in valid UTF-8 pieces.
using PieceCallback = std::function<void(std::string_view piece)>;

// Evaluates the prompt, then samples one token at a time until the model ends its turn, a stop
// string appears, maxTokens are made, the context fills up, or *cancel turns true (checked
// between any two tokens, and between the prompt's batches). Text that could be the start of a stop string is held back until it
// is clear that it is not.
GenerationResult generate(Session& session, const tokenizer::Tokenizer& tokenizer, std::span<const int32_t> prompt,
                          const GenerationOptions& options, const PieceCallback& onPiece,
                          const std::atomic<bool>* cancel = nullptr);

} // namespace latent
