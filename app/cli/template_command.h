#pragma once

#include <CLI/CLI.hpp>

namespace latent::cli {

// `latent-cli template -m MODEL.gguf CONVERSATION.json`: the prompt a conversation renders to.
void addTemplateCommand(CLI::App& app);

} // namespace latent::cli
