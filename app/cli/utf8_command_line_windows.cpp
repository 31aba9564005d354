// utf8CommandLine on Windows: the wide (UTF-16) command line converted to UTF-8, and the console's
// output code page set to UTF-8.

#include "app/cli/utf8_command_line.h"

#include <windows.h>
// After windows.h, which it needs.
#include <shellapi.h>

namespace latent::cli {
namespace {

std::string utf8FromWide(const wchar_t* text)
{
    const int bytes = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
    if (bytes <= 1)
        return {};
    std::string utf8(size_t(bytes), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8.data(), bytes, nullptr, nullptr);
    utf8.pop_back(); // the terminating zero
    return utf8;
}

} // namespace

std::vector<std::string> utf8CommandLine(int argc, char** argv)
{
    SetConsoleOutputCP(CP_UTF8);
    int count = 0;
    wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &count);
    if (!wide)
        return {argv, argv + argc}; // the ANSI arguments are still right for ASCII names
    std::vector<std::string> arguments;
    for (int i = 0; i < count; ++i)
        arguments.push_back(utf8FromWide(wide[i]));
    LocalFree(wide);
    return arguments;
}

} // namespace latent::cli
