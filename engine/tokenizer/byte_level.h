#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace latent::tokenizer {

// GPT-2's byte-level alphabet: each of the 256 byte values is written as a printable Unicode
// character (printable ASCII and Latin-1 as themselves, the rest shifted to U+0100 and up), so
// a vocabulary of byte sequences can be stored as text. "Ġ" (U+0120) is the byte 0x20, a space.

// The byte-level text of raw bytes.
std::string toByteLevel(std::string_view bytes);
void appendByteLevel(std::string& out, std::string_view bytes);

// The raw bytes of byte-level text, or nullopt if a character is outside the alphabet.
std::optional<std::string> fromByteLevel(std::string_view text);

} // namespace latent::tokenizer
