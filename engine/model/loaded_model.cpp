#include "engine/model/loaded_model.h"

#include "engine/backend/create_backend.h"
#include "engine/backend/profiling_backend.h"
#include "engine/core/error.h"
#include "engine/core/utf8_path.h"
#include "engine/model/backend_choice.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace latent {
namespace {

// The share of a load each stage ends at: mapping and parsing the file, then the tokenizer; the
// weights take the rest.
constexpr double kFileMapped = 0.02;
constexpr double kTokenizerRead = 0.05;

// One forward pass of one token: a device that fails or computes garbage fails here, at load,
// rather than in the person's first message.
void checkFirstForward(Model& model)
{
    KvCache cache = model.createCache(8);
    std::vector<float> logits;
    const int32_t token = 0;
    model.forward(cache, std::span(&token, 1), 0, Model::Logits::Last, logits);
    if (!std::all_of(logits.begin(), logits.end(), [](float v) { return std::isfinite(v); }))
        throw Error("its first forward pass computed logits that are not finite numbers");
}

// The backend as loading made it, or wrapped to time its operations.
std::unique_ptr<Backend> profiledIfAsked(std::unique_ptr<Backend> backend, const LoadOptions& options)
{
    if (!options.profile)
        return backend;
    return std::make_unique<ProfilingBackend>(std::move(backend));
}

} // namespace

LoadedModel LoadedModel::open(const std::filesystem::path& path, const LoadOptions& options)
{
    const auto report = [&](double fraction) {
        if (options.progress && !options.progress(fraction))
            throw LoadCancelled(fmt::format("{}: loading was cancelled", utf8FromPath(path)));
    };
    LoadedModel loaded;
    loaded.file = std::make_shared<const gguf::GgufFile>(gguf::GgufFile::open(path));
    report(kFileMapped);
    loaded.tokenizer = std::make_unique<tokenizer::Tokenizer>(tokenizer::Tokenizer::fromGguf(*loaded.file));
    report(kTokenizerRead);
    LoadProgress weights;
    if (options.progress)
        weights = [&](double fraction) { return options.progress(kTokenizerRead + (1 - kTokenizerRead) * fraction); };

    if (options.backend != "auto") {
        loaded.backend = profiledIfAsked(
            createBackend(options.backend, options.threads, {.device = options.device, .model = loaded.file.get()}),
            options);
        loaded.model = Model::load(loaded.file, *loaded.backend, weights);
        report(1);
        return loaded;
    }
    BackendChoice choice = chooseBackend(*loaded.file, {.threads = options.threads,
                                                        .device = options.device,
                                                        .contextLength = options.contextLength,
                                                        .speedRecords = options.speedRecords});
    loaded.backend = profiledIfAsked(std::move(choice.backend), options);
    loaded.backendReason = std::move(choice.reason);
    try {
        loaded.model = Model::load(loaded.file, *loaded.backend, weights);
        if (choice.onDevice)
            checkFirstForward(*loaded.model);
    } catch (const LoadCancelled&) {
        throw;
    } catch (const Error& error) {
        if (!choice.onDevice)
            throw;
        // The device failed: the same file again on the CPU, its memory freed first.
        const std::string device = loaded.backend->name();
        loaded.model.reset();
        loaded.backend = profiledIfAsked(createBackend("cpu", options.threads), options);
        loaded.backendReason = fmt::format("auto chose the CPU: {} failed ({})", device, error.what());
        loaded.model = Model::load(loaded.file, *loaded.backend, weights);
    }
    report(1);
    return loaded;
}

std::vector<int32_t> LoadedModel::chatPrompt(chat::ChatFormat format, std::span<const chat::ChatMessage> messages) const
{
    return chatPromptTokens(*tokenizer, format, messages);
}

std::vector<int32_t> chatPromptTokens(const tokenizer::Tokenizer& tokenizer, chat::ChatFormat format,
                                      std::span<const chat::ChatMessage> messages)
{
    const auto text = [&](const std::optional<int32_t>& id) { return id ? tokenizer.tokenText(*id) : std::string(); };
    const std::string rendered =
        chat::renderChat(format, messages, true, {text(tokenizer.spec().bos), text(tokenizer.spec().eos)});
    return tokenizer.encode(rendered, {.addBos = false, .parseSpecial = true});
}

} // namespace latent
