#pragma once

// A Vulkan device with pipelines and a command recorder, built as the Vulkan backend builds them,
// for tests of the pieces below the backend; or a skip saying why none can be made here (a failure
// in a build configured with LATENT_REQUIRE_VULKAN=ON).

#include "engine/core/error.h"
#include "engine/vulkan/command_recorder.h"
#include "engine/vulkan/vulkan_instance.h"
#include "tests/support/skip_or_fail.h"

#include <QString>

#include <cstring>
#include <memory>

namespace latent::test {

struct VulkanTestDevice {
    std::shared_ptr<vulkan::VulkanInstance> instance;
    std::shared_ptr<vulkan::VulkanDevice> device;
    std::unique_ptr<vulkan::ComputePipelines> pipelines;
    std::unique_ptr<vulkan::CommandRecorder> recorder;

    // A host-visible buffer, filled with data where given.
    std::unique_ptr<vulkan::Buffer> buffer(uint64_t bytes, const void* data = nullptr)
    {
        auto b = std::make_unique<vulkan::Buffer>(device, bytes, true);
        if (data)
            std::memcpy(b->mapped(), data, bytes);
        return b;
    }
};

inline std::unique_ptr<VulkanTestDevice> tryVulkanTestDevice(QString& why)
{
    try {
        auto d = std::make_unique<VulkanTestDevice>();
        d->instance = vulkan::VulkanInstance::create();
        d->device =
            std::make_shared<vulkan::VulkanDevice>(d->instance, vulkan::chooseDevice(d->instance->devices(), {}));
        d->pipelines = std::make_unique<vulkan::ComputePipelines>(d->device, false);
        d->recorder = std::make_unique<vulkan::CommandRecorder>(d->device);
        return d;
    } catch (const Error& error) {
        why = QString::fromUtf8(error.what());
        return nullptr;
    }
}

} // namespace latent::test

// Declares `name`, a VulkanTestDevice, or skips (fails, where required) the test function.
#define LATENT_REQUIRE_VULKAN_TEST_DEVICE(name)                                                         \
    QString name##Why;                                                                                  \
    auto name = latent::test::tryVulkanTestDevice(name##Why);                                           \
    if (!name)                                                                                          \
        LATENT_SKIP_WITHOUT_VULKAN("no Vulkan device to test on (" + name##Why +                       \
                                   "); install mesa-vulkan-drivers for lavapipe");
