#include "app/server/request_prompt.h"

#include "app/server/api_error.h"
#include "engine/core/error.h"
#include "engine/model/loaded_model.h"

#include <fmt/format.h>

namespace latent::server {
namespace {

std::vector<int32_t> fillInMiddle(const tokenizer::Tokenizer& tokenizer, const std::string& prefix,
                                  const std::string& suffix, const char* param)
{
    const tokenizer::TokenizerSpec& spec = tokenizer.spec();
    if (!spec.fimPrefix || !spec.fimSuffix || !spec.fimMiddle)
        throw invalidRequest(fmt::format("this model has no fill-in-the-middle tokens, so it cannot complete between "
                                         "a prefix and a suffix: leave out {} or serve a DeepSeek-Coder base model",
                                         param),
                             param);
    return tokenizer.encodeFillInMiddle(prefix, suffix);
}

// llama.cpp's input_extra: the other files an editor sends for context, before the prefix.
std::string withExtraFiles(const CompletionRequest& request)
{
    std::string prefix;
    for (const ExtraFile& file : request.extraFiles) {
        if (!file.filename.empty())
            prefix += file.filename + "\n";
        prefix += file.text;
        if (!file.text.empty() && file.text.back() != '\n')
            prefix += '\n';
        prefix += '\n';
    }
    return prefix + request.prefix + request.prompt;
}

std::vector<int32_t> tokens(const CompletionRequest& request, const ServedModel& model)
{
    const tokenizer::Tokenizer& tokenizer = *model.tokenizer;
    switch (request.endpoint) {
    case Endpoint::ChatCompletions:
        return chatPromptTokens(tokenizer, model.chatFormat, request.messages);
    case Endpoint::Completions:
        if (request.suffix)
            return fillInMiddle(tokenizer, request.prompt, *request.suffix, "suffix");
        return tokenizer.encode(request.prompt, {.addBos = tokenizer.spec().addBos, .parseSpecial = false});
    case Endpoint::Infill:
        return fillInMiddle(tokenizer, withExtraFiles(request), request.suffix.value_or(""), "input_suffix");
    }
    return {};
}

} // namespace

std::vector<int32_t> requestPrompt(const CompletionRequest& request, const ServedModel& model)
{
    std::vector<int32_t> prompt;
    try {
        prompt = tokens(request, model);
    } catch (const Error& error) { // a role the chat format does not have
        throw invalidRequest(error.what(), "messages");
    }
    if (prompt.empty())
        throw invalidRequest("the prompt is empty: give some text to continue", "prompt");
    if (int64_t(prompt.size()) >= model.contextLength)
        throw invalidRequest(fmt::format("the prompt is {} tokens, and this server's context holds {} (with room for "
                                         "at least one answer token): shorten the prompt or the conversation",
                                         prompt.size(), model.contextLength),
                             request.endpoint == Endpoint::ChatCompletions ? "messages" : "prompt",
                             "context_length_exceeded");
    return prompt;
}

} // namespace latent::server
