#pragma once

// The GPU backend that tests/engine/test_gpu_ops.cpp holds to the CPU backend: Vulkan (target
// test_vulkan_ops), or CUDA where the target defines LATENT_TEST_CUDA (test_cuda_ops). Vulkan's
// own options (weights split across buffers, shared-memory reductions) mean nothing to CUDA, which
// has neither, and are dropped there.

#include "engine/gguf/gguf_file.h"

#ifdef LATENT_TEST_CUDA
#include "engine/cuda/cuda_backend.h"

#include <QTest>

#include <cstdint>
#include <memory>
#include <optional>

namespace latent::test {

inline std::unique_ptr<cuda::CudaBackend> tryCudaBackend(QString& why)
{
    try {
        return std::make_unique<cuda::CudaBackend>();
    } catch (const Error& error) {
        why = QString::fromUtf8(error.what());
        return nullptr;
    }
}

// The backend's name in its errors, and in its "not supported on ..." messages.
inline constexpr const char* kGpuBackendName = "cuda";
inline constexpr const char* kGpuApiName = "CUDA";
inline std::string unsupportedOnGpu(const gguf::GgufFile& file)
{
    return cuda::unsupportedOnCuda(file);
}
// CUDA quantizes activations to 32-value blocks with float scales for every weight type (as
// llama.cpp's CUDA backend does), the CPU to Q8_0's half scales or Q8_K's 256-value blocks: the
// two products of a quantized matrix differ by the activations' quantization steps, ~1e-3.
inline constexpr double kQuantizedProductBar = 1e-2;

// The Vulkan options a test names (vulkan::VulkanBackendOptions' members, in their order), read and
// set aside: CUDA has no use for them.
struct VulkanOnlyOptions {
    std::optional<uint32_t> device;
    uint64_t maxBufferBytes = 0;
    bool subgroups = true;
    uint32_t attentionSplitKeys = 0;
};

} // namespace latent::test

// No CI machine has a CUDA device: this skips there (tests/gpu/device-check.sh runs it on one).
#define LATENT_REQUIRE_GPU(name, ...)                                                                      \
    [[maybe_unused]] const latent::test::VulkanOnlyOptions name##VulkanOnly{.device = {}, __VA_ARGS__};    \
    QString name##Why;                                                                                     \
    auto name = latent::test::tryCudaBackend(name##Why);                                                   \
    if (!name)                                                                                             \
        QSKIP(qPrintable("no CUDA device (" + name##Why + ")"));
#else
#include "tests/support/vulkan_test_backend.h"

namespace latent::test {

inline constexpr const char* kGpuBackendName = "vulkan";
inline constexpr const char* kGpuApiName = "Vulkan";
inline std::string unsupportedOnGpu(const gguf::GgufFile& file)
{
    return vulkan::unsupportedOnVulkan(file);
}
// Both quantize the activations to the same bits (test_vulkan_rounding checks them) and sum the
// same integers per block: only the order of the float sums differs.
inline constexpr double kQuantizedProductBar = 1e-5;

} // namespace latent::test

#define LATENT_REQUIRE_GPU(name, ...) LATENT_REQUIRE_VULKAN(name, __VA_ARGS__)
#endif
