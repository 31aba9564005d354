#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace latent::tokenizer {
class Tokenizer;
}

namespace latent::app {

// How much of the file an inline completion sees around the cursor (the defaults are llama.vim's).
struct FimSettings {
    int linesBefore = 256;      // whole lines before the cursor's line, at most
    int linesAfter = 64;        // whole lines after the cursor's line, at most
    int maxPromptTokens = 1500; // the whole prompt: BOS and the three FIM tokens included
    // The whole lines after the cursor's line, at most (the rest of that line always goes in).
    // Every keystroke changes the prompt at the cursor, so all that follows it, these lines
    // included, is evaluated again for each completion, while what precedes it is in the cache:
    // on a Coder-1.3B-shaped Q4_0 model on 2 cores a quarter of the budget (~375 tokens) cost
    // ~4.5 s a keystroke (tests/bench/completion-bench.sh), 128 tokens cost about a third of that.
    int maxSuffixTokens = 128;
};

// The fill-in-the-middle prompt for a completion at the cursor: the text before the cursor
// (prefix) and after it (suffix), cut at line boundaries only.
struct FimWindow {
    QString prefix;   // lines firstLine.. up to the cursor's line, then that line up to the cursor
    QString suffix;   // the rest of the cursor's line (its line end included), then lines up to lastLine
    int firstLine = 0; // from 0, as CodeEditor counts lines
    int lastLine = 0;  // the last line with text in the window (the cursor's line at least)
    std::vector<int32_t> promptIds; // exactly tokenizer.encodeFillInMiddle(prefix, suffix)
};

// The window around cursorOffset (UTF-16 index into text, clamped to it). Lines are cut at "\n"
// (a "\r\n" line keeps its "\r"), and the cursor's line is never cut.
//
// The token budget: each candidate line is encoded once (the DeepSeek pre-tokenizers split at
// line ends, so per-line counts add up to the prompt's, give or take a merge across a blank
// line). The cursor's line always goes in; the room left is shared by LinesAroundCursor's rule
// (lines after the cursor up to a quarter and at most maxSuffixTokens, the prefix preferred, the
// farthest lines left out).
// Should the exact prompt still exceed the budget, the lines are chosen again in a room smaller
// by the excess; only a cursor line longer than the budget by itself gives a larger prompt.
//
// Thread-safe (the tokenizer is immutable); runs on the engine worker thread. Throws Error when
// the tokenizer has no fill-in-the-middle tokens (not a DeepSeek-Coder base model).
FimWindow fimWindow(const QString& text, int cursorOffset, const tokenizer::Tokenizer& tokenizer,
                    const FimSettings& settings = {});

} // namespace latent::app
