#include "engine/tokenizer/bpe.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace latent::tokenizer {

BytePairEncoder::BytePairEncoder(const std::array<TokenId, 256>& byteTokens, const std::vector<std::string>& merges,
                                 const std::unordered_map<std::string, TokenId>& idOf)
    : byteTokens_(byteTokens)
{
    merges_.reserve(merges.size());
    std::string joined;
    for (size_t rank = 0; rank < merges.size(); ++rank) {
        const std::string& merge = merges[rank];
        const size_t space = merge.find(' ', 1); // a side may itself be a space-free token
        if (space == std::string::npos)
            continue;
        const auto left = idOf.find(merge.substr(0, space));
        const auto right = idOf.find(merge.substr(space + 1));
        joined.assign(merge, 0, space);
        joined.append(merge, space + 1);
        const auto result = idOf.find(joined);
        if (left == idOf.end() || right == idOf.end() || result == idOf.end())
            continue;
        merges_.try_emplace(pairKey(left->second, right->second), Merge{uint32_t(rank), result->second});
    }
}

const BytePairEncoder::Merge* BytePairEncoder::findMerge(TokenId left, TokenId right) const
{
    const auto it = merges_.find(pairKey(left, right));
    return it == merges_.end() ? nullptr : &it->second;
}

void BytePairEncoder::encode(std::string_view piece, std::vector<TokenId>& out) const
{
    const size_t n = piece.size();
    if (n == 0)
        return;
    if (n == 1) {
        out.push_back(byteTokens_[static_cast<uint8_t>(piece[0])]);
        return;
    }

    // Symbols form a doubly linked list over positions 0..n-1; a merged-away symbol is dead.
    struct Symbol {
        TokenId id;
        int32_t previous;
        int32_t next;
    };
    std::vector<Symbol> symbols(n);
    for (size_t i = 0; i < n; ++i)
        symbols[i] = {byteTokens_[static_cast<uint8_t>(piece[i])], int32_t(i) - 1, i + 1 < n ? int32_t(i + 1) : -1};

    struct Candidate {
        uint32_t rank;
        int32_t left;
        TokenId leftId;
        TokenId rightId;
        bool operator>(const Candidate& other) const
        {
            return rank != other.rank ? rank > other.rank : left > other.left;
        }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    auto consider = [&](int32_t left) {
        const int32_t right = symbols[left].next;
        if (right < 0)
            return;
        if (const Merge* merge = findMerge(symbols[left].id, symbols[right].id))
            queue.push({merge->rank, left, symbols[left].id, symbols[right].id});
    };
    for (int32_t i = 0; i + 1 < int32_t(n); ++i)
        consider(i);

    while (!queue.empty()) {
        const Candidate candidate = queue.top();
        queue.pop();
        Symbol& left = symbols[candidate.left];
        // Stale: the left symbol was merged away or changed, or its neighbour did.
        if (left.id != candidate.leftId || left.next < 0 || symbols[left.next].id != candidate.rightId)
            continue;
        const int32_t rightIndex = left.next;
        left.id = findMerge(candidate.leftId, candidate.rightId)->result;
        left.next = symbols[rightIndex].next;
        if (left.next >= 0)
            symbols[left.next].previous = candidate.left;
        symbols[rightIndex].id = -1; // dead
        if (left.previous >= 0)
            consider(left.previous);
        consider(candidate.left);
    }

    for (int32_t i = 0; i >= 0; i = symbols[i].next)
        out.push_back(symbols[i].id);
}

} // namespace latent::tokenizer
