#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace latent::app::remote {

// A kind of server people run DeepSeek models on, with its usual address.
struct EndpointPreset {
    QString kind;        // what RemoteEndpoint::kind keeps
    QString name;        // the name an endpoint made from it gets
    QString baseUrl;
    bool needsKey = false;
    QStringList models;  // models it is known to serve when its list cannot be asked for yet
};

// DeepSeek's API, vLLM, SGLang, Ollama and llama.cpp's server at their default ports.
const QList<EndpointPreset>& endpointPresets();

} // namespace latent::app::remote
