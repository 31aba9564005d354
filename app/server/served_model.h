#pragma once

#include "app/server/engine_turns.h"
#include "engine/chat/chat_template.h"
#include "engine/model/model.h"
#include "engine/tokenizer/tokenizer.h"

#include <cstdint>
#include <string>

namespace latent::server {

// The model a server answers with, owned by whoever loaded it (latent-cli serve, or the app,
// which keeps generating with it on its own engine thread).
struct ServedModel {
    std::string name; // what /v1/models lists and answers carry
    Model* model = nullptr;
    const tokenizer::Tokenizer* tokenizer = nullptr;
    chat::ChatFormat chatFormat = chat::ChatFormat::DeepSeekLlm;
    int64_t contextLength = 4096; // positions of each request's session
    int64_t batchSize = 512;      // prompt tokens per forward pass
    // Held by the server around each forward pass (a prompt, one token), so that an owner that
    // also runs the model (the app) takes turns with it, first asked first served; nullptr when
    // the server is alone.
    EngineTurns* engineLock = nullptr;
};

} // namespace latent::server
