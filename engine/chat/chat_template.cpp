#include "engine/chat/chat_template.h"

#include "engine/core/error.h"
#include "engine/gguf/metadata.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

namespace latent::chat {
namespace {

struct NamedFormat {
    ChatFormat format;
    std::string_view name;
};
constexpr std::array kFormats = {
    NamedFormat{ChatFormat::DeepSeekLlm, "deepseek-llm"},
    NamedFormat{ChatFormat::DeepSeekCoder, "deepseek-coder"},
    NamedFormat{ChatFormat::DeepSeekV3, "deepseek-v3"},
    NamedFormat{ChatFormat::DeepSeekR1, "deepseek-r1"},
};

// What deepseek-coder instruct's template writes when the conversation has no system message.
constexpr std::string_view kCoderDefaultSystem =
    "You are an AI programming assistant, utilizing the Deepseek Coder model, developed by Deepseek Company, and "
    "you only answer questions related to computer science. For politically sensitive questions, security and "
    "privacy issues, and other non-computer science questions, you will refuse to answer\n";

[[noreturn]] void unknownRole(ChatFormat format, const ChatMessage& message)
{
    throw Error(fmt::format("chat format {}: a message has the role '{}'; use system, user or assistant",
                            chatFormatName(format), message.role));
}

std::string renderLlm(std::span<const ChatMessage> messages, bool generationPrompt, const ChatTokens& tokens)
{
    std::string out = tokens.bos;
    for (const ChatMessage& message : messages) {
        if (message.role == "system")
            out += message.content + "\n\n";
        else if (message.role == "user")
            out += "User: " + message.content + "\n\n";
        else if (message.role == "assistant")
            out += "Assistant: " + message.content + tokens.eos;
        else
            unknownRole(ChatFormat::DeepSeekLlm, message);
    }
    if (generationPrompt)
        out += "Assistant:";
    return out;
}

std::string renderCoder(std::span<const ChatMessage> messages, bool generationPrompt, const ChatTokens& tokens)
{
    std::string out = tokens.bos;
    const bool hasSystem = std::ranges::any_of(messages, [](const ChatMessage& m) { return m.role == "system"; });
    if (!hasSystem)
        out += kCoderDefaultSystem;
    for (const ChatMessage& message : messages) {
        if (message.role == "system")
            out += message.content;
        else if (message.role == "user")
            out += "### Instruction:\n" + message.content + "\n";
        else if (message.role == "assistant")
            out += "### Response:\n" + message.content + "\n<|EOT|>\n";
        else
            unknownRole(ChatFormat::DeepSeekCoder, message);
    }
    if (generationPrompt)
        out += "### Response:";
    return out;
}

// An R1 answer as it goes back into the history: only what follows its thinking.
std::string_view withoutThinking(std::string_view content)
{
    const size_t end = content.rfind("</think>");
    return end == std::string_view::npos ? content : content.substr(end + std::string_view("</think>").size());
}

std::string renderV3(ChatFormat format, std::span<const ChatMessage> messages, bool generationPrompt,
                     const ChatTokens& tokens)
{
    // Every system message goes first, joined by blank lines, as V3's template gathers them.
    std::string system;
    bool firstSystem = true;
    for (const ChatMessage& message : messages) {
        if (message.role == "system") {
            system += (firstSystem ? "" : "\n\n") + message.content;
            firstSystem = false;
        }
    }
    std::string out = tokens.bos + system;
    for (const ChatMessage& message : messages) {
        if (message.role == "user") {
            out += "<｜User｜>" + message.content;
        } else if (message.role == "assistant") {
            const std::string_view content =
                format == ChatFormat::DeepSeekR1 ? withoutThinking(message.content) : std::string_view(message.content);
            out += "<｜Assistant｜>";
            out += content;
            out += tokens.eos;
        } else if (message.role != "system") {
            unknownRole(format, message);
        }
    }
    if (generationPrompt)
        out += "<｜Assistant｜>";
    return out;
}

} // namespace

std::string_view chatFormatName(ChatFormat format)
{
    return std::ranges::find(kFormats, format, &NamedFormat::format)->name;
}

std::optional<ChatFormat> chatFormatFromName(std::string_view name)
{
    const auto it = std::ranges::find(kFormats, name, &NamedFormat::name);
    return it == kFormats.end() ? std::nullopt : std::optional<ChatFormat>(it->format);
}

std::vector<std::string_view> chatFormatNames()
{
    std::vector<std::string_view> names;
    for (const NamedFormat& named : kFormats)
        names.push_back(named.name);
    return names;
}

std::optional<ChatFormat> recognizeChatTemplate(std::string_view jinja)
{
    const auto has = [&](std::string_view marker) { return jinja.find(marker) != std::string_view::npos; };
    if (has("<｜User｜>") && has("<｜Assistant｜>"))
        return has("</think>") ? ChatFormat::DeepSeekR1 : ChatFormat::DeepSeekV3;
    if (has("### Instruction:") && has("### Response:"))
        return ChatFormat::DeepSeekCoder;
    if (has("'User: '") && has("'Assistant: '"))
        return ChatFormat::DeepSeekLlm;
    return std::nullopt;
}

ChatFormatChoice chooseChatFormat(const gguf::Metadata& metadata, std::optional<ChatFormat> override)
{
    if (override)
        return {*override, fmt::format("chat format {} (chosen explicitly)", chatFormatName(*override))};
    const auto jinja = metadata.getOptional<std::string>("tokenizer.chat_template");
    if (jinja) {
        if (const auto format = recognizeChatTemplate(*jinja))
            return {*format, fmt::format("chat format {} (recognized from the model's chat template)",
                                         chatFormatName(*format))};
    }
    const std::string pre = metadata.getOptional<std::string>("tokenizer.ggml.pre").value_or("");
    const std::optional<ChatFormat> family = pre == "deepseek-v3"      ? std::optional(ChatFormat::DeepSeekV3)
                                             : pre == "deepseek-coder" ? std::optional(ChatFormat::DeepSeekCoder)
                                             : pre == "deepseek-llm"   ? std::optional(ChatFormat::DeepSeekLlm)
                                                                       : std::nullopt;
    const std::string what = jinja ? "a chat template this build does not recognize" : "no chat template";
    if (!family)
        throw Error(fmt::format("{}: the model has {} and its tokenizer ('{}') names no DeepSeek family; choose "
                                "a chat format ({})",
                                metadata.source(), what, pre, fmt::join(chatFormatNames(), ", ")));
    return {*family, fmt::format("chat format {} (the model has {}; chosen from its tokenizer '{}': choose another "
                                 "if its answers look wrong)",
                                 chatFormatName(*family), what, pre)};
}

std::string renderChat(ChatFormat format, std::span<const ChatMessage> messages, bool addGenerationPrompt,
                       const ChatTokens& tokens)
{
    switch (format) {
    case ChatFormat::DeepSeekLlm: return renderLlm(messages, addGenerationPrompt, tokens);
    case ChatFormat::DeepSeekCoder: return renderCoder(messages, addGenerationPrompt, tokens);
    case ChatFormat::DeepSeekV3:
    case ChatFormat::DeepSeekR1: return renderV3(format, messages, addGenerationPrompt, tokens);
    }
    return {};
}

} // namespace latent::chat
