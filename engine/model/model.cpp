#include "engine/model/model.h"

#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/deepseek2_model.h"
#include "engine/model/llama_model.h"

#include <fmt/format.h>

namespace latent {

std::unique_ptr<Model> Model::load(std::shared_ptr<const gguf::GgufFile> file, Backend& backend)
{
    const std::string& architecture = file->architecture();
    if (architecture == "llama")
        return loadLlamaModel(std::move(file), backend);
    if (architecture == "deepseek2")
        return loadDeepSeek2Model(std::move(file), backend);
    throw Error(fmt::format("{}: architecture '{}' is not supported (llama and deepseek2 run)",
                            file->source(), architecture));
}

std::optional<uint64_t> cacheBytesPerToken(const gguf::GgufFile& file)
{
    const auto architecture = file.metadata().getOptional<std::string>("general.architecture");
    if (architecture == "llama")
        return llamaCacheBytesPerToken(LlamaHyperParameters::read(file.metadata()));
    if (architecture == "deepseek2")
        return deepSeek2CacheBytesPerToken(DeepSeek2HyperParameters::read(file.metadata()));
    return std::nullopt;
}

} // namespace latent
