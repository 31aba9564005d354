#pragma once

#include "engine/backend/backend.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/model.h"
#include "engine/tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>
#include <string>

namespace latent {

struct LoadOptions {
    std::string backend = "auto";
    size_t threads = 0; // 0: the physical cores
};

// Everything that running a model file takes: the mapped file, a backend, the architecture's
// weights on it, and the tokenizer. What the CLI commands and the app's engine worker hold.
struct LoadedModel {
    std::shared_ptr<const gguf::GgufFile> file;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<Model> model;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer;

    static LoadedModel open(const std::filesystem::path& path, const LoadOptions& options);
};

} // namespace latent
