#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace latent::tokenizer {

using TokenId = int32_t;

// Byte-pair encoding over a byte-level vocabulary: a piece starts as one token per byte, then
// the adjacent pair with the lowest merge rank is merged, again and again, leftmost first among
// equal ranks, until no pair has a merge. A heap keeps it O(n log n) on pathological pieces
// (a megabyte of one letter).
class BytePairEncoder {
public:
    // byteTokens: the id of each single byte's token. merges: "left right" in rank order, each
    // side a vocabulary token; idOf finds tokens. Merges whose parts or result are not in the
    // vocabulary are skipped, as Hugging Face's loader does.
    BytePairEncoder(const std::array<TokenId, 256>& byteTokens, const std::vector<std::string>& merges,
                    const std::unordered_map<std::string, TokenId>& idOf);

    // Appends the ids of piece (raw bytes) to out.
    void encode(std::string_view piece, std::vector<TokenId>& out) const;

    size_t mergeCount() const { return merges_.size(); }

private:
    struct Merge {
        uint32_t rank;
        TokenId result;
    };
    static uint64_t pairKey(TokenId left, TokenId right)
    {
        return (uint64_t(uint32_t(left)) << 32) | uint32_t(right);
    }
    const Merge* findMerge(TokenId left, TokenId right) const;

    std::array<TokenId, 256> byteTokens_;
    std::unordered_map<uint64_t, Merge> merges_;
};

} // namespace latent::tokenizer
