#pragma once

#include "engine/model/loaded_model.h"
#include "engine/session/session.h"
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

// The options of every command that runs a model: -m, --backend, --device, --threads, --ctx, --batch.
struct EngineOptions {
    std::string model;
    LoadOptions load{.contextLength = 4096}; // --ctx: 0, the model's own
    int64_t batchSize = 512;
};

void addEngineOptions(CLI::App& command, EngineOptions& options);
SessionOptions sessionOptions(const EngineOptions& options, const Model& model);
// "backend: NAME (why auto chose it)" on stderr, one line.
void printBackend(const LoadedModel& loaded);

} // namespace latent::cli
