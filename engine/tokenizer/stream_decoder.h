#pragma once

#include "engine/tokenizer/tokenizer.h"

#include <string>

namespace latent::tokenizer {

// Turns tokens into text as they are generated. A token may end inside a UTF-8 sequence (one
// Chinese character is often two or three byte tokens): those bytes are held back until the
// sequence completes. Bytes that can never form valid UTF-8 come out as U+FFFD, so what it
// returns is always valid UTF-8 and safe to show.
class StreamDecoder {
public:
    explicit StreamDecoder(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {}

    // The text that token completes (possibly empty).
    std::string push(TokenId id);
    // Whatever is still held back, as U+FFFD; call at the end of the stream.
    std::string finish();

private:
    const Tokenizer& tokenizer_;
    std::string pending_; // an incomplete UTF-8 sequence, at most 3 bytes
};

} // namespace latent::tokenizer
