#pragma once

#include "engine/sampling/sampler.h"
#include "engine/session/session.h"
#include "engine/tokenizer/stream_decoder.h"
#include "engine/tokenizer/tokenizer.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace latent {

enum class StopReason {
    EndOfGeneration, // the model ended its turn (EOS or EOT)
    StopString,
    MaxTokens,
    Cancelled,
    ContextFull,
};

struct GenerationOptions {
    int maxTokens = 512; // < 0: until the context is full
    std::vector<std::string> stopStrings;
    SamplerParams sampling;
};

struct GenerationResult {
    std::string text; // what was released, without a stop string that ended it
    std::vector<int32_t> tokens;
    StopReason reason = StopReason::EndOfGeneration;
    int64_t promptTokens = 0;
    double promptSeconds = 0;
    double generateSeconds = 0;
};

// One answer generated a token at a time, so that a caller can interleave several (a server's
// streams on one engine thread) or stop between any two tokens. Text that could be the start of
// a stop string is held back until it is clear that it is not; what step() returns is valid UTF-8.
class Generation {
public:
    Generation(Session& session, const tokenizer::Tokenizer& tokenizer, GenerationOptions options);

    // Evaluates the prompt after what the session holds. When *cancel turns true (checked between
    // the prompt's batches) it returns false and the generation is finished, Cancelled.
    bool start(std::span<const int32_t> prompt, const std::atomic<bool>* cancel = nullptr);
    // Samples one token and evaluates it: returns the text it releases (possibly empty). Ends at
    // the end of the turn, a stop string, maxTokens, or a full context; then finished() is true.
    std::string step();
    // Ends it as Cancelled; returns the text that was still held back.
    std::string cancel();

    bool finished() const { return finished_; }
    const GenerationResult& result() const { return result_; }

private:
    // Adds decoded text; true when a stop string appeared (the text is then cut before it).
    bool release(std::string_view piece, std::string& out);
    std::string finish(StopReason reason, std::string out = {});

    Session& session_;
    const tokenizer::Tokenizer& tokenizer_;
    GenerationOptions options_;
    Sampler sampler_;
    tokenizer::StreamDecoder decoder_;
    std::vector<float> logits_;
    GenerationResult result_;
    size_t released_ = 0; // result_.text[0, released_) has been returned
    bool finished_ = false;
    std::chrono::steady_clock::time_point generateStart_;
};

} // namespace latent
