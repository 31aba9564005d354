#pragma once

#include "engine/tokenizer/tokenizer.h"

#include <CLI/CLI.hpp>

#include <string>

namespace latent::cli {

// Where a command takes its tokenizer from: a GGUF model, or a Hugging Face tokenizer.json.
struct TokenizerSource {
    std::string model;
    std::string tokenizerJson;
};

void addTokenizerSourceOptions(CLI::App& command, TokenizerSource& source);
tokenizer::Tokenizer loadTokenizer(const TokenizerSource& source);

} // namespace latent::cli
