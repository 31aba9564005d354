#include "engine/backend/create_backend.h"

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/core/error.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace latent {

std::vector<std::string_view> availableBackends()
{
    return {"cpu"};
}

std::unique_ptr<Backend> createBackend(std::string_view name, size_t threads)
{
    if (name == "cpu" || name == "auto")
        return std::make_unique<cpu::CpuBackend>(threads > 0 ? threads : cpu::ThreadPool::physicalCores());
    throw Error(fmt::format("backend '{}' is not available in this build; choose one of: auto, {}", name,
                            fmt::join(availableBackends(), ", ")));
}

} // namespace latent
