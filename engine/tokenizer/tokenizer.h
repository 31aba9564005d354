#pragma once

#include "engine/tokenizer/added_token_matcher.h"
#include "engine/tokenizer/bpe.h"
#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/tokenizer_spec.h"

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace latent::gguf {
class GgufFile;
}

namespace latent::tokenizer {

struct EncodeOptions {
    bool addBos = false;      // prepend BOS (when the model has one)
    bool parseSpecial = true; // split out added and special tokens written in the text
};

// DeepSeek's byte-level BPE tokenizers: text in, the same ids as the model's own tokenizer out,
// and ids back to bytes. Immutable after construction, so one instance serves any number of
// threads.
class Tokenizer {
public:
    explicit Tokenizer(TokenizerSpec spec);

    // From a GGUF file's tokenizer.ggml.* metadata.
    static Tokenizer fromGguf(const gguf::GgufFile& file);
    // From a Hugging Face tokenizer.json (and the tokenizer_config.json beside it, if present,
    // for BOS, EOS and add_bos_token).
    static Tokenizer fromHuggingFaceJson(const std::filesystem::path& path);

    std::vector<TokenId> encode(std::string_view text, EncodeOptions options = {}) const;
    // The bytes of the tokens, which may end inside a UTF-8 sequence (see StreamDecoder).
    std::string decode(std::span<const TokenId> ids) const;
    // One token's bytes; empty for an id outside the vocabulary.
    std::string_view tokenBytes(TokenId id) const;
    // One token as the vocabulary stores it (byte-level text for normal tokens).
    const std::string& tokenText(TokenId id) const;
    std::optional<TokenId> findToken(std::string_view text) const;

    // DeepSeek-Coder's fill-in-the-middle prompt: <｜fim▁begin｜>prefix<｜fim▁hole｜>suffix<｜fim▁end｜>,
    // BOS first when the model adds one. Throws Error if the vocabulary has no FIM tokens.
    std::vector<TokenId> encodeFillInMiddle(std::string_view prefix, std::string_view suffix) const;

    size_t vocabularySize() const { return spec_.tokens.size(); }
    TokenKind kind(TokenId id) const { return spec_.kinds.at(size_t(id)); }
    bool isEndOfGeneration(TokenId id) const { return id == spec_.eos || id == spec_.eot; }
    const TokenizerSpec& spec() const { return spec_; }

private:
    void encodeOrdinary(std::string_view text, std::vector<TokenId>& out) const;
    void encodeWithAddedTokens(std::string_view text, const AddedTokenMatcher& matcher,
                               const AddedTokenMatcher* nextPass, std::vector<TokenId>& out) const;

    TokenizerSpec spec_;
    std::unordered_map<std::string, TokenId> ids_;
    std::string bytes_;                 // every token's bytes, back to back
    std::vector<uint32_t> bytesOffset_; // token i is bytes_[bytesOffset_[i], bytesOffset_[i + 1])
    AddedTokenMatcher firstPass_, secondPass_;
    PreTokenizer preTokenizer_;
    std::optional<BytePairEncoder> bpe_;
};

} // namespace latent::tokenizer
