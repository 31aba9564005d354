#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli make-test-model --arch llama --preset NAME --type TYPE -o FILE`
void addMakeTestModelCommand(CLI::App& app);

} // namespace latent::cli
