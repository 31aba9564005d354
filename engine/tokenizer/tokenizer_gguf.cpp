#include "engine/tokenizer/tokenizer_gguf.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/tokenizer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace latent::tokenizer {
namespace {

std::optional<TokenId> optionalId(const gguf::Metadata& meta, std::initializer_list<std::string_view> keys)
{
    for (std::string_view key : keys) {
        if (const auto id = meta.getIntegerOptional<TokenId>(key))
            return id;
    }
    return std::nullopt;
}

std::optional<TokenId> findByText(const std::vector<std::string>& tokens, std::string_view text)
{
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i] == text)
            return TokenId(i);
    }
    return std::nullopt;
}

} // namespace

TokenizerSpec readTokenizerSpec(const gguf::Metadata& meta)
{
    TokenizerSpec spec;
    spec.source = meta.source();
    const std::string model = meta.get<std::string>("tokenizer.ggml.model");
    if (model != "gpt2")
        throw Error(fmt::format("{}: tokenizer.ggml.model is '{}'; DeepSeek models use byte-level BPE ('gpt2')",
                                spec.source, model));
    spec.tokens = meta.getArrayOf<std::string>("tokenizer.ggml.tokens");
    if (meta.contains("tokenizer.ggml.token_type")) {
        for (int32_t code : meta.getArrayOf<int32_t>("tokenizer.ggml.token_type")) {
            if (code < 1 || code > 6)
                throw Error(fmt::format("{}: tokenizer.ggml.token_type holds {}, not a token type (1 to 6)",
                                        spec.source, code));
            spec.kinds.push_back(static_cast<TokenKind>(code));
        }
    }
    spec.merges = meta.getArrayOf<std::string>("tokenizer.ggml.merges");
    if (!meta.contains("tokenizer.ggml.pre"))
        throw Error(fmt::format("{}: tokenizer.ggml.pre is missing, so the text splitting rules are unknown; "
                                "convert the model again with a current llama.cpp",
                                spec.source));
    spec.preTokenizerName = meta.get<std::string>("tokenizer.ggml.pre");

    spec.bos = optionalId(meta, {"tokenizer.ggml.bos_token_id"});
    spec.eos = optionalId(meta, {"tokenizer.ggml.eos_token_id"});
    spec.eot = optionalId(meta, {"tokenizer.ggml.eot_token_id"});
    if (!spec.eot)
        spec.eot = findByText(spec.tokens, "<|EOT|>"); // DeepSeek-Coder instruct ends its turns with it
    spec.padding = optionalId(meta, {"tokenizer.ggml.padding_token_id"});
    spec.fimPrefix = optionalId(meta, {"tokenizer.ggml.fim_pre_token_id", "tokenizer.ggml.prefix_token_id"});
    spec.fimSuffix = optionalId(meta, {"tokenizer.ggml.fim_suf_token_id", "tokenizer.ggml.suffix_token_id"});
    spec.fimMiddle = optionalId(meta, {"tokenizer.ggml.fim_mid_token_id", "tokenizer.ggml.middle_token_id"});
    if (!spec.fimPrefix)
        spec.fimPrefix = findByText(spec.tokens, "<｜fim▁begin｜>");
    if (!spec.fimSuffix)
        spec.fimSuffix = findByText(spec.tokens, "<｜fim▁hole｜>");
    if (!spec.fimMiddle)
        spec.fimMiddle = findByText(spec.tokens, "<｜fim▁end｜>");
    spec.addBos = meta.getOptional<bool>("tokenizer.ggml.add_bos_token").value_or(false);
    return spec;
}

void writeTokenizerMetadata(const TokenizerSpec& spec, gguf::Metadata& meta)
{
    if (spec.preTokenizerName.empty())
        throw Error(fmt::format("{}: the pre-tokenizer matches none that GGUF names ({}); it cannot be written "
                                "as tokenizer.ggml.pre",
                                spec.source, fmt::join(PreTokenizer::knownNames(), ", ")));
    gguf::Array tokens{gguf::ValueType::String, {}};
    tokens.items.reserve(spec.tokens.size());
    for (const std::string& token : spec.tokens)
        tokens.items.emplace_back(token);
    gguf::Array types{gguf::ValueType::Int32, {}};
    types.items.reserve(spec.kinds.size());
    for (TokenKind kind : spec.kinds)
        types.items.emplace_back(static_cast<int32_t>(kind));
    gguf::Array merges{gguf::ValueType::String, {}};
    merges.items.reserve(spec.merges.size());
    for (const std::string& merge : spec.merges)
        merges.items.emplace_back(merge);

    meta.set("tokenizer.ggml.model", std::string("gpt2"));
    meta.set("tokenizer.ggml.pre", spec.preTokenizerName);
    meta.set("tokenizer.ggml.tokens", std::move(tokens));
    meta.set("tokenizer.ggml.token_type", std::move(types));
    meta.set("tokenizer.ggml.merges", std::move(merges));
    const auto setId = [&](std::string_view key, const std::optional<TokenId>& id) {
        if (id)
            meta.set(std::string(key), uint32_t(*id));
    };
    setId("tokenizer.ggml.bos_token_id", spec.bos);
    setId("tokenizer.ggml.eos_token_id", spec.eos);
    setId("tokenizer.ggml.eot_token_id", spec.eot);
    setId("tokenizer.ggml.padding_token_id", spec.padding);
    setId("tokenizer.ggml.fim_pre_token_id", spec.fimPrefix);
    setId("tokenizer.ggml.fim_suf_token_id", spec.fimSuffix);
    setId("tokenizer.ggml.fim_mid_token_id", spec.fimMiddle);
    meta.set("tokenizer.ggml.add_bos_token", spec.addBos);
}

Tokenizer Tokenizer::fromGguf(const gguf::GgufFile& file)
{
    return Tokenizer(readTokenizerSpec(file.metadata()));
}

} // namespace latent::tokenizer
