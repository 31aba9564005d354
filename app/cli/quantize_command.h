#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli quantize IN.gguf OUT.gguf TYPE [--pure] [--threads N]`
void addQuantizeCommand(CLI::App& app);

} // namespace latent::cli
