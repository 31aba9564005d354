#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace latent::gguf {
class Metadata;
}

namespace latent::chat {

// The prompt formats DeepSeek's chat models were trained on.
enum class ChatFormat {
    DeepSeekLlm,   // deepseek-llm chat and DeepSeek-V2 chat: "User: ...\n\nAssistant: ..."
    DeepSeekCoder, // deepseek-coder instruct: "### Instruction:\n...\n### Response:\n..."
    DeepSeekV3,    // DeepSeek-V2.5 and V3: "<｜User｜>...<｜Assistant｜>..."
    DeepSeekR1,    // R1: as V3, with each earlier answer's <think> section left out of the history
};

struct ChatMessage {
    std::string role; // "system", "user" or "assistant"
    std::string content;
};

// The texts of the special tokens a format writes (from the model's tokenizer).
struct ChatTokens {
    std::string bos;
    std::string eos;
};

std::string_view chatFormatName(ChatFormat format);
std::optional<ChatFormat> chatFormatFromName(std::string_view name);
std::vector<std::string_view> chatFormatNames();

// The format a Jinja chat template (tokenizer.chat_template) writes, recognized by the markers
// each DeepSeek template uses; nullopt for any other template.
std::optional<ChatFormat> recognizeChatTemplate(std::string_view jinja);

struct ChatFormatChoice {
    ChatFormat format;
    std::string reason; // how it was chosen, for the CLI and the app to show
};

// The format for a model: the override when given; else the one its chat template is
// recognized as; else, for a file without a recognizable template, the format of its
// tokenizer's family (tokenizer.ggml.pre), saying so in the reason. Throws Error when none fits.
ChatFormatChoice chooseChatFormat(const gguf::Metadata& metadata, std::optional<ChatFormat> override);

// The prompt text of a conversation. Throws Error for a role the format does not have.
std::string renderChat(ChatFormat format, std::span<const ChatMessage> messages, bool addGenerationPrompt,
                       const ChatTokens& tokens);

} // namespace latent::chat
