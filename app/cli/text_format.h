#pragma once

#include <cstdint>
#include <string>

namespace latent::cli {

std::string formatBytes(uint64_t bytes);        // "14.0 MiB"
std::string formatCount(uint64_t count);        // "1,346,471,936"
std::string formatParameters(uint64_t count);   // "1.35 B"

} // namespace latent::cli
