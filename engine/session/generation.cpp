#include "engine/session/generation.h"

#include <algorithm>

namespace latent {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

Generation::Generation(Session& session, const tokenizer::Tokenizer& tokenizer, GenerationOptions options)
    : session_(session), tokenizer_(tokenizer), options_(std::move(options)), sampler_(options_.sampling),
      decoder_(tokenizer)
{
}

bool Generation::start(std::span<const int32_t> prompt, const std::atomic<bool>* cancel)
{
    const auto promptStart = Clock::now();
    const bool evaluated = session_.evaluate(prompt, Model::Logits::Last, logits_, cancel);
    result_.promptTokens = int64_t(prompt.size());
    result_.promptSeconds = secondsSince(promptStart);
    generateStart_ = Clock::now();
    if (!evaluated)
        finish(StopReason::Cancelled);
    return evaluated;
}

std::string Generation::step()
{
    if (finished_)
        return {};
    if (options_.maxTokens >= 0 && int64_t(result_.tokens.size()) >= options_.maxTokens)
        return finish(StopReason::MaxTokens);
    const int32_t token = sampler_.sample(logits_, session_.tokens());
    if (tokenizer_.isEndOfGeneration(token))
        return finish(StopReason::EndOfGeneration);
    result_.tokens.push_back(token);
    std::string out;
    if (release(decoder_.push(token), out))
        return finish(StopReason::StopString, std::move(out));
    if (session_.position() >= session_.capacity())
        return finish(StopReason::ContextFull, std::move(out));
    const int32_t next[] = {token};
    session_.evaluate(next, Model::Logits::Last, logits_);
    return out;
}

std::string Generation::cancel()
{
    return finished_ ? std::string() : finish(StopReason::Cancelled);
}

bool Generation::release(std::string_view piece, std::string& out)
{
    std::string& text = result_.text;
    text += piece;
    for (const std::string& stop : options_.stopStrings) {
        if (stop.empty())
            continue;
        const size_t from = released_ > stop.size() ? released_ - stop.size() : 0;
        const size_t found = text.find(stop, from);
        if (found != std::string::npos) {
            text.resize(std::max(found, released_));
            out += text.substr(released_);
            released_ = text.size();
            return true;
        }
    }
    // Hold back the longest tail that begins a stop string.
    size_t hold = 0;
    for (const std::string& stop : options_.stopStrings) {
        for (size_t length = std::min(stop.size() - 1, text.size() - released_); length > hold; --length) {
            if (text.compare(text.size() - length, length, stop, 0, length) == 0) {
                hold = length;
                break;
            }
        }
    }
    const size_t end = text.size() - hold;
    if (end > released_) {
        out += text.substr(released_, end - released_);
        released_ = end;
    }
    return false;
}

std::string Generation::finish(StopReason reason, std::string out)
{
    if (reason != StopReason::StopString)
        release(decoder_.finish(), out);
    out += result_.text.substr(released_);
    released_ = result_.text.size();
    result_.reason = reason;
    result_.generateSeconds = secondsSince(generateStart_);
    finished_ = true;
    return out;
}

} // namespace latent
