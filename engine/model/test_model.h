#pragma once

#include "engine/gguf/tensor_type.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace latent {

// Generated models with random weights in the real file format: what the tests run on (tiny
// presets) and what the benchmarks measure (presets of the real models' shapes). Weights are
// drawn N(0, 1/n_in) for matrices so that activations keep their scale layer after layer;
// the vocabulary is real byte-level BPE learned from a built-in text, padded with unused tokens
// to the preset's size.
struct TestModelOptions {
    std::string architecture = "llama"; // llama, deepseek2
    std::string preset = "tiny";
    gguf::TensorType type = gguf::TensorType::F32; // of every matrix; norms and routers stay F32
    uint64_t seed = 1;
};

struct TestModelPreset {
    std::string_view name;
    std::string_view description;
};

std::vector<std::string_view> testModelArchitectures();
std::vector<TestModelPreset> testModelPresets(std::string_view architecture);

// Writes the model; progress(done, total) is called as tensors are made. Throws Error for an
// unknown architecture or preset, or a type the preset's shapes cannot hold.
void writeTestModel(const TestModelOptions& options, const std::filesystem::path& path,
                    const std::function<void(size_t, size_t)>& progress = {});

std::string_view testModelCorpus();

} // namespace latent
