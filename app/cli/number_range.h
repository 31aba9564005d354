#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace latent::cli {

// A check for a number option: a value outside [min, max] is refused with what the option takes,
// named by CLI11 ("--max-tokens: -5 is not -1 (until the context is full) or a count from 0").
// CLI11's own Range prints its bounds as doubles of 300 digits.
CLI::Validator numberRange(double min, double max, const std::string& allowed);

} // namespace latent::cli
