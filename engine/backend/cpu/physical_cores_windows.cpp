// ThreadPool::physicalCores on Windows: the processor cores the system reports, each of which
// may run two hardware threads (SMT).

#include "engine/backend/cpu/thread_pool.h"

#include <algorithm>
#include <thread>
#include <vector>

#include <windows.h>

namespace latent::cpu {

size_t ThreadPool::physicalCores()
{
    DWORD bytes = 0;
    GetLogicalProcessorInformationEx(RelationProcessorCore, nullptr, &bytes); // asks for the size
    std::vector<char> buffer(bytes);
    auto* first = reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(buffer.data());
    size_t cores = 0;
    if (bytes > 0 && GetLogicalProcessorInformationEx(RelationProcessorCore, first, &bytes)) {
        // Records of varying size, one per core.
        for (DWORD offset = 0; offset < bytes; ++cores)
            offset += reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(buffer.data() + offset)->Size;
    }
    // Unknown: the hardware threads, an overestimate on SMT machines, the safe side for a default.
    return cores > 0 ? cores : std::max(1u, std::thread::hardware_concurrency());
}

} // namespace latent::cpu
