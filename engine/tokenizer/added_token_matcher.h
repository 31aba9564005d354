#pragma once

#include "engine/tokenizer/bpe.h"

#include <bitset>
#include <optional>
#include <string_view>
#include <vector>

namespace latent::tokenizer {

// Finds added and special tokens (`<｜User｜>`, `<｜end▁of▁sentence｜>`, ...) in text before
// byte-pair encoding, the way Hugging Face's added vocabulary does: leftmost match first, and the
// longest of the tokens that start there.
class AddedTokenMatcher {
public:
    struct Match {
        size_t position;
        size_t length;
        TokenId id;
    };

    void add(std::string_view text, TokenId id);
    bool empty() const { return nodes_.size() <= 1; }

    // The leftmost-longest match in text at or after from.
    std::optional<Match> findNext(std::string_view text, size_t from) const;

private:
    struct Node {
        std::vector<std::pair<unsigned char, uint32_t>> children; // sorted by byte
        TokenId id = -1;                                          // a token ends here
    };
    uint32_t child(uint32_t node, unsigned char byte) const;

    std::vector<Node> nodes_{Node{}};
    std::bitset<256> firstBytes_;
};

} // namespace latent::tokenizer
