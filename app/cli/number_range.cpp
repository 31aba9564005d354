#include "app/cli/number_range.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>

namespace latent::cli {

CLI::Validator numberRange(double min, double max, const std::string& allowed)
{
    return CLI::Validator(
        [min, max, allowed](std::string& input) -> std::string {
            errno = 0;
            char* end = nullptr;
            const double value = std::strtod(input.c_str(), &end);
            const bool number = !input.empty() && end && *end == '\0' && errno == 0;
            if (number && value >= min && value <= max)
                return {};
            return fmt::format("{} is not {}", input, allowed);
        },
        "");
}

} // namespace latent::cli
