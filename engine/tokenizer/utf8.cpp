#include "engine/tokenizer/utf8.h"

namespace latent::utf8 {

size_t sequenceLength(uint8_t lead)
{
    if (lead < 0x80)
        return 1;
    if (lead < 0xC0)
        return 0;
    if (lead < 0xE0)
        return 2;
    if (lead < 0xF0)
        return 3;
    if (lead < 0xF8)
        return 4;
    return 0;
}

size_t validSequenceAt(std::string_view text)
{
    if (text.empty())
        return 0;
    const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
    const size_t length = sequenceLength(byte(0));
    if (length == 0 || length > text.size())
        return 0;
    for (size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xC0) != 0x80)
            return 0;
    }
    // Reject overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if (length == 2 && byte(0) < 0xC2)
        return 0;
    if (length == 3) {
        if (byte(0) == 0xE0 && byte(1) < 0xA0)
            return 0;
        if (byte(0) == 0xED && byte(1) >= 0xA0)
            return 0;
    }
    if (length == 4) {
        if (byte(0) == 0xF0 && byte(1) < 0x90)
            return 0;
        if (byte(0) > 0xF4 || (byte(0) == 0xF4 && byte(1) >= 0x90))
            return 0;
    }
    return length;
}

bool isIncompleteSequence(std::string_view text)
{
    if (text.empty())
        return false;
    const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
    const size_t length = sequenceLength(byte(0));
    if (length <= text.size() || byte(0) == 0xC0 || byte(0) == 0xC1 || byte(0) > 0xF4)
        return false;
    for (size_t i = 1; i < text.size(); ++i) {
        if ((byte(i) & 0xC0) != 0x80)
            return false;
    }
    if (text.size() >= 2) { // the second byte's range, as validSequenceAt checks it
        if ((byte(0) == 0xE0 && byte(1) < 0xA0) || (byte(0) == 0xED && byte(1) >= 0xA0) ||
            (byte(0) == 0xF0 && byte(1) < 0x90) || (byte(0) == 0xF4 && byte(1) >= 0x90))
            return false;
    }
    return true;
}

std::string sanitize(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        const size_t length = validSequenceAt(text.substr(i));
        if (length == 0) {
            out += kReplacement;
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

void appendCodepoint(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

} // namespace latent::utf8
