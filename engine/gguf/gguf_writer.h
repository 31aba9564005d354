#pragma once

#include "engine/gguf/metadata.h"
#include "engine/gguf/tensor_type.h"

#include <filesystem>
#include <functional>
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
// point to (often another memory-mapped model) alive until write() returns. Or a tensor's bytes
// are made while the file is written, so that converting a model never holds all of its output.
class GgufWriter {
public:
    // Takes a tensor's bytes in order, in pieces of any size.
    using TensorBytesSink = std::function<void(std::span<const uint8_t>)>;
    // Makes a tensor's bytes when the file is written and hands them to the sink; they must add
    // up to exactly the bytes the shape and type need. It runs once per writeTo().
    using TensorBytesSource = std::function<void(const TensorBytesSink&)>;

    Metadata& metadata() { return metadata_; }
    const Metadata& metadata() const { return metadata_; }

    // Checks the name (unique, at most 63 bytes), the shape (1 to 4 dimensions, rows a multiple
    // of the type's block) and that data holds exactly the bytes the shape and type need.
    void addTensor(std::string name, TensorType type, std::vector<uint64_t> shape, std::span<const uint8_t> data);
    // The same checks but the last; the source's bytes are counted as they are written.
    void addTensor(std::string name, TensorType type, std::vector<uint64_t> shape, TensorBytesSource source);

    void writeTo(std::ostream& out) const;
    // Writes to a temporary file beside path and renames it into place, so a failed or
    // interrupted write never leaves a truncated model where a good one was.
    void write(const std::filesystem::path& path) const;

private:
    struct PendingTensor {
        std::string name;
        TensorType type;
        std::vector<uint64_t> shape;
        uint64_t byteSize;
        TensorBytesSource source;
    };

    struct TensorSize {
        uint64_t elements;
        uint64_t bytes;
    };
    // What the shape and type need, after checking the name and the shape.
    TensorSize checkedSize(const std::string& name, TensorType type, const std::vector<uint64_t>& shape) const;
    uint32_t alignment() const;
    void checkMetadata() const;

    Metadata metadata_{"gguf writer"};
    std::vector<PendingTensor> tensors_;
};

} // namespace latent::gguf
