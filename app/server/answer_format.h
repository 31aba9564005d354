#pragma once

#include "app/server/completion_request.h"
#include "app/server/generation_job.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace latent::server {

// The JSON an endpoint answers with: the whole answer at once, or the events of its stream.
class AnswerFormat {
public:
    virtual ~AnswerFormat() = default;

    virtual std::vector<nlohmann::json> streamStart() { return {}; }
    virtual std::vector<nlohmann::json> streamText(std::string_view text) = 0;
    // The last events, from the finished job (usage, why it ended).
    virtual std::vector<nlohmann::json> streamEnd(const GenerationJob::Update& end) = 0;
    // OpenAI's streams end with `data: [DONE]`; llama.cpp's /infill stream does not.
    virtual bool endsWithDone() const { return true; }
    virtual nlohmann::json answer(const GenerationJob::Update& end) = 0;
};

struct AnswerSource {
    std::string model;        // the served model's name
    int64_t promptTokens = 0; // the whole prompt, cached or not
    bool splitThinking = false; // an R1 chat: <think>...</think> goes to reasoning_content
};

std::unique_ptr<AnswerFormat> makeAnswerFormat(const CompletionRequest& request, const AnswerSource& source);

// OpenAI's finish_reason for why a generation ended: "stop" or "length".
std::string finishReason(StopReason reason);

} // namespace latent::server
