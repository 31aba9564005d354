#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli bench -m FILE -p 512 -n 128`: prompt and generation speed, and peak memory.
void addBenchCommand(CLI::App& app);

} // namespace latent::cli
