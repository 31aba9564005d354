#include "engine/model/loaded_model.h"

#include "engine/backend/create_backend.h"

namespace latent {

LoadedModel LoadedModel::open(const std::filesystem::path& path, const LoadOptions& options)
{
    LoadedModel loaded;
    loaded.file = std::make_shared<const gguf::GgufFile>(gguf::GgufFile::open(path));
    loaded.tokenizer = std::make_unique<tokenizer::Tokenizer>(tokenizer::Tokenizer::fromGguf(*loaded.file));
    loaded.backend = createBackend(options.backend, options.threads);
    loaded.model = Model::load(loaded.file, *loaded.backend);
    return loaded;
}

} // namespace latent
