#pragma once

// A Vulkan backend for a test, or a skip saying why none can be made here (no loader, no device);
// a failure in a build configured with LATENT_REQUIRE_VULKAN=ON.

#include "engine/core/error.h"
#include "engine/vulkan/vulkan_backend.h"
#include "tests/support/skip_or_fail.h"

#include <QTest>

#include <memory>

namespace latent::test {

inline std::unique_ptr<vulkan::VulkanBackend> tryVulkanBackend(const vulkan::VulkanBackendOptions& options,
                                                               QString& why)
{
    try {
        return std::make_unique<vulkan::VulkanBackend>(options);
    } catch (const Error& error) {
        why = QString::fromUtf8(error.what());
        return nullptr;
    }
}

} // namespace latent::test

// Declares `name`, a Vulkan backend made with options (designated initializers after the
// device), or skips (fails, where required) the test function.
#define LATENT_REQUIRE_VULKAN(name, ...)                                                                   \
    QString name##Why;                                                                                     \
    auto name = latent::test::tryVulkanBackend(                                                            \
        latent::vulkan::VulkanBackendOptions{.device = {}, __VA_ARGS__}, name##Why);                       \
    if (!name)                                                                                             \
        LATENT_SKIP_WITHOUT_VULKAN("no Vulkan device to test on (" + name##Why +                          \
                                   "); install mesa-vulkan-drivers for lavapipe");
