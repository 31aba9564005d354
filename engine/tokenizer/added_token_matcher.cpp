#include "engine/tokenizer/added_token_matcher.h"

#include <algorithm>

namespace latent::tokenizer {

uint32_t AddedTokenMatcher::child(uint32_t node, unsigned char byte) const
{
    const auto& children = nodes_[node].children;
    const auto it = std::ranges::lower_bound(children, byte, {}, &std::pair<unsigned char, uint32_t>::first);
    return it != children.end() && it->first == byte ? it->second : 0;
}

void AddedTokenMatcher::add(std::string_view text, TokenId id)
{
    if (text.empty())
        return;
    firstBytes_.set(static_cast<unsigned char>(text[0]));
    uint32_t node = 0;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        uint32_t next = child(node, byte);
        if (next == 0) {
            next = uint32_t(nodes_.size());
            nodes_.emplace_back();
            auto& children = nodes_[node].children;
            children.insert(std::ranges::lower_bound(children, byte, {}, &std::pair<unsigned char, uint32_t>::first),
                            {byte, next});
        }
        node = next;
    }
    nodes_[node].id = id;
}

std::optional<AddedTokenMatcher::Match> AddedTokenMatcher::findNext(std::string_view text, size_t from) const
{
    for (size_t start = from; start < text.size(); ++start) {
        if (!firstBytes_.test(static_cast<unsigned char>(text[start])))
            continue;
        std::optional<Match> longest;
        uint32_t node = 0;
        for (size_t i = start; i < text.size(); ++i) {
            node = child(node, static_cast<unsigned char>(text[i]));
            if (node == 0)
                break;
            if (nodes_[node].id >= 0)
                longest = Match{start, i + 1 - start, nodes_[node].id};
        }
        if (longest)
            return longest;
    }
    return std::nullopt;
}

} // namespace latent::tokenizer
