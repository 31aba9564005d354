#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli logits -m FILE --tokens 1,2,3 [--out FILE]`: the logits at every position.
void addLogitsCommand(CLI::App& app);

} // namespace latent::cli
