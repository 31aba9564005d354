#pragma once

#include "engine/gguf/gguf_file.h"
#include "engine/quant/quant_mix.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>

namespace latent::quant {

struct QuantizeOptions {
    QuantMix mix = QuantMix::Q4_K_M;
    bool pure = false;    // every matrix in the mix's base type, without the per-tensor rules
    unsigned threads = 0; // 0: one per core
};

// One tensor's conversion, planned before anything is written.
struct TensorConversion {
    const gguf::TensorInfo* tensor; // in the input file
    TensorTypeChoice to;
    uint64_t byteSize; // written
};

struct QuantizeSummary {
    size_t tensorCount = 0;
    uint64_t parameterCount = 0;
    uint64_t bytesBefore = 0; // tensor data, without the header
    uint64_t bytesAfter = 0;
    double seconds = 0;
};

// Called as each tensor's conversion starts: its index from 0, the number of tensors, the plan.
using QuantizeProgress = std::function<void(size_t index, size_t count, const TensorConversion& conversion)>;

// Writes the llama or deepseek2 model `input` again as `output`, its tensors in the types
// chooseTensorTypes gives for the mix: the metadata copied (general.file_type set to the mix's
// code, general.quantization_version to 2), a tensor already in its type copied as it is, the
// others converted on every core in slabs of rows while the file is written, so that the output
// is never whole in memory. Every tensor's conversion is checked before the output is created;
// the output appears only complete (written beside it, then renamed). Throws Error for an
// unreadable input, an output that is the input, or a tensor whose type this build cannot
// convert from or to.
QuantizeSummary quantizeModel(const std::filesystem::path& input, const std::filesystem::path& output,
                              const QuantizeOptions& options, const QuantizeProgress& progress = {});

} // namespace latent::quant
