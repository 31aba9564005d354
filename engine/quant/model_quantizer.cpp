#include "engine/quant/model_quantizer.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_writer.h"
#include "engine/quant/quantize.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <thread>
#include <vector>

namespace latent::quant {
namespace {

using gguf::TensorInfo;
using gguf::TensorType;

// ggml's version of the quantized block layouts, which llama.cpp stores with every quantized file.
constexpr uint32_t kQuantizationVersion = 2;
// Rows are converted in slabs of at most this many values (64 MiB as floats), so memory stays
// flat whatever the tensor's size.
constexpr uint64_t kSlabValues = uint64_t(1) << 24;
// Fewer values than this per thread, and starting the thread costs more than it saves.
constexpr uint64_t kMinValuesPerThread = uint64_t(1) << 16;

uint64_t rowBytes(TensorType type, uint64_t rowLength)
{
    const gguf::TensorTypeTraits& traits = gguf::tensorTypeTraits(type);
    return rowLength / traits.blockValues * traits.blockBytes;
}

bool isSameFile(const std::filesystem::path& a, const std::filesystem::path& b)
{
    std::error_code bothExist, aFound, bFound;
    if (std::filesystem::equivalent(a, b, bothExist)) // hard and symbolic links included
        return true;
    const std::filesystem::path canonicalA = std::filesystem::weakly_canonical(a, aFound);
    const std::filesystem::path canonicalB = std::filesystem::weakly_canonical(b, bFound);
    return !aFound && !bFound && canonicalA == canonicalB;
}

// The output is written to OUTPUT.partial first: neither file may be the input, which stays
// mapped while it is read.
void checkOutputPath(const std::filesystem::path& input, const std::filesystem::path& output)
{
    std::filesystem::path partial = output;
    partial += ".partial";
    if (isSameFile(input, output) || isSameFile(input, partial))
        throw Error(fmt::format("{}: the output would overwrite the input {}; give the quantized model another name",
                                output.string(), input.string()));
}

std::vector<TensorConversion> planConversions(const gguf::GgufFile& file, const QuantizeOptions& options)
{
    const std::vector<TensorTypeChoice> choices = chooseTensorTypes(file, options.mix, options.pure);
    const std::string_view mixName = quantMixInfo(options.mix).name;
    std::vector<TensorConversion> conversions;
    for (size_t t = 0; t < choices.size(); ++t) {
        const TensorInfo& tensor = file.tensors()[t];
        const TensorType to = choices[t].type;
        if (to != tensor.type && !canQuantize(tensor.type))
            throw Error(fmt::format("{}: tensor '{}' is stored as {}, which this build cannot read to convert it to {} "
                                    "({}); quantize a model stored in F32, F16 or BF16 instead",
                                    file.source(), tensor.name, gguf::tensorTypeName(tensor.type),
                                    gguf::tensorTypeName(to), mixName));
        if (to != tensor.type && !canQuantize(to))
            throw Error(fmt::format("{}: {} writes tensor '{}' as {}, which this build cannot quantize to yet",
                                    file.source(), mixName, tensor.name, gguf::tensorTypeName(to)));
        conversions.push_back({&tensor, choices[t], tensor.rowCount() * rowBytes(to, tensor.shape[0])});
    }
    return conversions;
}

// Runs work(begin, end) over [0, count) in one contiguous chunk per thread, and rethrows the first
// failure once all have finished.
void forEachChunk(uint64_t count, unsigned threads, const std::function<void(uint64_t, uint64_t)>& work)
{
    if (threads <= 1) {
        work(0, count);
        return;
    }
    std::vector<std::exception_ptr> failures(threads);
    {
        std::vector<std::jthread> workers;
        for (unsigned t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                try {
                    work(count * t / threads, count * (t + 1) / threads);
                } catch (...) {
                    failures[t] = std::current_exception();
                }
            });
        }
    }
    for (const std::exception_ptr& failure : failures) {
        if (failure)
            std::rethrow_exception(failure);
    }
}

// A tensor's bytes in its new type, slab after slab of rows, each slab's rows split among threads.
void convertTensor(const gguf::GgufFile& file, const TensorConversion& conversion, unsigned threads,
                   const gguf::GgufWriter::TensorBytesSink& sink)
{
    const TensorInfo& tensor = *conversion.tensor;
    const TensorType to = conversion.to.type;
    const std::span<const uint8_t> source = file.tensorData(tensor);
    if (to == tensor.type) {
        sink(source);
        return;
    }
    const uint64_t rowLength = tensor.shape[0];
    const uint64_t rows = tensor.rowCount();
    const uint64_t sourceRowBytes = rowBytes(tensor.type, rowLength);
    const uint64_t targetRowBytes = rowBytes(to, rowLength);
    const uint64_t slabRows = std::max<uint64_t>(1, kSlabValues / rowLength);
    std::vector<uint8_t> slab(std::min(rows, slabRows) * targetRowBytes);
    for (uint64_t first = 0; first < rows; first += slabRows) {
        const uint64_t count = std::min(slabRows, rows - first);
        const auto useful = unsigned(std::max<uint64_t>(1, count * rowLength / kMinValuesPerThread));
        forEachChunk(count, std::min(threads, useful), [&](uint64_t begin, uint64_t end) {
            const std::vector<float> values =
                dequantize(tensor.type, source.subspan((first + begin) * sourceRowBytes, (end - begin) * sourceRowBytes),
                           (end - begin) * rowLength);
            const std::vector<uint8_t> bytes = quantize(to, values);
            std::memcpy(slab.data() + begin * targetRowBytes, bytes.data(), bytes.size());
        });
        sink({slab.data(), count * targetRowBytes});
    }
}

} // namespace

QuantizeSummary quantizeModel(const std::filesystem::path& input, const std::filesystem::path& output,
                              const QuantizeOptions& options, const QuantizeProgress& progress)
{
    const auto start = std::chrono::steady_clock::now();
    checkOutputPath(input, output);
    const gguf::GgufFile file = gguf::GgufFile::open(input);
    const std::vector<TensorConversion> conversions = planConversions(file, options);
    const unsigned threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());

    // The keys and tensors in llama.cpp's order, the two keys it sets last: a file llama-quantize
    // writes with the same quantizers is the same bytes.
    gguf::GgufWriter writer;
    gguf::Metadata& metadata = writer.metadata();
    for (const auto& [key, value] : file.metadata().entries())
        metadata.set(key, value);
    metadata.erase("general.quantization_version");
    metadata.set("general.quantization_version", kQuantizationVersion);
    metadata.erase("general.file_type");
    metadata.set("general.file_type", static_cast<uint32_t>(options.mix));

    QuantizeSummary summary;
    summary.tensorCount = conversions.size();
    const std::vector<size_t> order = quantizedTensorOrder(file.tensors());
    for (size_t i = 0; i < order.size(); ++i) {
        const TensorConversion& conversion = conversions[order[i]];
        writer.addTensor(conversion.tensor->name, conversion.to.type, conversion.tensor->shape,
                         [&, i, planned = &conversion](const gguf::GgufWriter::TensorBytesSink& sink) {
                             if (progress)
                                 progress(i, order.size(), *planned);
                             convertTensor(file, *planned, threads, sink);
                             file.releaseTensorData(*planned->tensor); // its pages are read for good
                         });
        summary.parameterCount += conversion.tensor->elementCount;
        summary.bytesBefore += conversion.tensor->byteSize;
        summary.bytesAfter += conversion.byteSize;
    }
    writer.write(output);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace latent::quant
