// peakResidentBytes on Windows: the peak working set.

#include "app/cli/peak_memory.h"

#include <windows.h>
// After windows.h, which it needs.
#include <psapi.h>

namespace latent::cli {

uint64_t peakResidentBytes()
{
    PROCESS_MEMORY_COUNTERS counters{};
    counters.cb = sizeof(counters);
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(counters)))
        return 0;
    return counters.PeakWorkingSetSize;
}

} // namespace latent::cli
