#pragma once

#include "engine/core/mapped_file.h"
#include "engine/gguf/gguf_format.h"
#include "engine/gguf/metadata.h"
#include "engine/gguf/tensor_type.h"

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace latent::gguf {

struct TensorInfo {
    std::string name;
    TensorType type = TensorType::F32;
    std::vector<uint64_t> shape; // GGUF order: shape[0] is the row length (columns), then rows, ...
    uint64_t offset = 0;         // from the start of the data section, a multiple of the alignment
    uint64_t elementCount = 0;
    uint64_t byteSize = 0;
    uint64_t infoOffset = 0;     // where this tensor's description starts in the file, for messages

    // Rows of shape[0] values: the product of every dimension after the first.
    uint64_t rowCount() const
    {
        uint64_t rows = 1;
        for (size_t d = 1; d < shape.size(); ++d)
            rows *= shape[d];
        return rows;
    }
};

// A GGUF model file (versions 2 and 3), validated when opened: its metadata, its tensors'
// descriptions, and their data read in place from the memory-mapped file.
//
// Every number read from the file is checked against the file's size before it is used to
// index or allocate, so a corrupt or hostile file ends in a GgufError naming the byte offset
// and the problem, never in a crash or a huge allocation.
class GgufFile {
public:
    static GgufFile open(const std::filesystem::path& path);
    // Parses bytes the caller keeps alive for the GgufFile's lifetime; source names them in errors.
    static GgufFile parse(std::span<const uint8_t> bytes, std::string source);

    const std::string& source() const { return metadata_.source(); }
    uint32_t version() const { return version_; }
    uint32_t alignment() const { return alignment_; }
    uint64_t dataOffset() const { return dataOffset_; }
    uint64_t fileSize() const { return bytes_.size(); }

    const Metadata& metadata() const { return metadata_; }
    const std::vector<TensorInfo>& tensors() const { return tensors_; }
    // Bytes of every tensor's data together: what a backend that copies the weights must hold.
    uint64_t tensorBytes() const;
    const TensorInfo* findTensor(std::string_view name) const;
    std::span<const uint8_t> tensorData(const TensorInfo& tensor) const;
    // For a backend that keeps its own copy of a tensor: lets the mapped pages go.
    void releaseTensorData(const TensorInfo& tensor) const;

    // general.architecture, e.g. "llama" or "deepseek2".
    const std::string& architecture() const;
    uint64_t parameterCount() const;

private:
    explicit GgufFile(std::string source) : metadata_(std::move(source)) {}
    void parseAll();

    std::optional<MappedFile> mapping_;
    std::span<const uint8_t> bytes_;
    uint32_t version_ = 0;
    uint32_t alignment_ = kDefaultAlignment;
    uint64_t dataOffset_ = 0;
    Metadata metadata_;
    std::vector<TensorInfo> tensors_;
    std::unordered_map<std::string, size_t> tensorIndex_;
};

} // namespace latent::gguf
