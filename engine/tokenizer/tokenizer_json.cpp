// Tokenizer::fromHuggingFaceJson: a Hugging Face tokenizer.json (BPE model, byte-level), with
// the tokenizer_config.json beside it for BOS, EOS and add_bos_token.

#include "engine/core/error.h"
#include "engine/core/utf8_path.h"
#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/tokenizer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace latent::tokenizer {
namespace {

using nlohmann::json;

json readJson(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(fmt::format("{}: cannot open the file", utf8FromPath(path)));
    try {
        return json::parse(in);
    } catch (const json::exception& error) {
        throw Error(fmt::format("{}: not valid JSON: {}", utf8FromPath(path), error.what()));
    }
}

// Split expressions of a `Sequence` of `Split(Regex, Isolated)` ending in a ByteLevel without
// its own expression: the shape of every DeepSeek tokenizer.json.
std::vector<std::string> splitExpressions(const json& pre, const std::string& source)
{
    const auto unsupported = [&](const std::string& what) {
        return Error(fmt::format("{}: pre_tokenizer: {} is not supported (DeepSeek tokenizers use a Sequence of "
                                 "Split(Regex, Isolated) and ByteLevel(use_regex: false))",
                                 source, what));
    };
    if (!pre.is_object() || pre.value("type", "") != "Sequence")
        throw unsupported("a pre-tokenizer other than Sequence");
    std::vector<std::string> expressions;
    bool byteLevel = false;
    for (const json& step : pre.at("pretokenizers")) {
        const std::string type = step.value("type", "");
        if (type == "Split") {
            if (!step.at("pattern").contains("Regex") || step.value("behavior", "") != "Isolated" ||
                step.value("invert", false))
                throw unsupported("a Split other than Regex/Isolated/not inverted");
            expressions.push_back(step.at("pattern").at("Regex").get<std::string>());
        } else if (type == "ByteLevel") {
            if (step.value("use_regex", true))
                throw unsupported("ByteLevel with use_regex");
            byteLevel = true;
        } else {
            throw unsupported("'" + type + "'");
        }
    }
    if (!byteLevel)
        throw unsupported("a Sequence without ByteLevel");
    return expressions;
}

std::optional<std::string> specialTokenText(const json& config, const char* key)
{
    if (!config.contains(key) || config[key].is_null())
        return std::nullopt;
    const json& value = config[key];
    return value.is_string() ? value.get<std::string>() : value.at("content").get<std::string>();
}

} // namespace

Tokenizer Tokenizer::fromHuggingFaceJson(const std::filesystem::path& path)
{
    TokenizerSpec spec;
    spec.source = utf8FromPath(path);
    const json root = readJson(path);
    try {
        const json& model = root.at("model");
        if (model.value("type", "") != "BPE")
            throw Error(fmt::format("{}: model.type is '{}'; DeepSeek tokenizers are BPE", spec.source,
                                    model.value("type", "")));
        const json& vocab = model.at("vocab");
        size_t size = 0;
        for (const auto& [text, id] : vocab.items())
            size = std::max(size, id.get<size_t>() + 1);
        for (const json& added : root.value("added_tokens", json::array()))
            size = std::max(size, added.at("id").get<size_t>() + 1);
        if (size > (size_t(1) << 24))
            throw Error(fmt::format("{}: token ids reach {}, far past any real vocabulary", spec.source, size));

        spec.tokens.resize(size);
        spec.kinds.assign(size, TokenKind::Unused);
        spec.secondPass.assign(size, false);
        for (const auto& [text, id] : vocab.items()) {
            spec.tokens[id.get<size_t>()] = text;
            spec.kinds[id.get<size_t>()] = TokenKind::Normal;
        }
        for (const json& added : root.value("added_tokens", json::array())) {
            const auto id = added.at("id").get<size_t>();
            spec.tokens[id] = added.at("content").get<std::string>();
            spec.kinds[id] = added.value("special", false) ? TokenKind::Control : TokenKind::UserDefined;
            spec.secondPass[id] = added.value("normalized", false);
        }
        for (const json& merge : model.at("merges")) {
            // Older files write "left right"; newer ones ["left", "right"].
            spec.merges.push_back(merge.is_string() ? merge.get<std::string>()
                                                    : merge.at(0).get<std::string>() + " " + merge.at(1).get<std::string>());
        }
        spec.preTokenizerExpressions = splitExpressions(root.at("pre_tokenizer"), spec.source);
        spec.preTokenizerName = std::string(PreTokenizer::nameOf(spec.preTokenizerExpressions));
    } catch (const json::exception& error) {
        throw Error(fmt::format("{}: not a tokenizer.json this build reads: {}", spec.source, error.what()));
    }

    const auto findText = [&](const std::optional<std::string>& text) -> std::optional<TokenId> {
        for (size_t i = 0; text && i < spec.tokens.size(); ++i) {
            if (spec.tokens[i] == *text)
                return TokenId(i);
        }
        return std::nullopt;
    };
    const std::filesystem::path configPath = path.parent_path() / "tokenizer_config.json";
    if (std::filesystem::exists(configPath)) {
        const json config = readJson(configPath);
        spec.bos = findText(specialTokenText(config, "bos_token"));
        spec.eos = findText(specialTokenText(config, "eos_token"));
        spec.padding = findText(specialTokenText(config, "pad_token"));
        spec.addBos = config.value("add_bos_token", false);
    }
    spec.eot = findText("<|EOT|>");
    spec.fimPrefix = findText("<｜fim▁begin｜>");
    spec.fimSuffix = findText("<｜fim▁hole｜>");
    spec.fimMiddle = findText("<｜fim▁end｜>");
    return Tokenizer(std::move(spec));
}

} // namespace latent::tokenizer
