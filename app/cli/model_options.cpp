#include "app/cli/model_options.h"

#include "app/cli/number_range.h"

#include "engine/backend/create_backend.h"
#include "engine/core/error.h"
#include "engine/core/utf8_path.h"
#include "engine/gguf/gguf_file.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <limits>

namespace latent::cli {

void addTokenizerSourceOptions(CLI::App& command, TokenizerSource& source)
{
    auto* model = command.add_option("-m,--model", source.model, "A GGUF model file");
    auto* json = command.add_option("--tokenizer-json", source.tokenizerJson, "A Hugging Face tokenizer.json");
    model->excludes(json);
}

tokenizer::Tokenizer loadTokenizer(const TokenizerSource& source)
{
    if (source.model.empty() && source.tokenizerJson.empty())
        throw Error("give a model (-m MODEL.gguf) or a tokenizer (--tokenizer-json tokenizer.json)");
    if (!source.tokenizerJson.empty())
        return tokenizer::Tokenizer::fromHuggingFaceJson(pathFromUtf8(source.tokenizerJson));
    return tokenizer::Tokenizer::fromGguf(gguf::GgufFile::open(pathFromUtf8(source.model)));
}

void addEngineOptions(CLI::App& command, EngineOptions& options)
{
    command.add_option("-m,--model", options.model, "A GGUF model file")->required();
    command.add_option("--backend", options.load.backend, fmt::format("auto, or one of: {}", fmt::join(availableBackends(), ", ")))
        ->capture_default_str();
    command.add_option("--device", options.load.device,
                       "The GPU backend's device (`latent-cli devices` lists them; default: LATENT_VULKAN_DEVICE or "
                       "LATENT_CUDA_DEVICE, else for Vulkan the first discrete GPU, then integrated, virtual, "
                       "CPU-type, and for CUDA the one with the most memory)");
    const double unbounded = std::numeric_limits<double>::max();
    command.add_option("--threads", options.load.threads, "CPU threads (default: the physical cores)")
        ->check(numberRange(1, unbounded, "a count of threads from 1"));
    command.add_option("--ctx", options.load.contextLength, "Context size in tokens (0: the model's own)")
        ->capture_default_str()
        ->check(numberRange(0, unbounded, "0 (the model's own) or a count of tokens"));
    command.add_option("--batch", options.batchSize, "Prompt tokens per forward pass")
        ->capture_default_str()
        ->check(numberRange(1, unbounded, "a count of tokens from 1"));
}

void printBackend(const LoadedModel& loaded)
{
    if (loaded.backendReason.empty())
        fmt::print(stderr, "backend: {}\n", loaded.backend->name());
    else
        fmt::print(stderr, "backend: {} ({})\n", loaded.backend->name(), loaded.backendReason);
}

SessionOptions sessionOptions(const EngineOptions& options, const Model& model)
{
    const int64_t modelContext = model.info().contextLength;
    const int64_t context = options.load.contextLength > 0 ? std::min(options.load.contextLength, modelContext) : modelContext;
    return SessionOptions{context, options.batchSize};
}

} // namespace latent::cli
