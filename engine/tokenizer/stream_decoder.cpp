#include "engine/tokenizer/stream_decoder.h"

#include "engine/tokenizer/utf8.h"

namespace latent::tokenizer {

std::string StreamDecoder::push(TokenId id)
{
    pending_ += tokenizer_.tokenBytes(id);
    std::string out;
    size_t i = 0;
    while (i < pending_.size()) {
        const std::string_view rest = std::string_view(pending_).substr(i);
        const size_t length = utf8::validSequenceAt(rest);
        if (length > 0) {
            out.append(rest.substr(0, length));
            i += length;
            continue;
        }
        // Invalid here: either the start of a sequence the next token completes, or garbage.
        if (utf8::isIncompleteSequence(rest))
            break;
        out += utf8::kReplacement;
        ++i;
    }
    pending_.erase(0, i);
    return out;
}

std::string StreamDecoder::finish()
{
    std::string out;
    for (size_t i = 0; i < pending_.size(); ++i)
        out += utf8::kReplacement;
    pending_.clear();
    return out;
}

}  // namespace latent::tokenizer
