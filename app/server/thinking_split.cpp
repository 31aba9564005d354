#include "app/server/thinking_split.h"

#include <algorithm>

namespace latent::server {
namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";

// The length of the longest tail of text that is a proper prefix of tag.
size_t tagStartAtEnd(std::string_view text, std::string_view tag)
{
    for (size_t length = std::min(text.size(), tag.size() - 1); length > 0; --length) {
        if (text.substr(text.size() - length) == tag.substr(0, length))
            return length;
    }
    return 0;
}

} // namespace

SplitText ThinkingSplit::push(std::string_view piece)
{
    pending_ += piece;
    SplitText out;
    if (part_ == Part::Opening) {
        const size_t start = pending_.find_first_not_of(" \t\r\n");
        if (start == std::string::npos)
            return out; // whitespace only: not yet known which part it belongs to
        const std::string_view rest = std::string_view(pending_).substr(start);
        if (rest.size() < kOpen.size() && kOpen.substr(0, rest.size()) == rest)
            return out; // perhaps the start of <think>
        if (rest.substr(0, kOpen.size()) == kOpen) {
            part_ = Part::Thinking;
            pending_.erase(0, start + kOpen.size());
        } else {
            part_ = Part::Answer;
        }
    }
    if (part_ == Part::Thinking) {
        const size_t close = pending_.find(kClose);
        if (close == std::string::npos) {
            const size_t hold = tagStartAtEnd(pending_, kClose);
            out.reasoning = pending_.substr(0, pending_.size() - hold);
            pending_.erase(0, pending_.size() - hold);
            return out;
        }
        out.reasoning = pending_.substr(0, close);
        pending_.erase(0, close + kClose.size());
        part_ = Part::Answer;
    }
    out.content = std::move(pending_);
    pending_.clear();
    return out;
}

SplitText ThinkingSplit::finish()
{
    SplitText out;
    (part_ == Part::Thinking ? out.reasoning : out.content) = std::move(pending_);
    pending_.clear();
    return out;
}

} // namespace latent::server
