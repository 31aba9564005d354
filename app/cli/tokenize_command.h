#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli tokenize (-m MODEL.gguf | --tokenizer-json tokenizer.json) [TEXT | --jsonl]`
void addTokenizeCommand(CLI::App& app);

} // namespace latent::cli
