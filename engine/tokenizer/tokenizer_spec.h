#pragma once

#include "engine/tokenizer/bpe.h"

#include <optional>
#include <string>
#include <vector>

namespace latent::tokenizer {

// What a token is, with GGUF's `tokenizer.ggml.token_type` codes.
enum class TokenKind : int32_t {
    Normal = 1,
    Unknown = 2,
    Control = 3,     // special tokens: BOS, EOS, <｜User｜> ...; split out before BPE
    UserDefined = 4, // added tokens that are not special; also split out before BPE
    Unused = 5,
    Byte = 6,
};

// Everything a tokenizer is built from, read from a GGUF file or a Hugging Face tokenizer.json.
struct TokenizerSpec {
    std::string source; // the file, for messages
    std::vector<std::string> tokens; // byte-level text for Normal tokens, literal text for added ones
    std::vector<TokenKind> kinds;
    // Added tokens matched before the ones of the second pass (Hugging Face: the tokens with
    // normalized = false come first). GGUF files keep no such flag: all match in one pass.
    std::vector<bool> secondPass;
    std::vector<std::string> merges;     // "left right", in rank order
    std::string preTokenizerName;        // tokenizer.ggml.pre, or "" when expressions are given
    std::vector<std::string> preTokenizerExpressions;
    std::optional<TokenId> bos, eos, eot, padding;
    std::optional<TokenId> fimPrefix, fimSuffix, fimMiddle;
    bool addBos = false;
};

} // namespace latent::tokenizer
