#include "app/cli/tokenize_command.h"

#include "app/cli/model_options.h"
#include "engine/core/error.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/utf8.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace latent::cli {
namespace {

struct TokenizeOptions {
    TokenizerSource source;
    std::string text;
    bool jsonl = false;
    bool addBos = false;
    bool noSpecial = false;
};

// Reads {"text": ...} lines from standard input and writes {"ids": [...]} lines, in order.
void tokenizeJsonLines(const tokenizer::Tokenizer& tokenizer, const tokenizer::EncodeOptions& options)
{
    std::string line;
    size_t lineNumber = 0;
    while (std::getline(std::cin, line)) {
        ++lineNumber;
        if (line.empty())
            continue;
        nlohmann::json input;
        try {
            input = nlohmann::json::parse(line);
        } catch (const nlohmann::json::exception& error) {
            throw Error(fmt::format("standard input, line {}: not JSON: {}", lineNumber, error.what()));
        }
        if (!input.is_object() || !input.contains("text") || !input["text"].is_string())
            throw Error(fmt::format("standard input, line {}: expected an object with a string \"text\"", lineNumber));
        const auto ids = tokenizer.encode(input["text"].get<std::string>(), options);
        fmt::print("{{\"ids\": [{}]}}\n", fmt::join(ids, ","));
    }
}

void printTokens(const tokenizer::Tokenizer& tokenizer, const std::vector<tokenizer::TokenId>& ids)
{
    for (tokenizer::TokenId id : ids) {
        const std::string_view bytes = tokenizer.tokenBytes(id);
        if (utf8::sanitize(bytes) == bytes) {
            fmt::print("{:>8}  {}\n", id, nlohmann::json(std::string(bytes)).dump());
        } else { // part of a UTF-8 sequence: show the bytes
            std::string hex;
            for (char c : bytes)
                hex += fmt::format("<0x{:02X}>", static_cast<unsigned char>(c));
            fmt::print("{:>8}  {}\n", id, hex);
        }
    }
    fmt::print("{} tokens\n", ids.size());
}

} // namespace

void addTokenizeCommand(CLI::App& app)
{
    auto options = std::make_shared<TokenizeOptions>();
    CLI::App* command = app.add_subcommand("tokenize", "Print the token ids and pieces of a text");
    addTokenizerSourceOptions(*command, options->source);
    command->add_option("text", options->text, "The text to tokenize");
    command->add_flag("--jsonl", options->jsonl,
                      "Read JSON lines {\"text\": ...} from standard input; write {\"ids\": [...]} lines");
    command->add_flag("--bos", options->addBos, "Prepend BOS when the model has one");
    command->add_flag("--no-special", options->noSpecial, "Treat special tokens written in the text as plain text");
    command->callback([options] {
        const tokenizer::Tokenizer tokenizer = loadTokenizer(options->source);
        const tokenizer::EncodeOptions encode{.addBos = options->addBos, .parseSpecial = !options->noSpecial};
        if (options->jsonl)
            tokenizeJsonLines(tokenizer, encode);
        else
            printTokens(tokenizer, tokenizer.encode(options->text, encode));
    });
}

} // namespace latent::cli
