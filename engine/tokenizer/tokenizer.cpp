#include "engine/tokenizer/tokenizer.h"

#include "engine/core/error.h"
#include "engine/tokenizer/byte_level.h"

#include <fmt/format.h>

#include <limits>

namespace latent::tokenizer {
namespace {

std::string tokenBytesOf(const std::string& text, TokenKind kind)
{
    if (kind == TokenKind::Control || kind == TokenKind::UserDefined)
        return text; // added tokens are stored as the literal text they stand for
    // A token outside the byte-level alphabet decodes to its own UTF-8, as Hugging Face's does.
    return fromByteLevel(text).value_or(text);
}

PreTokenizer makePreTokenizer(const TokenizerSpec& spec)
{
    return spec.preTokenizerExpressions.empty() ? PreTokenizer::forName(spec.preTokenizerName)
                                                : PreTokenizer::fromExpressions(spec.preTokenizerExpressions);
}

} // namespace

Tokenizer::Tokenizer(TokenizerSpec spec) : spec_(std::move(spec)), preTokenizer_(makePreTokenizer(spec_))
{
    const std::string& source = spec_.source;
    if (spec_.tokens.empty())
        throw Error(fmt::format("{}: the tokenizer has no tokens", source));
    if (spec_.tokens.size() > size_t(std::numeric_limits<TokenId>::max()))
        throw Error(fmt::format("{}: the tokenizer has {} tokens, more than ids can number", source,
                                spec_.tokens.size()));
    if (spec_.kinds.empty())
        spec_.kinds.assign(spec_.tokens.size(), TokenKind::Normal);
    if (spec_.kinds.size() != spec_.tokens.size())
        throw Error(fmt::format("{}: {} token types for {} tokens (tokenizer.ggml.token_type)", source,
                                spec_.kinds.size(), spec_.tokens.size()));
    spec_.secondPass.resize(spec_.tokens.size(), false);
    const auto checkId = [&](const std::optional<TokenId>& id, std::string_view what) {
        if (id && (*id < 0 || size_t(*id) >= spec_.tokens.size()))
            throw Error(fmt::format("{}: the {} token id {} is outside the vocabulary of {} tokens", source, what,
                                    *id, spec_.tokens.size()));
    };
    checkId(spec_.bos, "BOS");
    checkId(spec_.eos, "EOS");
    checkId(spec_.eot, "EOT");
    checkId(spec_.padding, "padding");
    checkId(spec_.fimPrefix, "FIM prefix");
    checkId(spec_.fimSuffix, "FIM suffix");
    checkId(spec_.fimMiddle, "FIM middle");

    ids_.reserve(spec_.tokens.size());
    bytesOffset_.reserve(spec_.tokens.size() + 1);
    for (size_t id = 0; id < spec_.tokens.size(); ++id) {
        const std::string& text = spec_.tokens[id];
        ids_.try_emplace(text, TokenId(id));
        bytesOffset_.push_back(uint32_t(bytes_.size()));
        bytes_ += tokenBytesOf(text, spec_.kinds[id]);
        if (spec_.kinds[id] == TokenKind::Control || spec_.kinds[id] == TokenKind::UserDefined)
            (spec_.secondPass[id] ? secondPass_ : firstPass_).add(text, TokenId(id));
    }
    bytesOffset_.push_back(uint32_t(bytes_.size()));

    std::array<TokenId, 256> byteTokens{};
    for (int byte = 0; byte < 256; ++byte) {
        const std::string text = toByteLevel(std::string(1, char(byte)));
        const auto it = ids_.find(text);
        if (it == ids_.end())
            throw Error(fmt::format("{}: the vocabulary has no token for the byte 0x{:02X} ('{}'); it is not a "
                                    "byte-level BPE vocabulary",
                                    source, byte, text));
        byteTokens[byte] = it->second;
    }
    bpe_.emplace(byteTokens, spec_.merges, ids_);
}

std::vector<TokenId> Tokenizer::encode(std::string_view text, EncodeOptions options) const
{
    std::vector<TokenId> ids;
    ids.reserve(text.size() / 3 + 2);
    if (options.addBos && spec_.bos)
        ids.push_back(*spec_.bos);
    if (options.parseSpecial && !firstPass_.empty())
        encodeWithAddedTokens(text, firstPass_, secondPass_.empty() ? nullptr : &secondPass_, ids);
    else if (options.parseSpecial && !secondPass_.empty())
        encodeWithAddedTokens(text, secondPass_, nullptr, ids);
    else
        encodeOrdinary(text, ids);
    return ids;
}

void Tokenizer::encodeWithAddedTokens(std::string_view text, const AddedTokenMatcher& matcher,
                                      const AddedTokenMatcher* nextPass, std::vector<TokenId>& out) const
{
    const auto encodeBetween = [&](std::string_view segment) {
        if (nextPass)
            encodeWithAddedTokens(segment, *nextPass, nullptr, out);
        else
            encodeOrdinary(segment, out);
    };
    size_t position = 0;
    while (const auto match = matcher.findNext(text, position)) {
        encodeBetween(text.substr(position, match->position - position));
        out.push_back(match->id);
        position = match->position + match->length;
    }
    encodeBetween(text.substr(position));
}

void Tokenizer::encodeOrdinary(std::string_view text, std::vector<TokenId>& out) const
{
    if (text.empty())
        return;
    std::vector<std::string_view> pieces;
    preTokenizer_.split(text, pieces);
    for (std::string_view piece : pieces)
        bpe_->encode(piece, out);
}

std::string Tokenizer::decode(std::span<const TokenId> ids) const
{
    std::string out;
    for (TokenId id : ids)
        out += tokenBytes(id);
    return out;
}

std::string_view Tokenizer::tokenBytes(TokenId id) const
{
    if (id < 0 || size_t(id) >= spec_.tokens.size())
        return {};
    return std::string_view(bytes_).substr(bytesOffset_[size_t(id)], bytesOffset_[size_t(id) + 1] - bytesOffset_[size_t(id)]);
}

const std::string& Tokenizer::tokenText(TokenId id) const
{
    return spec_.tokens.at(size_t(id));
}

std::optional<TokenId> Tokenizer::findToken(std::string_view text) const
{
    const auto it = ids_.find(std::string(text));
    return it == ids_.end() ? std::nullopt : std::optional<TokenId>(it->second);
}

std::vector<TokenId> Tokenizer::encodeFillInMiddle(std::string_view prefix, std::string_view suffix) const
{
    if (!spec_.fimPrefix || !spec_.fimSuffix || !spec_.fimMiddle)
        throw Error(fmt::format("{}: this model has no fill-in-the-middle tokens (<｜fim▁begin｜>, <｜fim▁hole｜>, "
                                "<｜fim▁end｜>); use a DeepSeek-Coder base model for code completion",
                                spec_.source));
    std::vector<TokenId> ids;
    if (spec_.addBos && spec_.bos)
        ids.push_back(*spec_.bos);
    ids.push_back(*spec_.fimPrefix);
    encodeOrdinary(prefix, ids);
    ids.push_back(*spec_.fimSuffix);
    encodeOrdinary(suffix, ids);
    ids.push_back(*spec_.fimMiddle);
    return ids;
}

} // namespace latent::tokenizer
