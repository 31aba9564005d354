#include "app/remote/endpoint_presets.h"

namespace latent::app::remote {

const QList<EndpointPreset>& endpointPresets() {
    static const QList<EndpointPreset> presets{
        {QStringLiteral("deepseek"), QStringLiteral("DeepSeek API"), QStringLiteral("https://api.deepseek.com/v1"),
         true, {QStringLiteral("deepseek-chat"), QStringLiteral("deepseek-reasoner")}},
        {QStringLiteral("vllm"), QStringLiteral("vLLM"), QStringLiteral("http://localhost:8000/v1"), false, {}},
        {QStringLiteral("sglang"), QStringLiteral("SGLang"), QStringLiteral("http://localhost:30000/v1"), false, {}},
        {QStringLiteral("ollama"), QStringLiteral("Ollama"), QStringLiteral("http://localhost:11434/v1"), false, {}},
        {QStringLiteral("llamacpp"), QStringLiteral("llama.cpp server"), QStringLiteral("http://localhost:8080/v1"),
         false, {}},
    };
    return presets;
}

} // namespace latent::app::remote
