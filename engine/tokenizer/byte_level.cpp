#include "engine/tokenizer/byte_level.h"

#include "engine/tokenizer/utf8.h"

#include <array>

namespace latent::tokenizer {
namespace {

struct Alphabet {
    std::array<std::string, 256> byteToText;
    std::array<int, 324> codepointToByte; // every character of the alphabet is below U+0144

    Alphabet()
    {
        codepointToByte.fill(-1);
        char32_t shifted = 256;
        for (int byte = 0; byte < 256; ++byte) {
            const bool printable = (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) || byte >= 0xAE;
            const char32_t codepoint = printable ? char32_t(byte) : shifted++;
            utf8::appendCodepoint(byteToText[byte], codepoint);
            codepointToByte[codepoint] = byte;
        }
    }
};

const Alphabet& alphabet()
{
    static const Alphabet kAlphabet;
    return kAlphabet;
}

} // namespace

void appendByteLevel(std::string& out, std::string_view bytes)
{
    const Alphabet& table = alphabet();
    for (char c : bytes)
        out += table.byteToText[static_cast<uint8_t>(c)];
}

std::string toByteLevel(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() * 2);
    appendByteLevel(out, bytes);
    return out;
}

std::optional<std::string> fromByteLevel(std::string_view text)
{
    const Alphabet& table = alphabet();
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        const size_t length = utf8::validSequenceAt(text.substr(i));
        if (length == 0 || length > 2)
            return std::nullopt;
        const auto b0 = static_cast<uint8_t>(text[i]);
        const char32_t cp = length == 1 ? b0 : ((b0 & 0x1F) << 6) | (static_cast<uint8_t>(text[i + 1]) & 0x3F);
        if (cp >= table.codepointToByte.size() || table.codepointToByte[cp] < 0)
            return std::nullopt;
        out += static_cast<char>(table.codepointToByte[cp]);
        i += length;
    }
    return out;
}

} // namespace latent::tokenizer
