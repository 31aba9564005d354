#pragma once

#include <QString>
#include <QVariantMap>

namespace latent {
class Backend;
}
namespace latent::gguf {
class GgufFile;
}

namespace latent::app {

// What the app shows about a model file, read from its metadata and tensor table without loading
// the weights: path, fileName, architecture, name, parameters (qint64), parametersText ("6.7B"),
// quantization ("Q4_K_M"), contextLength, fileSize (bytes), fileSizeText ("3.8 GB"), chatFormat
// (how the chat format was chosen, or why none fits) and chatFormatName. The engine worker adds
// backend and contextSize once the model is loaded.
QVariantMap modelFileFacts(const gguf::GgufFile& file, const QString& path);

// Where a loaded model runs: backend (the engine's description, "cpu (2 threads, avx512 kernels)")
// and, on the CPU, cpuThreads and cpuKernels ("avx512"), from which the UI words the description
// in its own language.
QVariantMap backendFacts(const Backend& backend);

// "6.7B", "1.3B", "125M": how model cards write parameter counts.
QString parametersText(qint64 parameters);
// "3.8 GB" (decimal units, as disks and downloads are sized).
QString fileSizeText(qint64 bytes);

} // namespace latent::app
