#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace latent::utf8 {

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

// The length a UTF-8 sequence announces in its lead byte (1 to 4), or 0 for a byte that
// cannot start one (a continuation byte, or 0xF8 and above).
size_t sequenceLength(uint8_t lead);

// The length of the valid UTF-8 sequence at text[0], or 0 if it is invalid or incomplete.
size_t validSequenceAt(std::string_view text);

// Whether text is the start of a valid sequence that more bytes would complete.
bool isIncompleteSequence(std::string_view text);

// text with every invalid or incomplete sequence replaced by U+FFFD.
std::string sanitize(std::string_view text);

void appendCodepoint(std::string& out, char32_t codepoint);

} // namespace latent::utf8
