#pragma once

#include "engine/tokenizer/tokenizer_spec.h"

#include <string_view>

namespace latent::tokenizer {

// Learns byte-level BPE merges from a text: the 256 byte tokens, then, merge by merge, the most
// frequent adjacent pair within the pre-tokenizer's pieces, until the vocabulary has
// `vocabularySize` tokens or no pair occurs twice. Deterministic: ties go to the pair whose
// bytes sort first. What the generated test models use for a small, real vocabulary.
//
// Returns tokens (byte-level text) and merges; the caller adds special tokens and sets ids.
struct TrainedBpe {
    std::vector<std::string> tokens;
    std::vector<std::string> merges;
};

TrainedBpe trainBpe(std::string_view corpus, std::string_view preTokenizerName, size_t vocabularySize);

} // namespace latent::tokenizer
