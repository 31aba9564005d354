// utf8CommandLine on Linux and macOS: the arguments are the bytes the shell passed, UTF-8 in
// any UTF-8 locale, and the terminal shows what is printed as it is.

#include "app/cli/utf8_command_line.h"

namespace latent::cli {

std::vector<std::string> utf8CommandLine(int argc, char** argv)
{
    return {argv, argv + argc};
}

} // namespace latent::cli
