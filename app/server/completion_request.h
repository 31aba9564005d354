#pragma once

#include "engine/chat/chat_template.h"
#include "engine/session/generation.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latent::server {

// Which API a request came through; it decides the prompt and the answer's shape.
enum class Endpoint {
    ChatCompletions, // POST /v1/chat/completions
    Completions,     // POST /v1/completions
    Infill,          // POST /infill, llama.cpp's shape (llama.vim, llama.vscode)
};

struct ExtraFile {
    std::string filename;
    std::string text;
};

// One generation request, checked: every field has its type and range.
struct CompletionRequest {
    Endpoint endpoint = Endpoint::ChatCompletions;
    std::vector<chat::ChatMessage> messages; // chat
    std::string prompt;                      // completions; infill: text after the prefix's lines
    std::optional<std::string> suffix;       // completions with fill-in-the-middle; infill's input_suffix
    std::string prefix;                      // infill's input_prefix
    std::vector<ExtraFile> extraFiles;       // infill's input_extra: other files, for context
    bool stream = false;
    bool includeUsage = false; // stream_options.include_usage: usage in a chunk of its own
    bool maxTokensGiven = false;
    GenerationOptions generation;
};

// The server's bounds on what a request may ask.
struct RequestLimits {
    int64_t maxTokens = 4096; // the most tokens one answer may ask for
};

// These throw ApiError (400) naming the field that is wrong and what it should be. A request
// without max_tokens gets limits.maxTokens; without a seed, a random one.
CompletionRequest parseChatRequest(const nlohmann::json& body, const RequestLimits& limits);
CompletionRequest parseCompletionRequest(const nlohmann::json& body, const RequestLimits& limits);
CompletionRequest parseInfillRequest(const nlohmann::json& body, const RequestLimits& limits);

// The JSON of a request body; throws ApiError (400) when it is not a JSON object.
nlohmann::json parseBody(const std::string& body);

} // namespace latent::server
