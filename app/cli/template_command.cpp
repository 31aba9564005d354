#include "app/cli/template_command.h"

#include "app/cli/chat_format_option.h"

#include "engine/chat/chat_template.h"
#include "engine/core/error.h"
#include "engine/core/utf8_path.h"
#include "engine/gguf/gguf_file.h"
#include "engine/tokenizer/tokenizer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>

namespace latent::cli {
namespace {

struct TemplateOptions {
    std::string model;
    std::string conversation;
    std::string chatFormat;
    bool noGenerationPrompt = false;
};

struct Conversation {
    std::vector<chat::ChatMessage> messages;
    bool addGenerationPrompt = true;
};

// A conversation file: {"messages": [{"role", "content"}...], "add_generation_prompt": bool},
// or the messages array alone.
Conversation readConversation(const std::string& path)
{
    std::ifstream in(pathFromUtf8(path), std::ios::binary);
    if (!in)
        throw Error(fmt::format("{}: cannot open the file", path));
    try {
        const nlohmann::json root = nlohmann::json::parse(in);
        Conversation conversation;
        const nlohmann::json& messages = root.is_array() ? root : root.at("messages");
        if (root.is_object())
            conversation.addGenerationPrompt = root.value("add_generation_prompt", true);
        for (const nlohmann::json& message : messages)
            conversation.messages.push_back(
                {message.at("role").get<std::string>(), message.at("content").get<std::string>()});
        return conversation;
    } catch (const nlohmann::json::exception& error) {
        throw Error(fmt::format("{}: expected {{\"messages\": [{{\"role\": ..., \"content\": ...}}]}}: {}", path,
                                error.what()));
    }
}

} // namespace

void addTemplateCommand(CLI::App& app)
{
    auto options = std::make_shared<TemplateOptions>();
    CLI::App* command = app.add_subcommand("template", "Print the prompt a conversation renders to");
    command->add_option("-m,--model", options->model, "A GGUF model file")->required();
    command->add_option("conversation", options->conversation, "A JSON file: {\"messages\": [...]}")->required();
    addChatFormatOption(*command, options->chatFormat);
    command->add_option("--format", options->chatFormat)->group(""); // its old name, still read, no longer shown
    command->add_flag("--no-generation-prompt", options->noGenerationPrompt,
                      "Do not end with the assistant's turn opener");
    command->callback([options] {
        const std::optional<chat::ChatFormat> override = chatFormatOverride(options->chatFormat);
        const gguf::GgufFile file = gguf::GgufFile::open(pathFromUtf8(options->model));
        const tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::fromGguf(file);
        const chat::ChatFormatChoice choice = chat::chooseChatFormat(file.metadata(), override);
        Conversation conversation = readConversation(options->conversation);
        if (options->noGenerationPrompt)
            conversation.addGenerationPrompt = false;
        const auto tokenTextOf = [&](const std::optional<tokenizer::TokenId>& id) {
            return id ? tokenizer.tokenText(*id) : std::string();
        };
        const chat::ChatTokens tokens{tokenTextOf(tokenizer.spec().bos), tokenTextOf(tokenizer.spec().eos)};
        fmt::print(stderr, "{}\n", choice.reason);
        fmt::print("{}", chat::renderChat(choice.format, conversation.messages, conversation.addGenerationPrompt, tokens));
    });
}

} // namespace latent::cli
