#pragma once

#include "engine/backend/backend.h"
#include "engine/chat/chat_template.h"
#include "engine/gguf/gguf_file.h"
#include "engine/model/model.h"
#include "engine/model/model_weights.h"
#include "engine/tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace latent {

struct LoadOptions {
    std::string backend = "auto";
    size_t threads = 0; // 0: the physical cores
    // The share loaded (0..1): after the file is mapped, the tokenizer read, and each weight.
    // Returning false cancels the load, which then throws LoadCancelled.
    LoadProgress progress = {};
    std::optional<uint32_t> device = {}; // the Vulkan device (unset: LATENT_VULKAN_DEVICE, else the best)
    int64_t contextLength = 0;           // the cache the caller will make, for auto's fit (0: the model's own)
    std::filesystem::path speedRecords = {}; // auto's measurements (empty: SpeedRecords::defaultPath())
    bool profile = false; // the backend wrapped in a ProfilingBackend (bench --profile)
};

// Everything that running a model file takes: the mapped file, a backend, the architecture's
// weights on it, and the tokenizer. What the CLI commands and the app's engine worker hold.
struct LoadedModel {
    std::shared_ptr<const gguf::GgufFile> file;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<Model> model;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer;
    std::string backendReason; // why "auto" chose the backend it did (backend_choice.h); empty for a named one

    static LoadedModel open(const std::filesystem::path& path, const LoadOptions& options);

    // The tokens of a conversation in a chat format, ending with the assistant's turn opened.
    std::vector<int32_t> chatPrompt(chat::ChatFormat format, std::span<const chat::ChatMessage> messages) const;
};

// The same for any tokenizer (a server given a model from outside has no LoadedModel).
std::vector<int32_t> chatPromptTokens(const tokenizer::Tokenizer& tokenizer, chat::ChatFormat format,
                                      std::span<const chat::ChatMessage> messages);

} // namespace latent
