#pragma once

#include "engine/backend/backend.h"

#include <memory>
#include <string_view>
#include <vector>

namespace latent {

// The backends this build can run, by name ("cpu" for now).
std::vector<std::string_view> availableBackends();

// threads: CPU threads (0: the physical cores). Throws Error for a name this build lacks.
std::unique_ptr<Backend> createBackend(std::string_view name, size_t threads);

} // namespace latent
