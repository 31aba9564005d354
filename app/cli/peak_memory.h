#pragma once

#include <cstdint>

namespace latent::cli {

// The most memory this process has held resident so far, in bytes; 0 where unknown.
uint64_t peakResidentBytes();

} // namespace latent::cli
