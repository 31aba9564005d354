#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli devices`: the Vulkan devices, and whether the backend can run on each.
void addDevicesCommand(CLI::App& app);

} // namespace latent::cli
