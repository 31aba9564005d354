#pragma once

#include <string>
#include <string_view>

namespace latent::server {

struct SplitText {
    std::string reasoning; // inside <think>...</think>
    std::string content;   // the answer after it
};

// Splits an R1 answer, as it streams, into its thinking and its answer, as DeepSeek's API does
// (reasoning_content and content). The answer opens with <think> (leading whitespace allowed) and
// the thinking ends at the first </think>; a tag may arrive split across pieces, so a piece's
// tail that could begin one is held back until the next piece decides it.
class ThinkingSplit {
public:
    SplitText push(std::string_view piece);
    // What is still held back, at the end of the answer.
    SplitText finish();

private:
    enum class Part { Opening, Thinking, Answer };

    Part part_ = Part::Opening;
    std::string pending_;
};

} // namespace latent::server
