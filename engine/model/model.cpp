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

} // namespace latent
