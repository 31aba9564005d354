#include "app/chat/model_facts.h"

#include "engine/backend/cpu/cpu_backend.h"
#include "engine/chat/chat_template.h"
#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"
#include "engine/quant/quant_mix.h"

#include <QFileInfo>
#include <QLocale>

#include <algorithm>
#include <map>

namespace latent::app {
namespace {

// The quantization mix the file says it was made with (general.file_type, llama.cpp's codes),
// else the type that holds most of its matrices' bytes.
QString quantizationName(const gguf::GgufFile& file)
{
    if (const auto code = file.metadata().getIntegerOptional<uint32_t>("general.file_type")) {
        for (const quant::QuantMixInfo& mix : quant::quantMixes()) {
            if (uint32_t(mix.mix) == *code)
                return QString::fromUtf8(mix.name.data(), qsizetype(mix.name.size()));
        }
    }
    std::map<gguf::TensorType, uint64_t> bytesByType;
    for (const gguf::TensorInfo& tensor : file.tensors()) {
        if (tensor.shape.size() >= 2)
            bytesByType[tensor.type] += tensor.byteSize;
    }
    if (bytesByType.empty())
        return {};
    const auto most = std::max_element(bytesByType.begin(), bytesByType.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    const std::string_view name = gguf::tensorTypeName(most->first);
    return QString::fromUtf8(name.data(), qsizetype(name.size()));
}

} // namespace

QString parametersText(qint64 parameters)
{
    const double value = double(parameters);
    const auto scaled = [](double v, const char* unit) {
        return QString::number(v, 'f', v < 10 ? 1 : 0) + QLatin1String(unit);
    };
    if (value >= 1e12)
        return scaled(value / 1e12, "T");
    if (value >= 1e9)
        return scaled(value / 1e9, "B");
    if (value >= 1e6)
        return scaled(value / 1e6, "M");
    if (value >= 1e3)
        return scaled(value / 1e3, "K");
    return QString::number(parameters);
}

QString fileSizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QVariantMap modelFileFacts(const gguf::GgufFile& file, const QString& path)
{
    const gguf::Metadata& meta = file.metadata();
    const std::string architecture = meta.getOptional<std::string>("general.architecture").value_or("");
    const qint64 parameters = qint64(file.parameterCount());
    const qint64 size = qint64(file.fileSize());
    QVariantMap facts{
        {QStringLiteral("path"), path},
        {QStringLiteral("fileName"), QFileInfo(path).fileName()},
        {QStringLiteral("architecture"), QString::fromStdString(architecture)},
        {QStringLiteral("name"), QString::fromStdString(meta.getOptional<std::string>("general.name").value_or(""))},
        {QStringLiteral("parameters"), parameters},
        {QStringLiteral("parametersText"), parametersText(parameters)},
        {QStringLiteral("quantization"), quantizationName(file)},
        {QStringLiteral("contextLength"),
         qint64(meta.getIntegerOptional<int64_t>(architecture + ".context_length").value_or(0))},
        {QStringLiteral("fileSize"), size},
        {QStringLiteral("fileSizeText"), fileSizeText(size)},
    };
    try {
        const chat::ChatFormatChoice choice = chat::chooseChatFormat(meta, std::nullopt);
        const std::string_view name = chat::chatFormatName(choice.format);
        facts[QStringLiteral("chatFormat")] = QString::fromStdString(choice.reason);
        facts[QStringLiteral("chatFormatName")] = QString::fromUtf8(name.data(), qsizetype(name.size()));
    } catch (const Error& error) {
        facts[QStringLiteral("chatFormat")] = QString::fromUtf8(error.what());
    }
    return facts;
}

QVariantMap backendFacts(const Backend& backend)
{
    QVariantMap facts{{QStringLiteral("backend"), QString::fromStdString(backend.name())}};
    if (const auto* cpu = dynamic_cast<const cpu::CpuBackend*>(&backend)) {
        facts[QStringLiteral("cpuThreads")] = qint64(cpu->threads());
        const std::string_view kernels = cpu->kernels().name;
        facts[QStringLiteral("cpuKernels")] = QString::fromUtf8(kernels.data(), qsizetype(kernels.size()));
    }
    return facts;
}

} // namespace latent::app
