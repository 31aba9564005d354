#pragma once

#include <QtGlobal>

#include <optional>

namespace latent::app {

// The memory the machine can give a new model without swapping (Linux: MemAvailable; macOS: free
// and inactive pages; Windows: the available physical memory); nullopt where it is unknown.
std::optional<qint64> availableMemoryBytes();

} // namespace latent::app
