#include "app/server/answer_format.h"

#include "app/server/thinking_split.h"

#include <chrono>
#include <random>

#include <fmt/format.h>

namespace latent::server {
namespace {

using nlohmann::json;

std::string answerId(std::string_view prefix)
{
    std::random_device random;
    return fmt::format("{}-{:08x}{:08x}", prefix, random(), random());
}

int64_t unixSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json usage(const AnswerSource& source, const GenerationResult& result)
{
    const int64_t completion = int64_t(result.tokens.size());
    return {{"prompt_tokens", source.promptTokens},
            {"completion_tokens", completion},
            {"total_tokens", source.promptTokens + completion}};
}

// The fields every OpenAI object of one answer shares.
class OpenAiAnswer : public AnswerFormat {
protected:
    OpenAiAnswer(const CompletionRequest& request, AnswerSource source, std::string_view idPrefix)
        : source_(std::move(source)), includeUsage_(request.includeUsage), id_(answerId(idPrefix)),
          created_(unixSeconds())
    {
    }

    json object(std::string_view type, json choices) const
    {
        return {{"id", id_}, {"object", type}, {"created", created_}, {"model", source_.model}, {"choices", std::move(choices)}};
    }

    // The final chunk with finish_reason, then usage: in a chunk of its own with no choices when
    // the client asked (stream_options.include_usage, as OpenAI does), else on that final chunk.
    std::vector<json> streamFinish(std::string_view type, json finalChoice, const GenerationResult& result) const
    {
        json last = object(type, json::array({std::move(finalChoice)}));
        if (!includeUsage_) {
            last["usage"] = usage(source_, result);
            return {last};
        }
        json usageChunk = object(type, json::array());
        usageChunk["usage"] = usage(source_, result);
        return {last, usageChunk};
    }

    AnswerSource source_;
    bool includeUsage_;
    std::string id_;
    int64_t created_;
};

class ChatAnswer final : public OpenAiAnswer {
public:
    ChatAnswer(const CompletionRequest& request, AnswerSource source)
        : OpenAiAnswer(request, std::move(source), "chatcmpl")
    {
    }

    std::vector<json> streamStart() override { return {chunk({{"role", "assistant"}, {"content", ""}})}; }

    std::vector<json> streamText(std::string_view text) override
    {
        if (!source_.splitThinking)
            return text.empty() ? std::vector<json>{} : std::vector<json>{chunk({{"content", text}})};
        return chunks(split_.push(text));
    }

    std::vector<json> streamEnd(const GenerationJob::Update& end) override
    {
        std::vector<json> events = source_.splitThinking ? chunks(split_.finish()) : std::vector<json>{};
        const json finalChoice = {{"index", 0},
                                  {"delta", json::object()},
                                  {"logprobs", nullptr},
                                  {"finish_reason", finishReason(end.result.reason)}};
        for (json& event : streamFinish("chat.completion.chunk", finalChoice, end.result))
            events.push_back(std::move(event));
        return events;
    }

    json answer(const GenerationJob::Update& end) override
    {
        json message = {{"role", "assistant"}};
        if (source_.splitThinking) {
            ThinkingSplit split;
            SplitText text = split.push(end.result.text);
            const SplitText rest = split.finish();
            message["content"] = text.content + rest.content;
            message["reasoning_content"] = text.reasoning + rest.reasoning;
        } else {
            message["content"] = end.result.text;
        }
        json answer = object("chat.completion", json::array({{{"index", 0},
                                                              {"message", message},
                                                              {"logprobs", nullptr},
                                                              {"finish_reason", finishReason(end.result.reason)}}}));
        answer["usage"] = usage(source_, end.result);
        return answer;
    }

private:
    json chunk(json delta) const
    {
        return object("chat.completion.chunk",
                      json::array({{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr}, {"finish_reason", nullptr}}}));
    }

    // DeepSeek's API sends the thinking and the answer in chunks of their own.
    std::vector<json> chunks(const SplitText& text) const
    {
        std::vector<json> events;
        if (!text.reasoning.empty())
            events.push_back(chunk({{"reasoning_content", text.reasoning}}));
        if (!text.content.empty())
            events.push_back(chunk({{"content", text.content}}));
        return events;
    }

    ThinkingSplit split_;
};

class CompletionAnswer final : public OpenAiAnswer {
public:
    CompletionAnswer(const CompletionRequest& request, AnswerSource source)
        : OpenAiAnswer(request, std::move(source), "cmpl")
    {
    }

    std::vector<json> streamText(std::string_view text) override
    {
        if (text.empty())
            return {};
        return {object("text_completion", json::array({choice(text, nullptr)}))};
    }

    std::vector<json> streamEnd(const GenerationJob::Update& end) override
    {
        return streamFinish("text_completion", choice("", finishReason(end.result.reason)), end.result);
    }

    json answer(const GenerationJob::Update& end) override
    {
        json answer = object("text_completion", json::array({choice(end.result.text, finishReason(end.result.reason))}));
        answer["usage"] = usage(source_, end.result);
        return answer;
    }

private:
    static json choice(std::string_view text, json finish)
    {
        return {{"index", 0}, {"text", text}, {"logprobs", nullptr}, {"finish_reason", std::move(finish)}};
    }
};

// llama.cpp's /infill answer, with the fields llama.vim and llama.vscode read.
class InfillAnswer final : public AnswerFormat {
public:
    explicit InfillAnswer(AnswerSource source) : source_(std::move(source)) {}

    std::vector<json> streamText(std::string_view text) override
    {
        if (text.empty())
            return {};
        return {{{"content", text}, {"stop", false}}};
    }

    std::vector<json> streamEnd(const GenerationJob::Update& end) override { return {final("", end)}; }
    bool endsWithDone() const override { return false; }
    json answer(const GenerationJob::Update& end) override { return final(end.result.text, end); }

private:
    json final(std::string_view content, const GenerationJob::Update& end) const
    {
        const GenerationResult& result = end.result;
        const int64_t predicted = int64_t(result.tokens.size());
        const double promptMs = result.promptSeconds * 1000, predictedMs = result.generateSeconds * 1000;
        const auto perSecond = [](int64_t count, double ms) { return ms > 0 ? double(count) * 1000 / ms : 0.0; };
        return {{"content", content},
                {"stop", true},
                {"model", source_.model},
                {"tokens_predicted", predicted},
                {"tokens_evaluated", source_.promptTokens},
                {"tokens_cached", end.cachedTokens},
                {"truncated", false},
                {"stopped_eos", result.reason == StopReason::EndOfGeneration},
                {"stopped_word", result.reason == StopReason::StopString},
                {"stopped_limit", result.reason == StopReason::MaxTokens || result.reason == StopReason::ContextFull},
                {"timings",
                 {{"prompt_n", result.promptTokens},
                  {"prompt_ms", promptMs},
                  {"prompt_per_second", perSecond(result.promptTokens, promptMs)},
                  {"predicted_n", predicted},
                  {"predicted_ms", predictedMs},
                  {"predicted_per_second", perSecond(predicted, predictedMs)}}}};
    }

    AnswerSource source_;
};

} // namespace

std::string finishReason(StopReason reason)
{
    return reason == StopReason::MaxTokens || reason == StopReason::ContextFull ? "length" : "stop";
}

std::unique_ptr<AnswerFormat> makeAnswerFormat(const CompletionRequest& request, const AnswerSource& source)
{
    switch (request.endpoint) {
    case Endpoint::ChatCompletions:
        return std::make_unique<ChatAnswer>(request, source);
    case Endpoint::Completions:
        return std::make_unique<CompletionAnswer>(request, source);
    case Endpoint::Infill:
        return std::make_unique<InfillAnswer>(source);
    }
    return nullptr;
}

} // namespace latent::server
