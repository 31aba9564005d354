#include "engine/gguf/gguf_writer.h"

#include "engine/core/utf8_path.h"
#include "engine/gguf/gguf_encoder.h"
#include "engine/gguf/gguf_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <fstream>
#include <system_error>

namespace latent::gguf {
namespace {

uint64_t alignUp(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
}

void checkArrayElements(std::string_view key, const Value& value)
{
    const Array* array = std::get_if<Array>(&value);
    if (!array)
        return;
    for (const Value& item : array->items) {
        if (valueType(item) != array->elementType)
            throw Error(fmt::format("metadata key '{}': an array of {} holds a {}", key,
                                    valueTypeName(array->elementType), valueTypeName(valueType(item))));
        checkArrayElements(key, item);
    }
}

void discardPartialFile(std::ofstream& out, const std::filesystem::path& temporary)
{
    out.close();
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
}

} // namespace

GgufWriter::TensorSize GgufWriter::checkedSize(const std::string& name, TensorType type,
                                               const std::vector<uint64_t>& shape) const
{
    if (name.empty() || name.size() > kMaxTensorNameBytes)
        throw Error(fmt::format("tensor '{}': a name must have 1 to {} bytes", name, kMaxTensorNameBytes));
    if (std::ranges::any_of(tensors_, [&](const PendingTensor& t) { return t.name == name; }))
        throw Error(fmt::format("tensor '{}' is added twice", name));
    if (shape.empty() || shape.size() > kMaxDims)
        throw Error(fmt::format("tensor '{}' has {} dimensions; GGUF tensors have 1 to {}", name, shape.size(),
                                kMaxDims));
    const TensorTypeTraits& traits = tensorTypeTraits(type);
    if (shape[0] % traits.blockValues != 0)
        throw Error(fmt::format("tensor '{}' has rows of {} values, not a multiple of {}'s block of {}", name,
                                shape[0], traits.name, traits.blockValues));
    uint64_t elements = 1;
    for (uint64_t dim : shape) {
        if (__builtin_mul_overflow(elements, dim, &elements))
            throw Error(fmt::format("tensor '{}': its dimensions overflow a 64-bit element count", name));
    }
    uint64_t bytes = 0;
    if (__builtin_mul_overflow(elements / traits.blockValues, uint64_t(traits.blockBytes), &bytes))
        throw Error(fmt::format("tensor '{}': its byte size overflows 64 bits", name));
    return {elements, bytes};
}

void GgufWriter::addTensor(std::string name, TensorType type, std::vector<uint64_t> shape,
                           std::span<const uint8_t> data)
{
    const TensorSize size = checkedSize(name, type, shape);
    if (size.bytes != data.size())
        throw Error(fmt::format("tensor '{}' ({}, {} values) needs {} bytes of data, but {} were given", name,
                                tensorTypeName(type), size.elements, size.bytes, data.size()));
    tensors_.push_back({std::move(name), type, std::move(shape), size.bytes,
                        [data](const TensorBytesSink& sink) { sink(data); }});
}

void GgufWriter::addTensor(std::string name, TensorType type, std::vector<uint64_t> shape, TensorBytesSource source)
{
    const uint64_t bytes = checkedSize(name, type, shape).bytes;
    tensors_.push_back({std::move(name), type, std::move(shape), bytes, std::move(source)});
}

uint32_t GgufWriter::alignment() const
{
    const Value* value = metadata_.find(kAlignmentKey);
    if (!value)
        return kDefaultAlignment;
    const uint32_t* alignment = std::get_if<uint32_t>(value);
    if (!alignment || *alignment == 0 || !std::has_single_bit(*alignment))
        throw Error(fmt::format("metadata key '{}' must be a uint32 power of two", kAlignmentKey));
    return *alignment;
}

void GgufWriter::checkMetadata() const
{
    for (const auto& [key, value] : metadata_.entries())
        checkArrayElements(key, value);
}

void GgufWriter::writeTo(std::ostream& out) const
{
    checkMetadata();
    const uint32_t align = alignment();
    GgufEncoder encoder(out);
    encoder.put<uint32_t>(kMagic);
    encoder.put<uint32_t>(kVersionWritten);
    encoder.put<uint64_t>(tensors_.size());
    encoder.put<uint64_t>(metadata_.size());
    for (const auto& [key, value] : metadata_.entries())
        encoder.putKeyValue(key, value);

    uint64_t offset = 0;
    for (const PendingTensor& tensor : tensors_) {
        encoder.putString(tensor.name);
        encoder.put<uint32_t>(static_cast<uint32_t>(tensor.shape.size()));
        for (uint64_t dim : tensor.shape)
            encoder.put<uint64_t>(dim);
        encoder.put<uint32_t>(static_cast<uint32_t>(tensor.type));
        encoder.put<uint64_t>(offset);
        offset = alignUp(offset + tensor.byteSize, align);
    }

    encoder.putPaddingTo(align);
    for (const PendingTensor& tensor : tensors_) {
        uint64_t written = 0;
        tensor.source([&](std::span<const uint8_t> piece) {
            if (piece.size() > tensor.byteSize - written)
                throw Error(fmt::format("tensor '{}': its source gave more than the {} bytes it needs", tensor.name,
                                        tensor.byteSize));
            encoder.putBytes(piece.data(), piece.size());
            written += piece.size();
        });
        if (written != tensor.byteSize)
            throw Error(fmt::format("tensor '{}': its source gave {} of the {} bytes it needs", tensor.name, written,
                                    tensor.byteSize));
        encoder.putPaddingTo(align);
        // Stop at the first failed write rather than make every remaining tensor for nothing.
        if (!out)
            throw Error(fmt::format("writing tensor '{}' failed", tensor.name));
    }
    if (!out)
        throw Error("writing the GGUF data failed");
}

void GgufWriter::write(const std::filesystem::path& path) const
{
    std::filesystem::path temporary = path;
    temporary += ".partial";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(fmt::format("{}: cannot create the file; check that the folder exists and is writable",
                                    utf8FromPath(temporary)));
        try {
            writeTo(out);
            out.close();
            if (!out)
                throw Error("the disk may be full");
        } catch (const Error& error) {
            discardPartialFile(out, temporary);
            throw Error(fmt::format("{}: {}", utf8FromPath(path), error.what()));
        } catch (...) {
            // A tensor source may fail in any way (out of memory, a bug): still leave no partial file.
            discardPartialFile(out, temporary);
            throw;
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        throw Error(fmt::format("{}: cannot move the finished file into place: {}", utf8FromPath(path), error.message()));
    }
}

} // namespace latent::gguf
