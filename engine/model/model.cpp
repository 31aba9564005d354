#include "engine/model/model.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/llama_model.h"

#include <fmt/format.h>

namespace latent {

std::unique_ptr<Model> Model::load(std::shared_ptr<const gguf::GgufFile> file, Backend& backend)
{
    const std::string& architecture = file->architecture();
    if (architecture == "llama")
        return loadLlamaModel(std::move(file), backend);
    throw Error(fmt::format("{}: architecture '{}' is not supported (llama runs; deepseek2 is coming)",
                            file->source(), architecture));
}

std::optional<uint64_t> cacheBytesPerToken(const gguf::GgufFile& file)
{
    if (file.metadata().getOptional<std::string>("general.architecture") == "llama") {
        const LlamaHyperParameters hp = LlamaHyperParameters::read(file.metadata());
        return llamaCacheBytesPerToken(hp);
    }
    return std::nullopt;
}

} // namespace latent
