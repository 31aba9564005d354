#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace latent {

// File names travel as UTF-8 text (command lines, messages, the app's settings) and reach the file
// system as std::filesystem::path. A path's narrow form is UTF-8 on Linux and macOS but the ANSI code
// page on Windows, where a name such as "模型 ü" does not survive it; going through char8_t makes
// the conversion UTF-8 <-> UTF-16 there, and changes nothing elsewhere.
inline std::filesystem::path pathFromUtf8(std::string_view text)
{
    return std::filesystem::path(std::u8string_view(reinterpret_cast<const char8_t*>(text.data()), text.size()));
}

inline std::string utf8FromPath(const std::filesystem::path& path)
{
    const std::u8string text = path.u8string();
    return std::string(text.begin(), text.end());
}

} // namespace latent
