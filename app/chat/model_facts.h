#pragma once

#include <QString>
#include <QVariantMap>

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

// "6.7B", "1.3B", "125M": how model cards write parameter counts.
QString parametersText(qint64 parameters);
// "3.8 GB" (decimal units, as disks and downloads are sized).
QString fileSizeText(qint64 bytes);

} // namespace latent::app
