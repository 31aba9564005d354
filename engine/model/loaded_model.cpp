#include "engine/model/loaded_model.h"

#include "engine/backend/create_backend.h"

#include <fmt/format.h>

namespace latent {
namespace {

// The share of a load each stage ends at: mapping and parsing the file, then the tokenizer; the
// weights take the rest.
constexpr double kFileMapped = 0.02;
constexpr double kTokenizerRead = 0.05;

} // namespace

LoadedModel LoadedModel::open(const std::filesystem::path& path, const LoadOptions& options)
{
    const auto report = [&](double fraction) {
        if (options.progress && !options.progress(fraction))
            throw LoadCancelled(fmt::format("{}: loading was cancelled", path.string()));
    };
    LoadedModel loaded;
    loaded.file = std::make_shared<const gguf::GgufFile>(gguf::GgufFile::open(path));
    report(kFileMapped);
    loaded.tokenizer = std::make_unique<tokenizer::Tokenizer>(tokenizer::Tokenizer::fromGguf(*loaded.file));
    report(kTokenizerRead);
    loaded.backend = createBackend(options.backend, options.threads,
                                   {.device = options.device, .model = loaded.file.get(), .reason = &loaded.backendReason});
    LoadProgress weights;
    if (options.progress)
        weights = [&](double fraction) { return options.progress(kTokenizerRead + (1 - kTokenizerRead) * fraction); };
    loaded.model = Model::load(loaded.file, *loaded.backend, weights);
    report(1);
    return loaded;
}

std::vector<int32_t> LoadedModel::chatPrompt(chat::ChatFormat format, std::span<const chat::ChatMessage> messages) const
{
    const auto text = [&](const std::optional<int32_t>& id) { return id ? tokenizer->tokenText(*id) : std::string(); };
    const std::string rendered =
        chat::renderChat(format, messages, true, {text(tokenizer->spec().bos), text(tokenizer->spec().eos)});
    return tokenizer->encode(rendered, {.addBos = false, .parseSpecial = true});
}

} // namespace latent
