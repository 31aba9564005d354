#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace latent::tokenizer {

// Splits text into the pieces that byte-pair encoding works on, as Hugging Face's
// `Sequence` of `Split(Regex, behavior: Isolated)` pre-tokenizers does: each expression splits
// every piece the previous one produced into its matches and the text between them.
//
// The expressions run on PCRE2 in Unicode mode (\p{L}, \s ... from PCRE2's Unicode tables),
// JIT-compiled. Invalid UTF-8 in the text matches nothing and passes through as its own piece,
// so every byte of the input is encoded.
class PreTokenizer {
public:
    // The expressions of a `tokenizer.ggml.pre` name: deepseek-llm, deepseek-coder, deepseek-v3.
    // Throws Error naming an unknown name.
    static PreTokenizer forName(std::string_view name);
    static PreTokenizer fromExpressions(const std::vector<std::string>& expressions);
    static std::vector<std::string_view> knownNames();
    // The name whose expressions these are, or "" (tokenizer.json files state expressions only).
    static std::string_view nameOf(const std::vector<std::string>& expressions);

    PreTokenizer(PreTokenizer&&) noexcept;
    PreTokenizer& operator=(PreTokenizer&&) noexcept;
    ~PreTokenizer();

    // Appends the pieces of text (views into it) to pieces.
    void split(std::string_view text, std::vector<std::string_view>& pieces) const;

private:
    struct Expression;
    PreTokenizer();

    std::vector<std::unique_ptr<Expression>> expressions_;
};

} // namespace latent::tokenizer
