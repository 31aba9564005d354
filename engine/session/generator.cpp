#include "engine/session/generator.h"

#include "engine/tokenizer/stream_decoder.h"

#include <algorithm>
#include <chrono>

namespace latent {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Streams text, holding back what could still become a stop string.
class StopStringFilter {
public:
    StopStringFilter(const std::vector<std::string>& stops, const PieceCallback& onPiece, std::string& text)
        : stops_(stops), onPiece_(onPiece), text_(text)
    {
    }

    // Adds a piece; true when a stop string has appeared (the text is then cut before it).
    bool add(std::string_view piece)
    {
        text_ += piece;
        for (const std::string& stop : stops_) {
            if (stop.empty())
                continue;
            const size_t from = emitted_ > stop.size() ? emitted_ - stop.size() : 0;
            const size_t found = text_.find(stop, from);
            if (found != std::string::npos) {
                text_.resize(found);
                flush();
                return true;
            }
        }
        size_t hold = 0;
        for (const std::string& stop : stops_) {
            for (size_t length = std::min(stop.size() - 1, text_.size() - emitted_); length > hold; --length) {
                if (text_.compare(text_.size() - length, length, stop, 0, length) == 0) {
                    hold = length;
                    break;
                }
            }
        }
        emit(text_.size() - hold);
        return false;
    }

    void flush() { emit(text_.size()); }

private:
    void emit(size_t end)
    {
        if (end > emitted_ && onPiece_)
            onPiece_(std::string_view(text_).substr(emitted_, end - emitted_));
        emitted_ = std::max(emitted_, end);
    }

    const std::vector<std::string>& stops_;
    const PieceCallback& onPiece_;
    std::string& text_;
    size_t emitted_ = 0;
};

} // namespace

GenerationResult generate(Session& session, const tokenizer::Tokenizer& tokenizer, std::span<const int32_t> prompt,
                          const GenerationOptions& options, const PieceCallback& onPiece,
                          const std::atomic<bool>* cancel)
{
    GenerationResult result;
    std::vector<float> logits;
    const auto promptStart = Clock::now();
    const bool evaluated = session.evaluate(prompt, Model::Logits::Last, logits, cancel);
    result.promptTokens = int64_t(prompt.size());
    result.promptSeconds = secondsSince(promptStart);
    if (!evaluated) {
        result.reason = StopReason::Cancelled;
        return result;
    }

    Sampler sampler(options.sampling);
    tokenizer::StreamDecoder decoder(tokenizer);
    StopStringFilter filter(options.stopStrings, onPiece, result.text);
    const auto generateStart = Clock::now();
    result.reason = StopReason::MaxTokens;
    while (options.maxTokens < 0 || int64_t(result.tokens.size()) < options.maxTokens) {
        if (cancel && cancel->load()) {
            result.reason = StopReason::Cancelled;
            break;
        }
        const int32_t token = sampler.sample(logits, session.tokens());
        if (tokenizer.isEndOfGeneration(token)) {
            result.reason = StopReason::EndOfGeneration;
            break;
        }
        result.tokens.push_back(token);
        if (filter.add(decoder.push(token))) {
            result.reason = StopReason::StopString;
            break;
        }
        if (session.position() >= session.capacity()) {
            result.reason = StopReason::ContextFull;
            break;
        }
        const int32_t next[] = {token};
        session.evaluate(next, Model::Logits::Last, logits);
    }
    if (result.reason != StopReason::StopString)
        filter.add(decoder.finish());
    filter.flush();
    result.generateSeconds = secondsSince(generateStart);
    return result;
}

} // namespace latent
