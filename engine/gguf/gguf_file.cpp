#include "engine/gguf/gguf_file.h"

#include "engine/core/utf8_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

namespace latent::gguf {

GgufError::GgufError(std::string source, uint64_t offset, const std::string& what)
    : Error(fmt::format("{}: at byte {}: {}", source, offset, what), ErrorKind::NotGguf), source_(std::move(source)), offset_(offset)
{
}

namespace {

// Nested arrays are legal GGUF but no model uses them; the limit keeps a hostile file from
// exhausting the stack with millions of nested array headers.
constexpr int kMaxArrayDepth = 8;

// The fewest bytes one encoded value of a type takes: lets counts be checked against the
// bytes left before anything is allocated for them.
uint64_t minEncodedSize(ValueType type)
{
    switch (type) {
    case ValueType::UInt8:
    case ValueType::Int8:
    case ValueType::Bool: return 1;
    case ValueType::UInt16:
    case ValueType::Int16: return 2;
    case ValueType::UInt32:
    case ValueType::Int32:
    case ValueType::Float32: return 4;
    case ValueType::UInt64:
    case ValueType::Int64:
    case ValueType::Float64:
    case ValueType::String: return 8;  // the length
    case ValueType::Array: return 12;  // element type and count
    }
    return 1;
}

// Reads GGUF's encodings from the file's bytes, checking every read against the end.
class Cursor {
public:
    Cursor(std::span<const uint8_t> bytes, const std::string& source) : bytes_(bytes), source_(source) {}

    uint64_t position() const { return position_; }
    uint64_t remaining() const { return bytes_.size() - position_; }

    [[noreturn]] void fail(uint64_t at, const std::string& what) const { throw GgufError(source_, at, what); }

    void need(uint64_t size, std::string_view what) const
    {
        if (size > remaining())
            fail(position_, fmt::format("{} needs {} bytes, but the file ends {} bytes later; the file is "
                                        "truncated or corrupt: download or convert it again",
                                        what, size, remaining()));
    }

    template <typename T>
    T read(std::string_view what)
    {
        need(sizeof(T), what);
        T value;
        std::memcpy(&value, bytes_.data() + position_, sizeof(T));
        position_ += sizeof(T);
        return value;
    }

    std::string readString(std::string_view what)
    {
        const uint64_t length = read<uint64_t>(what);
        need(length, what);
        std::string text(reinterpret_cast<const char*>(bytes_.data() + position_), length);
        position_ += length;
        return text;
    }

    Value readValue(ValueType type, int depth, std::string_view what)
    {
        switch (type) {
        case ValueType::UInt8: return read<uint8_t>(what);
        case ValueType::Int8: return read<int8_t>(what);
        case ValueType::UInt16: return read<uint16_t>(what);
        case ValueType::Int16: return read<int16_t>(what);
        case ValueType::UInt32: return read<uint32_t>(what);
        case ValueType::Int32: return read<int32_t>(what);
        case ValueType::Float32: return read<float>(what);
        case ValueType::UInt64: return read<uint64_t>(what);
        case ValueType::Int64: return read<int64_t>(what);
        case ValueType::Float64: return read<double>(what);
        case ValueType::String: return readString(what);
        case ValueType::Bool: {
            const uint64_t at = position_;
            const uint8_t byte = read<uint8_t>(what);
            if (byte > 1)
                fail(at, fmt::format("{} is a bool stored as {}; a bool must be 0 or 1", what, byte));
            return byte == 1;
        }
        case ValueType::Array: return readArray(depth, what);
        }
        fail(position_, fmt::format("{} has an unknown type", what)); // unreachable: types are checked first
    }

    ValueType readValueType(std::string_view what)
    {
        const uint64_t at = position_;
        const uint32_t code = read<uint32_t>(what);
        if (!isKnownValueType(code))
            fail(at, fmt::format("{} has value type {}, which GGUF does not define (0 to 12)", what, code));
        return static_cast<ValueType>(code);
    }

private:
    Value readArray(int depth, std::string_view what)
    {
        const uint64_t at = position_;
        if (depth >= kMaxArrayDepth)
            fail(at, fmt::format("{} nests arrays more than {} deep", what, kMaxArrayDepth));
        Array array;
        array.elementType = readValueType(what);
        const uint64_t count = read<uint64_t>(what);
        const uint64_t minSize = minEncodedSize(array.elementType);
        if (count > remaining() / minSize)
            fail(at, fmt::format("{} claims {} {} elements, more than the {} bytes left in the file can hold",
                                 what, count, valueTypeName(array.elementType), remaining()));
        array.items.reserve(count);
        for (uint64_t i = 0; i < count; ++i)
            array.items.push_back(readValue(array.elementType, depth + 1, what));
        return array;
    }

    std::span<const uint8_t> bytes_;
    const std::string& source_;
    uint64_t position_ = 0;
};

bool checkedMultiply(uint64_t a, uint64_t b, uint64_t& out)
{
    return !__builtin_mul_overflow(a, b, &out);
}

} // namespace

GgufFile GgufFile::open(const std::filesystem::path& path)
{
    GgufFile file(utf8FromPath(path));
    file.mapping_.emplace(path);
    file.bytes_ = file.mapping_->bytes();
    file.parseAll();
    return file;
}

GgufFile GgufFile::parse(std::span<const uint8_t> bytes, std::string source)
{
    GgufFile file(std::move(source));
    file.bytes_ = bytes;
    file.parseAll();
    return file;
}

void GgufFile::parseAll()
{
    Cursor in(bytes_, source());

    // Header: magic, version, tensor count, metadata count.
    if (bytes_.size() < 4 || std::memcmp(bytes_.data(), "GGUF", 4) != 0)
        in.fail(0, "this is not a GGUF file (it does not start with the magic bytes 'GGUF'); choose a .gguf "
                   "model file");
    in.read<uint32_t>("the magic");
    const uint64_t versionAt = in.position();
    version_ = in.read<uint32_t>("the version");
    if (version_ < kMinVersionRead || version_ > kMaxVersionRead) {
        const uint32_t swapped = __builtin_bswap32(version_);
        if (swapped >= kMinVersionRead && swapped <= kMaxVersionRead)
            in.fail(versionAt, "this is a big-endian GGUF file, which runs only on big-endian machines; use the "
                               "little-endian file of this model");
        if (version_ == 1)
            in.fail(versionAt, "GGUF version 1 is obsolete; convert the model again with a current llama.cpp");
        in.fail(versionAt, fmt::format("GGUF version {} is not supported (this build reads versions {} to {})",
                                       version_, kMinVersionRead, kMaxVersionRead));
    }
    const uint64_t tensorCountAt = in.position();
    const uint64_t tensorCount = in.read<uint64_t>("the tensor count");
    const uint64_t metadataCountAt = in.position();
    const uint64_t metadataCount = in.read<uint64_t>("the metadata count");

    // Each key/value takes at least 13 bytes (key length, type, one byte of value): a larger
    // count than the file can hold is corruption, caught before anything is reserved.
    if (metadataCount > in.remaining() / 13)
        in.fail(metadataCountAt, fmt::format("the header claims {} metadata entries, more than the file's "
                                             "{} remaining bytes can hold",
                                             metadataCount, in.remaining()));
    for (uint64_t i = 0; i < metadataCount; ++i) {
        const uint64_t entryAt = in.position();
        std::string key = in.readString(fmt::format("the key of metadata entry {}", i));
        const std::string what = fmt::format("metadata key '{}'", key);
        const ValueType type = in.readValueType(what);
        Value value = in.readValue(type, 0, what);
        if (!metadata_.insert(key, std::move(value)))
            in.fail(entryAt, fmt::format("metadata key '{}' appears twice", key));
    }

    if (const Value* alignment = metadata_.find(kAlignmentKey)) {
        const uint32_t* value = std::get_if<uint32_t>(alignment);
        if (!value || *value == 0 || !std::has_single_bit(*value))
            in.fail(0, fmt::format("metadata key '{}' must be a uint32 power of two, but holds {} {}",
                                   kAlignmentKey, valueTypeName(valueType(*alignment)), describeValue(*alignment)));
        alignment_ = *value;
    }

    // Each tensor description takes at least 24 bytes (name length, dimension count, type, offset).
    if (tensorCount > in.remaining() / 24)
        in.fail(tensorCountAt, fmt::format("the header claims {} tensors, more than the file's {} remaining "
                                           "bytes can describe",
                                           tensorCount, in.remaining()));
    tensors_.reserve(tensorCount);
    for (uint64_t i = 0; i < tensorCount; ++i) {
        TensorInfo tensor;
        tensor.infoOffset = in.position();
        tensor.name = in.readString(fmt::format("the name of tensor {}", i));
        const std::string what = fmt::format("tensor '{}'", tensor.name);
        if (tensor.name.size() > kMaxTensorNameBytes)
            in.fail(tensor.infoOffset, fmt::format("{} has a name longer than {} bytes", what, kMaxTensorNameBytes));
        if (!tensorIndex_.emplace(tensor.name, tensors_.size()).second)
            in.fail(tensor.infoOffset, fmt::format("{} appears twice", what));

        const uint64_t dimsAt = in.position();
        const uint32_t dimCount = in.read<uint32_t>(what);
        if (dimCount == 0 || dimCount > kMaxDims)
            in.fail(dimsAt, fmt::format("{} has {} dimensions; GGUF tensors have 1 to {}", what, dimCount, kMaxDims));
        tensor.elementCount = 1;
        for (uint32_t d = 0; d < dimCount; ++d) {
            const uint64_t dimAt = in.position();
            const uint64_t dim = in.read<uint64_t>(what);
            tensor.shape.push_back(dim);
            if (dim > uint64_t(std::numeric_limits<int64_t>::max()) ||
                !checkedMultiply(tensor.elementCount, dim, tensor.elementCount) ||
                tensor.elementCount > uint64_t(std::numeric_limits<int64_t>::max()))
                in.fail(dimAt, fmt::format("{}: its dimensions overflow a 64-bit element count", what));
        }

        const uint64_t typeAt = in.position();
        const uint32_t typeCode = in.read<uint32_t>(what);
        const std::optional<TensorTypeTraits> traits = tensorTypeTraits(typeCode);
        if (!traits)
            in.fail(typeAt, fmt::format("{} has tensor type {}, which this build does not know; the file may "
                                        "need a newer Latent",
                                        what, typeCode));
        tensor.type = traits->type;
        if (tensor.shape[0] % traits->blockValues != 0)
            in.fail(dimsAt, fmt::format("{} has rows of {} values, not a multiple of {}'s block of {}", what,
                                        tensor.shape[0], traits->name, traits->blockValues));
        if (!checkedMultiply(tensor.elementCount / traits->blockValues, traits->blockBytes, tensor.byteSize))
            in.fail(dimsAt, fmt::format("{}: its size in bytes overflows 64 bits", what));

        const uint64_t offsetAt = in.position();
        tensor.offset = in.read<uint64_t>(what);
        if (tensor.offset % alignment_ != 0)
            in.fail(offsetAt, fmt::format("{} starts at data offset {}, which is not a multiple of the alignment {}",
                                          what, tensor.offset, alignment_));
        tensors_.push_back(std::move(tensor));
    }

    dataOffset_ = (in.position() + alignment_ - 1) / alignment_ * alignment_;
    const uint64_t dataSize = bytes_.size() > dataOffset_ ? bytes_.size() - dataOffset_ : 0;
    for (const TensorInfo& tensor : tensors_) {
        if (tensor.offset > dataSize || tensor.byteSize > dataSize - tensor.offset)
            in.fail(tensor.infoOffset,
                    fmt::format("tensor '{}' ({} bytes at data offset {}) runs past the end of the file's {} bytes "
                                "of tensor data; the file is truncated: download or convert it again",
                                tensor.name, tensor.byteSize, tensor.offset, dataSize));
    }

    // Tensors may come in any order, but their bytes must not overlap.
    std::vector<const TensorInfo*> byOffset;
    byOffset.reserve(tensors_.size());
    for (const TensorInfo& tensor : tensors_)
        byOffset.push_back(&tensor);
    std::ranges::sort(byOffset, {}, &TensorInfo::offset);
    for (size_t i = 1; i < byOffset.size(); ++i) {
        const TensorInfo& previous = *byOffset[i - 1];
        if (previous.offset + previous.byteSize > byOffset[i]->offset)
            in.fail(byOffset[i]->infoOffset, fmt::format("tensor '{}' overlaps tensor '{}'", byOffset[i]->name,
                                                         previous.name));
    }
}

const TensorInfo* GgufFile::findTensor(std::string_view name) const
{
    const auto it = tensorIndex_.find(std::string(name));
    return it == tensorIndex_.end() ? nullptr : &tensors_[it->second];
}

std::span<const uint8_t> GgufFile::tensorData(const TensorInfo& tensor) const
{
    return bytes_.subspan(dataOffset_ + tensor.offset, tensor.byteSize);
}

void GgufFile::releaseTensorData(const TensorInfo& tensor) const
{
    if (mapping_)
        mapping_->adviseUnneeded(tensorData(tensor));
}

uint64_t GgufFile::tensorBytes() const
{
    uint64_t bytes = 0;
    for (const TensorInfo& info : tensors_)
        bytes += info.byteSize;
    return bytes;
}

const std::string& GgufFile::architecture() const
{
    return metadata_.get<std::string>("general.architecture");
}

uint64_t GgufFile::parameterCount() const
{
    uint64_t total = 0;
    for (const TensorInfo& tensor : tensors_)
        total += tensor.elementCount;
    return total;
}

} // namespace latent::gguf
