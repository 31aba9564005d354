// peakResidentBytes on Linux: the high-water mark the kernel keeps (VmHWM); 0 where there is no /proc.

#include "app/cli/peak_memory.h"

#include <fstream>
#include <string>

namespace latent::cli {

uint64_t peakResidentBytes()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmHWM:"))
            return std::stoull(line.substr(6)) * 1024;
    }
    return 0;
}

} // namespace latent::cli
