#pragma once

#include <string>
#include <vector>

namespace latent::cli {

// The command line as UTF-8, whatever the platform: the arguments (file names, prompts) as UTF-8
// text, and the console set to show the UTF-8 text the commands print. On Windows main's argv is
// in the ANSI code page, which cannot hold every name ("模型 ü"); the wide command line can.
std::vector<std::string> utf8CommandLine(int argc, char** argv);

} // namespace latent::cli
