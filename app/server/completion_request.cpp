#include "app/server/completion_request.h"

#include "app/server/api_error.h"

#include <fmt/format.h>

#include <limits>
#include <random>

namespace latent::server {
namespace {

using nlohmann::json;

constexpr size_t kMaxStopStrings = 4; // as OpenAI's API

// The field's value; nullptr when it is absent or null (both mean "the default").
const json* field(const json& body, const std::string& name)
{
    const auto found = body.find(name);
    return found == body.end() || found->is_null() ? nullptr : &*found;
}

double number(const json& body, const std::string& name, double low, double high, double fallback)
{
    const json* value = field(body, name);
    if (!value)
        return fallback;
    if (!value->is_number())
        throw invalidRequest(fmt::format("{} must be a number from {} to {}", name, low, high), name);
    const double x = value->get<double>();
    if (x < low || x > high)
        throw invalidRequest(fmt::format("{} is {}: it must be from {} to {}", name, x, low, high), name);
    return x;
}

std::optional<int64_t> integer(const json& body, const std::string& name, int64_t low, int64_t high)
{
    const json* value = field(body, name);
    if (!value)
        return std::nullopt;
    if (!value->is_number_integer())
        throw invalidRequest(fmt::format("{} must be a whole number from {} to {}", name, low, high), name);
    // Unsigned values above int64's range would wrap: compare them as they are.
    if (value->is_number_unsigned() && value->get<uint64_t>() > uint64_t(high))
        throw invalidRequest(fmt::format("{} is {}: it must be from {} to {}", name, value->get<uint64_t>(), low, high),
                             name);
    const int64_t x = value->get<int64_t>();
    if (x < low || x > high)
        throw invalidRequest(fmt::format("{} is {}: it must be from {} to {}", name, x, low, high), name);
    return x;
}

bool boolean(const json& body, const std::string& name, bool fallback)
{
    const json* value = field(body, name);
    if (!value)
        return fallback;
    if (!value->is_boolean())
        throw invalidRequest(fmt::format("{} must be true or false", name), name);
    return value->get<bool>();
}

std::optional<std::string> text(const json& body, const std::string& name)
{
    const json* value = field(body, name);
    if (!value)
        return std::nullopt;
    if (!value->is_string())
        throw invalidRequest(fmt::format("{} must be a string", name), name);
    return value->get<std::string>();
}

std::vector<std::string> stopStrings(const json& body)
{
    const json* value = field(body, "stop");
    if (!value)
        return {};
    if (value->is_string())
        return {value->get<std::string>()};
    const std::string expected = fmt::format("stop must be a string or an array of up to {} strings", kMaxStopStrings);
    if (!value->is_array() || value->size() > kMaxStopStrings)
        throw invalidRequest(expected, "stop");
    std::vector<std::string> stops;
    for (const json& stop : *value) {
        if (!stop.is_string())
            throw invalidRequest(expected, "stop");
        stops.push_back(stop.get<std::string>());
    }
    return stops;
}

// max_tokens (or its other names): at most the server's limit; absent, the limit itself.
void readMaxTokens(const json& body, std::initializer_list<const char*> names, const RequestLimits& limits,
                   CompletionRequest& request)
{
    request.generation.maxTokens = int(limits.maxTokens);
    for (const char* name : names) {
        const json* value = field(body, name);
        if (!value)
            continue;
        if (!value->is_number_integer() || value->get<int64_t>() < 0)
            throw invalidRequest(fmt::format("{} must be a whole number of tokens from 0", name), name);
        if (value->get<int64_t>() > limits.maxTokens)
            throw invalidRequest(fmt::format("{} is {}, above this server's limit of {} tokens: ask for fewer (the "
                                             "server's --max-tokens-limit sets the limit)",
                                             name, value->get<int64_t>(), limits.maxTokens),
                                 name);
        request.generation.maxTokens = int(value->get<int64_t>());
        request.maxTokensGiven = true;
    }
}

// The sampling fields every endpoint takes; `defaults` are the endpoint's own.
void readSampling(const json& body, const SamplerParams& defaults, CompletionRequest& request)
{
    SamplerParams& s = request.generation.sampling;
    s = defaults;
    s.temperature = float(number(body, "temperature", 0, 2, defaults.temperature));
    s.topP = float(number(body, "top_p", 0, 1, defaults.topP));
    s.topK = int(integer(body, "top_k", 0, std::numeric_limits<int>::max()).value_or(defaults.topK));
    s.minP = float(number(body, "min_p", 0, 1, defaults.minP));
    s.frequencyPenalty = float(number(body, "frequency_penalty", -2, 2, defaults.frequencyPenalty));
    s.presencePenalty = float(number(body, "presence_penalty", -2, 2, defaults.presencePenalty));
    s.repeatPenalty = float(number(body, "repeat_penalty", 0.01, 10, defaults.repeatPenalty));
    const std::optional<int64_t> seed = integer(body, "seed", 0, std::numeric_limits<int64_t>::max());
    s.seed = seed ? uint64_t(*seed) : std::random_device()();
    request.generation.stopStrings = stopStrings(body);
    request.stream = boolean(body, "stream", false);
}

// OpenAI's defaults: the model's own distribution, nothing cut.
constexpr SamplerParams kOpenAiSampling{.temperature = 1.0f, .topK = 0, .topP = 1.0f, .minP = 0};
// llama.cpp's server defaults, which llama.vim and llama.vscode expect.
constexpr SamplerParams kLlamaCppSampling{.temperature = 0.8f, .topK = 40, .topP = 0.95f, .minP = 0.05f};

void requireObject(const json& body)
{
    if (!body.is_object())
        throw invalidRequest("the request body must be a JSON object");
}

void readOpenAiCommon(const json& body, const RequestLimits& limits, CompletionRequest& request)
{
    if (const std::optional<int64_t> n = integer(body, "n", 1, 1000); n && *n != 1)
        throw invalidRequest(fmt::format("n is {}: this server makes one choice per request (n: 1)", *n), "n");
    readSampling(body, kOpenAiSampling, request);
    readMaxTokens(body, {"max_tokens", "max_completion_tokens"}, limits, request);
    if (const json* options = field(body, "stream_options")) {
        if (!options->is_object())
            throw invalidRequest("stream_options must be an object such as {\"include_usage\": true}",
                                 "stream_options");
        request.includeUsage = boolean(*options, "include_usage", false);
    }
}

std::string messageContent(const json& content, size_t index)
{
    const std::string name = fmt::format("messages[{}].content", index);
    if (content.is_null())
        return {};
    if (content.is_string())
        return content.get<std::string>();
    if (!content.is_array())
        throw invalidRequest(name + " must be a string or an array of {\"type\": \"text\", \"text\": ...} parts", name);
    std::string joined;
    for (size_t part = 0; part < content.size(); ++part) {
        const json& p = content[part];
        const std::string partName = fmt::format("{}[{}]", name, part);
        if (!p.is_object() || p.value("type", json()) != "text" || !p.contains("text") || !p["text"].is_string())
            throw invalidRequest(partName + " must be {\"type\": \"text\", \"text\": \"...\"}: this server takes text only",
                                 partName);
        joined += p["text"].get<std::string>();
    }
    return joined;
}

std::vector<chat::ChatMessage> chatMessages(const json& body)
{
    const json* messages = field(body, "messages");
    if (!messages || !messages->is_array() || messages->empty())
        throw invalidRequest("messages must be a non-empty array of {\"role\", \"content\"} objects", "messages");
    std::vector<chat::ChatMessage> result;
    for (size_t i = 0; i < messages->size(); ++i) {
        const json& message = (*messages)[i];
        const std::string roleName = fmt::format("messages[{}].role", i);
        if (!message.is_object())
            throw invalidRequest(fmt::format("messages[{}] must be an object with role and content", i),
                                 fmt::format("messages[{}]", i));
        const json role = message.value("role", json());
        if (!role.is_string())
            throw invalidRequest(roleName + " must be \"system\", \"user\" or \"assistant\"", roleName);
        std::string roleText = role.get<std::string>();
        if (roleText == "developer") // OpenAI's newer name for the system prompt
            roleText = "system";
        if (roleText != "system" && roleText != "user" && roleText != "assistant")
            throw invalidRequest(fmt::format("{} is \"{}\": it must be \"system\", \"user\" or \"assistant\"", roleName,
                                             roleText),
                                 roleName);
        result.push_back({roleText, messageContent(message.value("content", json()), i)});
    }
    return result;
}

} // namespace

json parseBody(const std::string& body)
{
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded())
        throw invalidRequest("the request body is not valid JSON: send a JSON object (Content-Type: application/json)");
    requireObject(parsed);
    return parsed;
}

CompletionRequest parseChatRequest(const json& body, const RequestLimits& limits)
{
    requireObject(body);
    CompletionRequest request;
    request.endpoint = Endpoint::ChatCompletions;
    request.messages = chatMessages(body);
    readOpenAiCommon(body, limits, request);
    return request;
}

CompletionRequest parseCompletionRequest(const json& body, const RequestLimits& limits)
{
    requireObject(body);
    CompletionRequest request;
    request.endpoint = Endpoint::Completions;
    const json* prompt = field(body, "prompt");
    // OpenAI also takes an array of prompts, one choice each; one is all this server answers.
    if (prompt && prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string())
        prompt = &(*prompt)[0];
    if (!prompt || !prompt->is_string())
        throw invalidRequest("prompt must be a string", "prompt");
    request.prompt = prompt->get<std::string>();
    request.suffix = text(body, "suffix");
    readOpenAiCommon(body, limits, request);
    return request;
}

CompletionRequest parseInfillRequest(const json& body, const RequestLimits& limits)
{
    requireObject(body);
    CompletionRequest request;
    request.endpoint = Endpoint::Infill;
    request.prefix = text(body, "input_prefix").value_or("");
    request.suffix = text(body, "input_suffix").value_or("");
    request.prompt = text(body, "prompt").value_or("");
    if (const json* extra = field(body, "input_extra")) {
        const std::string expected = "input_extra must be an array of {\"filename\", \"text\"} objects";
        if (!extra->is_array())
            throw invalidRequest(expected, "input_extra");
        for (size_t i = 0; i < extra->size(); ++i) {
            const json& file = (*extra)[i];
            const std::string name = fmt::format("input_extra[{}]", i);
            const auto isTextOrAbsent = [&](const char* key) { return !file.contains(key) || file[key].is_string(); };
            if (!file.is_object() || !isTextOrAbsent("filename") || !isTextOrAbsent("text"))
                throw invalidRequest(expected, name);
            request.extraFiles.push_back({file.value("filename", ""), file.value("text", "")});
        }
    }
    readSampling(body, kLlamaCppSampling, request);
    // llama.cpp's n_predict: -1 means "as many as allowed".
    request.generation.maxTokens = int(limits.maxTokens);
    if (const std::optional<int64_t> n = integer(body, "n_predict", -1, limits.maxTokens); n && *n >= 0) {
        request.generation.maxTokens = int(*n);
        request.maxTokensGiven = true;
    }
    return request;
}

} // namespace latent::server
