#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli version`: the version and what this build contains.
void addVersionCommand(CLI::App& app);

} // namespace latent::cli
