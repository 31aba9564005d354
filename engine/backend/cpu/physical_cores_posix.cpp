// ThreadPool::physicalCores on Linux (and, by its fallback, macOS).

#include "engine/backend/cpu/thread_pool.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <utility>

namespace latent::cpu {

size_t ThreadPool::physicalCores()
{
    // Linux: distinct (physical id, core id) pairs; elsewhere, or if unreadable, the hardware
    // threads (an overestimate on SMT machines, the safe side for a default).
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::set<std::pair<std::string, std::string>> cores;
    std::string line, physical;
    while (std::getline(cpuinfo, line)) {
        const auto value = [&] { return line.substr(line.find(':') + 1); };
        if (line.starts_with("physical id"))
            physical = value();
        else if (line.starts_with("core id"))
            cores.emplace(physical, value());
    }
    if (!cores.empty())
        return cores.size();
    return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace latent::cpu
