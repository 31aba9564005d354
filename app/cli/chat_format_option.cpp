#include "app/cli/chat_format_option.h"

#include "engine/core/error.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace latent::cli {

void addChatFormatOption(CLI::App& command, std::string& name)
{
    command.add_option("--chat-format", name,
                       fmt::format("Override the chat format ({})", fmt::join(chat::chatFormatNames(), ", ")));
}

std::optional<chat::ChatFormat> chatFormatOverride(const std::string& name)
{
    if (name.empty())
        return std::nullopt;
    if (const std::optional<chat::ChatFormat> format = chat::chatFormatFromName(name))
        return format;
    throw Error(fmt::format("--chat-format '{}' is not a chat format; use one of {}", name,
                            fmt::join(chat::chatFormatNames(), ", ")));
}

} // namespace latent::cli
