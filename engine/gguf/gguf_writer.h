#pragma once

#include "engine/gguf/metadata.h"
#include "engine/gguf/tensor_type.h"

#include <filesystem>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace latent::gguf {

// Writes GGUF version 3 files that GgufFile and llama.cpp both read: metadata in the order it
// was set, tensor descriptions in the order they were added, the data section and every tensor
// aligned to general.alignment (32 unless the metadata sets it).
//
// Tensor bytes are not copied: the writer keeps spans, and the caller keeps the memory they
// point to (often another memory-mapped model) alive until write() returns.
class GgufWriter {
public:
    Metadata& metadata() { return metadata_; }
    const Metadata& metadata() const { return metadata_; }

    // Checks the name (unique, at most 63 bytes), the shape (1 to 4 dimensions, rows a multiple
    // of the type's block) and that data holds exactly the bytes the shape and type need.
    void addTensor(std::string name, TensorType type, std::vector<uint64_t> shape, std::span<const uint8_t> data);

    void writeTo(std::ostream& out) const;
    // Writes to a temporary file beside path and renames it into place, so a failed or
    // interrupted write never leaves a truncated model where a good one was.
    void write(const std::filesystem::path& path) const;

private:
    struct PendingTensor {
        std::string name;
        TensorType type;
        std::vector<uint64_t> shape;
        std::span<const uint8_t> data;
    };

    uint32_t alignment() const;
    void checkMetadata() const;

    Metadata metadata_{"gguf writer"};
    std::vector<PendingTensor> tensors_;
};

} // namespace latent::gguf
