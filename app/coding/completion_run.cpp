#include "app/coding/completion_run.h"

#include "app/coding/completion_stops.h"
#include "engine/core/error.h"
#include "engine/session/generator.h"
#include "engine/session/session.h"
#include "engine/tokenizer/tokenizer.h"

#include <QElapsedTimer>

#include <algorithm>

namespace latent::app {

bool canFillInMiddle(const tokenizer::Tokenizer& tokenizer)
{
    const tokenizer::TokenizerSpec& spec = tokenizer.spec();
    return spec.fimPrefix && spec.fimSuffix && spec.fimMiddle;
}

CompletionResult runCompletion(Session& session, const tokenizer::Tokenizer& tokenizer,
                               const CompletionRequest& request, const std::atomic<bool>* cancel,
                               const std::function<void(const QString& text)>& onGrow)
{
    QElapsedTimer clock;
    clock.start();
    const FimWindow window = fimWindow(request.text, request.cursorOffset, tokenizer, request.window);
    const std::vector<int32_t>& prompt = window.promptIds;
    CompletionResult result;
    result.promptTokens = int(prompt.size());

    // At least the last prompt token is evaluated again: its logits start the completion.
    const int64_t kept = std::min(session.sharedPrefix(prompt), int64_t(prompt.size()) - 1);
    session.truncate(kept);
    result.evaluatedTokens = int(int64_t(prompt.size()) - kept);

    // The prompt but its last token is evaluated here, so that a keystroke cancels it between
    // batches (what it evaluated stays in the cache for the next request); the generator then
    // polls one flag, which turns true on the caller's cancel or on a stop rule.
    const std::span<const int32_t> rest = std::span(prompt).subspan(size_t(kept));
    std::vector<float> unused;
    if (rest.size() > 1 && !session.evaluate(rest.first(rest.size() - 1), Model::Logits::None, unused, cancel)) {
        result.cancelled = true;
        result.seconds = double(clock.nsecsElapsed()) / 1e9;
        return result;
    }
    std::atomic<bool> halt{false};
    bool stopped = false;
    CompletionStops stops(window.suffix);
    GenerationOptions options;
    options.maxTokens = request.maxTokens;
    options.sampling.temperature = 0; // greedy: the same text at the same place, and no draw to pay for
    options.sampling.repeatPenalty = 1;
    const auto onPiece = [&](std::string_view piece) {
        if (cancel && cancel->load())
            halt = true;
        if (stopped || halt)
            return;
        stopped = stops.add(piece);
        halt = stopped;
        if (onGrow)
            onGrow(stops.text());
    };
    const GenerationResult generated = generate(session, tokenizer, rest.last(1), options, onPiece, &halt);
    result.generatedTokens = int(generated.tokens.size());
    result.cancelled = !stopped && cancel && cancel->load();
    result.text = result.cancelled ? QString() : stops.text();
    result.seconds = double(clock.nsecsElapsed()) / 1e9;
    return result;
}

} // namespace latent::app
