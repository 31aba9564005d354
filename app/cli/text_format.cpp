#include "app/cli/text_format.h"

#include <fmt/format.h>

#include <array>

namespace latent::cli {

std::string formatBytes(uint64_t bytes)
{
    static constexpr std::array kUnits = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < kUnits.size()) {
        value /= 1024.0;
        ++unit;
    }
    return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string formatCount(uint64_t count)
{
    const std::string digits = std::to_string(count);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

std::string formatParameters(uint64_t count)
{
    const double value = static_cast<double>(count);
    if (value >= 1e9)
        return fmt::format("{:.2f} B", value / 1e9);
    if (value >= 1e6)
        return fmt::format("{:.2f} M", value / 1e6);
    if (value >= 1e3)
        return fmt::format("{:.2f} K", value / 1e3);
    return std::to_string(count);
}

} // namespace latent::cli
