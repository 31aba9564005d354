#pragma once

#include "engine/backend/backend.h"
#include "engine/core/error.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace latent::gguf {
class GgufFile;
}

namespace latent {

// Called as a model loads with the share done so far (0..1); returning false cancels the load.
using LoadProgress = std::function<bool(double fraction)>;

// A load that its LoadProgress cancelled: not a failure, so callers can tell the two apart.
class LoadCancelled : public Error {
public:
    using Error::Error;
};

// Finds an architecture's weights in a model file and checks each one's shape and type, so a
// wrong file fails at load with the tensor's name, its shape and the one expected. Reports the
// share of the file's tensor bytes loaded after each tensor, and throws LoadCancelled when the
// progress callback asks to stop.
class WeightLoader {
public:
    WeightLoader(const gguf::GgufFile& file, Backend& backend, LoadProgress progress = {});

    // A matrix of `rows` rows of `cols` values (GGUF shape [cols, rows]); rows < 0: any number.
    // Lookup: a table whose rows are read (embeddings) rather than multiplied.
    Tensor matrix(const std::string& name, int64_t cols, int64_t rows, WeightUse use = WeightUse::Product);
    // A stack of `count` matrices (GGUF shape [cols, rows, count]: experts, or one matrix per
    // head) as one tensor of count * rows rows; matrix i is rowsView(i * rows, rows).
    Tensor matrices(const std::string& name, int64_t cols, int64_t rows, int64_t count,
                    WeightUse use = WeightUse::Product);
    // A vector of n F32 values (norm weights).
    Tensor vector(const std::string& name, int64_t n);
    bool contains(const std::string& name) const;

private:
    const gguf::TensorInfo& find(const std::string& name) const;
    Tensor checked(const gguf::TensorInfo& info, const std::vector<int64_t>& expected, WeightUse use);
    Tensor loaded(const gguf::TensorInfo& info, WeightUse use);

    const gguf::GgufFile& file_;
    Backend& backend_;
    LoadProgress progress_;
    uint64_t totalBytes_ = 0; // of every tensor in the file
    uint64_t loadedBytes_ = 0;
};

// Whether matrices of this type can be multiplied by this build's backends.
bool isComputableWeightType(gguf::TensorType type);

} // namespace latent
