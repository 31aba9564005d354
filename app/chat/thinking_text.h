#pragma once

#include <QString>

namespace latent::app {

// An answer's thinking is kept in its text as R1 writes it: a <think>...</think> block at the start.
// A remote model's reasoning_content is stored the same way, so that one renderer serves both.

// The parts of an answer's text.
struct ThinkingParts {
    QString thinking;     // inside the block, trimmed; empty when there is none
    QString answer;       // what follows the block (all the text when there is none)
    bool hasThinking = false;
    bool thinkingOpen = false; // the block has no </think> yet: the model is still thinking
};
ThinkingParts splitThinking(const QString& text);

} // namespace latent::app
