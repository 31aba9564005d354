#include "app/cli/quantize_command.h"

#include "app/cli/text_format.h"
#include "engine/core/error.h"
#include "engine/core/utf8_path.h"
#include "engine/quant/model_quantizer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <memory>
#include <string>

namespace latent::cli {
namespace {

struct QuantizeCommandOptions {
    std::string input;
    std::string output;
    std::string type;
    bool pure = false;
    unsigned threads = 0;
};

// "[12/404] blk.1.ffn_down_exps.weight  F16 -> Q6_K  [1408, 2048, 64]", with why a type fell back.
void printProgress(size_t index, size_t count, const quant::TensorConversion& conversion)
{
    const gguf::TensorInfo& tensor = *conversion.tensor;
    const std::string_view from = gguf::tensorTypeName(tensor.type);
    const std::string change = conversion.to.type == tensor.type
                                   ? fmt::format("{} (kept)", from)
                                   : fmt::format("{} -> {}", from, gguf::tensorTypeName(conversion.to.type));
    std::string fallback;
    if (conversion.to.fallbackFrom)
        fallback = fmt::format("  ({} needs rows of a multiple of {})", gguf::tensorTypeName(*conversion.to.fallbackFrom),
                               gguf::tensorTypeTraits(*conversion.to.fallbackFrom).blockValues);
    fmt::print(stderr, "[{}/{}] {:<32}  {:<14}  [{}]{}\n", index + 1, count, tensor.name, change,
               fmt::join(tensor.shape, ", "), fallback);
}

void printSummary(const std::string& output, const quant::QuantizeSummary& summary)
{
    const auto bitsPerWeight = [&](uint64_t bytes) { return 8.0 * double(bytes) / double(summary.parameterCount); };
    fmt::print(stderr, "wrote {}: {} tensors, {} parameters, {} -> {} ({:.2f} -> {:.2f} bits per weight) in {:.1f} s\n",
               output, summary.tensorCount, formatParameters(summary.parameterCount), formatBytes(summary.bytesBefore),
               formatBytes(summary.bytesAfter), bitsPerWeight(summary.bytesBefore), bitsPerWeight(summary.bytesAfter),
               summary.seconds);
}

} // namespace

void addQuantizeCommand(CLI::App& app)
{
    auto options = std::make_shared<QuantizeCommandOptions>();
    CLI::App* command = app.add_subcommand("quantize", "Write a model again in a quantization mix, as llama-quantize does");
    command->add_option("input", options->input, "The .gguf model to read (F32, F16, BF16 or a type it can convert)")
        ->required();
    command->add_option("output", options->output, "The .gguf file to write")->required();
    command->add_option("type", options->type, "The mix: " + quant::quantMixNames())->required();
    command->add_flag("--pure", options->pure,
                      "Every matrix in the mix's base type, without llama.cpp's per-tensor rules");
    command->add_option("--threads", options->threads, "Threads (0: one per core)")->capture_default_str();
    command->callback([options] {
        const std::optional<quant::QuantMix> mix = quant::quantMixFromName(options->type);
        if (!mix)
            throw Error(fmt::format("TYPE '{}' is not a quantization type; choose one of {}", options->type,
                                    quant::quantMixNames()));
        const quant::QuantizeOptions quantize{*mix, options->pure, options->threads};
        const quant::QuantizeSummary summary =
            quant::quantizeModel(pathFromUtf8(options->input), pathFromUtf8(options->output), quantize, printProgress);
        printSummary(options->output, summary);
    });
}

} // namespace latent::cli
