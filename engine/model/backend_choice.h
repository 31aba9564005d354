#pragma once

// How --backend auto (the app's default) chooses where a model runs, in this order:
//  0. a CUDA device where the build has CUDA, one starts, its kernels decode the model's types,
//     the model fits its free memory and a test product agrees with the CPU's (backend_agreement.h)
//     (an NVIDIA GPU: CUDA before its Vulkan driver); else
//  1. the CPU when the build has no Vulkan backend, the model has an architecture or type the
//     shaders lack, or no Vulkan device starts;
//  2. the CPU when the weights, the cache for the context and headroom for the activations would
//     not fit the device's free memory, or the device's test product disagrees with the CPU's;
//  3. the faster of the two for this model shape on this device where it was measured before
//     (backend_speed.h);
//  4. else the CPU on a CPU-type device (lavapipe: several times slower than the CPU backend, see
//     the README), and on a GPU the faster in a measurement made now and kept.
// LoadedModel::open then moves a model whose device fails at load or at its first forward pass
// to the CPU.

#include "engine/backend/backend.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace latent::gguf {
class GgufFile;
}

namespace latent {

struct BackendChoiceOptions {
    size_t threads = 0;                    // CPU threads (0: the physical cores)
    std::optional<uint32_t> device{};      // the GPU backend's device (unset: the environment's, else the best)
    int64_t contextLength = 0;             // the cache the caller will make (0, or past it: the model's own)
    std::filesystem::path speedRecords{};  // measurements kept (empty: SpeedRecords::defaultPath())
};

struct BackendChoice {
    std::unique_ptr<Backend> backend;
    bool onDevice = false; // a GPU backend, which LoadedModel::open may have to leave for the CPU
    std::string reason;    // what auto chose and why, in a sentence the app and the CLI show
};

BackendChoice chooseBackend(const gguf::GgufFile& file, const BackendChoiceOptions& options);

// Bytes of device memory a model takes: its weights and the key/value cache for contextLength
// tokens (0: the model's own), plus headroom for activations and the driver (a tenth of that,
// and at least 512 MiB: a 512-token batch's logits of a 129k-token vocabulary take 264 MiB).
uint64_t deviceBytesNeeded(const gguf::GgufFile& file, int64_t contextLength);

} // namespace latent
