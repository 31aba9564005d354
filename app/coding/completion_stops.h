#pragma once

#include <QString>

#include <string_view>

namespace latent::app {

// When an inline completion being generated should stop, and what of it to show. A completion
// fills the gap at the cursor, so it ends at the first blank line after some content (the model
// has moved on to the next block), and a completion that only repeats the line after the cursor
// is no suggestion at all. The length limit is the generator's (GenerationOptions::maxTokens,
// CompletionRequest::maxTokens): CompletionStops does not count tokens.
//
// Fed the generator's pieces in order on the engine worker thread; not thread-safe.
class CompletionStops {
public:
    // suffix: the text after the cursor (FimWindow::suffix), to recognize a repeat of it.
    explicit CompletionStops(QString suffix);

    // Adds a piece of valid UTF-8 (as the generator's callback gives it). True: stop now, a
    // blank line followed content; the text is complete (what came after is left out).
    bool add(std::string_view piece);
    bool stopped() const { return stopped_; }

    // The completion to show, the rules applied: cut before a blank line after content, trailing
    // whitespace-only lines (and the last line end) dropped; empty when nothing but whitespace is
    // left, or when, trimmed, it is the suffix's first non-empty line, trimmed.
    QString text() const;

private:
    QString suffix_;
    QString text_;
    qsizetype contentStart_ = -1; // where the first non-whitespace character is; -1: none yet
    qsizetype scanFrom_ = 0;      // where the next look for a blank line begins
    bool stopped_ = false;
};

} // namespace latent::app
