#include "app/cli/info_command.h"

#include "app/cli/text_format.h"
#include "engine/core/error.h"
#include "engine/core/utf8_path.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/model.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>

namespace latent::cli {
namespace {

struct InfoOptions {
    std::string path;
    bool listTensors = false;
};

std::string shapeText(const std::vector<uint64_t>& shape)
{
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

void printSummary(const gguf::GgufFile& file)
{
    const gguf::Metadata& meta = file.metadata();
    const std::string arch = meta.getOptional<std::string>("general.architecture").value_or("(not set)");
    fmt::print("File          {} ({}, GGUF version {})\n", std::filesystem::path(file.source()).filename().string(),
               formatBytes(file.fileSize()), file.version());
    fmt::print("Architecture  {}\n", arch);
    fmt::print("Name          {}\n", meta.getOptional<std::string>("general.name").value_or("(not set)"));
    fmt::print("Parameters    {} ({})\n", formatParameters(file.parameterCount()),
               formatCount(file.parameterCount()));
    if (const auto context = meta.getIntegerOptional<uint64_t>(arch + ".context_length"))
        fmt::print("Context       {} tokens\n", formatCount(*context));
    else
        fmt::print("Context       (no {}.context_length)\n", arch);
    fmt::print("Tensors       {}, data from byte {}, aligned to {} bytes\n", file.tensors().size(), file.dataOffset(),
               file.alignment());
    try {
        if (const auto perToken = cacheBytesPerToken(file))
            fmt::print("KV cache      {} per token of context ({} for 4096 tokens)\n", formatBytes(*perToken),
                       formatBytes(*perToken * 4096));
    } catch (const Error& error) {
        fmt::print("KV cache      unknown: {}\n", error.what());
    }
}

void printMetadata(const gguf::Metadata& meta)
{
    size_t keyWidth = 0;
    for (const auto& [key, value] : meta.entries())
        keyWidth = std::max(keyWidth, key.size());
    fmt::print("\nMetadata ({} keys)\n", meta.size());
    for (const auto& [key, value] : meta.entries())
        fmt::print("  {:<{}}  {:<7}  {}\n", key, keyWidth, gguf::valueTypeName(gguf::valueType(value)),
                   gguf::describeValue(value));
}

void printTypeTable(const gguf::GgufFile& file)
{
    struct Totals {
        uint64_t tensors = 0;
        uint64_t bytes = 0;
    };
    std::map<std::string_view, Totals> byType;
    uint64_t allBytes = 0;
    for (const gguf::TensorInfo& tensor : file.tensors()) {
        Totals& totals = byType[gguf::tensorTypeName(tensor.type)];
        ++totals.tensors;
        totals.bytes += tensor.byteSize;
        allBytes += tensor.byteSize;
    }
    fmt::print("\nTensor types\n  {:<8} {:>8} {:>12} {:>7}\n", "type", "tensors", "bytes", "share");
    for (const auto& [name, totals] : byType)
        fmt::print("  {:<8} {:>8} {:>12} {:>6.1f}%\n", name, totals.tensors, formatBytes(totals.bytes),
                   allBytes ? 100.0 * static_cast<double>(totals.bytes) / static_cast<double>(allBytes) : 0.0);
}

void printTensors(const gguf::GgufFile& file)
{
    fmt::print("\nTensors\n");
    for (const gguf::TensorInfo& tensor : file.tensors())
        fmt::print("  {:<40} {:<8} {:<24} {:>12}\n", tensor.name, gguf::tensorTypeName(tensor.type),
                   shapeText(tensor.shape), formatBytes(tensor.byteSize));
}

} // namespace

void addInfoCommand(CLI::App& app)
{
    auto options = std::make_shared<InfoOptions>();
    CLI::App* command = app.add_subcommand("info", "Show what a GGUF model file holds");
    command->add_option("file", options->path, "The .gguf model file")->required();
    command->add_flag("--tensors", options->listTensors, "Also list every tensor with its type and shape");
    command->callback([options] {
        const gguf::GgufFile file = gguf::GgufFile::open(pathFromUtf8(options->path));
        printSummary(file);
        printMetadata(file.metadata());
        printTypeTable(file);
        if (options->listTensors)
            printTensors(file);
    });
}

} // namespace latent::cli
