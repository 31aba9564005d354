#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli run -m FILE -p PROMPT [--chat] [sampling options]`: streams the model's answer.
void addRunCommand(CLI::App& app);

} // namespace latent::cli
