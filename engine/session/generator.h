#pragma once

#include "engine/session/generation.h"

#include <atomic>
#include <functional>
#include <span>
#include <string_view>

namespace latent {

// Receives the text as it is generated, in valid UTF-8 pieces.
using PieceCallback = std::function<void(std::string_view piece)>;

// Evaluates the prompt, then samples one token at a time (a Generation, to its end) until the
// model ends its turn, a stop string appears, maxTokens are made, the context fills up, or *cancel
// turns true (checked between any two tokens, and between the prompt's batches).
GenerationResult generate(Session& session, const tokenizer::Tokenizer& tokenizer, std::span<const int32_t> prompt,
                          const GenerationOptions& options, const PieceCallback& onPiece,
                          const std::atomic<bool>* cancel = nullptr);

} // namespace latent
