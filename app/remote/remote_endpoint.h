#pragma once

#include <QString>

namespace latent::app::remote {

// A server that speaks the OpenAI API (DeepSeek's API, vLLM, SGLang, Ollama, llama.cpp's server).
struct RemoteEndpoint {
    QString name;    // what the user calls it; every error about it names it
    QString baseUrl; // the API's root, such as http://localhost:8000/v1
    QString kind;    // the preset it was made from ("deepseek", "vllm", ...), or "custom"
    QString apiKey;  // sent as "Authorization: Bearer"; empty: none
};

} // namespace latent::app::remote
