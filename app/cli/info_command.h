#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli info FILE`: what a GGUF model file holds.
void addInfoCommand(CLI::App& app);

} // namespace latent::cli
