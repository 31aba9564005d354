#pragma once

#include "engine/chat/chat_template.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace latent::cli {

// `--chat-format NAME`, the one spelling of the chat-format override in every command (`run`,
// `template`).
void addChatFormatOption(CLI::App& command, std::string& name);

// The format the option names (none when it was not given); an error listing the names otherwise.
std::optional<chat::ChatFormat> chatFormatOverride(const std::string& name);

} // namespace latent::cli
