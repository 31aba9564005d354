#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli serve -m MODEL.gguf`: the model behind an OpenAI-compatible HTTP API (app/server/).
void addServeCommand(CLI::App& app);

} // namespace latent::cli
