#pragma once

#include "app/coding/fim_window.h"

#include <QString>

#include <atomic>
#include <functional>

namespace latent {
class Session;
namespace tokenizer {
class Tokenizer;
}
} // namespace latent

namespace latent::app {

// One completion asked for at a cursor: the document, where the cursor is, how much of the
// document the prompt takes, and how long the completion may be.
struct CompletionRequest {
    QString text;
    int cursorOffset = 0; // UTF-16 index into text
    FimSettings window;
    int maxTokens = 64;
};

struct CompletionResult {
    QString text;            // the completion to show, stop rules applied (empty: nothing to show)
    int promptTokens = 0;    // the fill-in-the-middle prompt
    int evaluatedTokens = 0; // of those, evaluated by this run (the rest were in the session's cache)
    int generatedTokens = 0;
    bool cancelled = false;  // *cancel turned true before it ended
    double seconds = 0;      // the whole run: prompt, evaluation and generation
};

// Runs one completion in the session that completions keep (never the chat's, so neither throws
// away the other's cache): assembles the fill-in-the-middle prompt, keeps the tokens it shares
// with the previous completion's prompt, evaluates the rest, and generates greedily until a stop
// rule (completion_stops.h) or maxTokens. onGrow receives the completion so far as it grows.
// Throws Error when the model has no fill-in-the-middle tokens or the prompt does not fit.
CompletionResult runCompletion(Session& session, const tokenizer::Tokenizer& tokenizer,
                               const CompletionRequest& request, const std::atomic<bool>* cancel,
                               const std::function<void(const QString& text)>& onGrow);

// Whether a model's vocabulary has the fill-in-the-middle tokens completions need.
bool canFillInMiddle(const tokenizer::Tokenizer& tokenizer);

} // namespace latent::app
