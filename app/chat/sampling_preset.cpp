#include "app/chat/sampling_preset.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace latent::app {

QString SamplingSettings::toJson() const
{
    const QJsonObject object{
        {QStringLiteral("temperature"), temperature}, {QStringLiteral("topK"), topK},
        {QStringLiteral("topP"), topP},               {QStringLiteral("minP"), minP},
        {QStringLiteral("repeatPenalty"), repeatPenalty},
    };
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

SamplingSettings SamplingSettings::fromJson(const QString& json, const SamplingSettings& base, bool* ok)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (ok)
        *ok = document.isObject();
    if (!document.isObject())
        return base;
    const QJsonObject object = document.object();
    SamplingSettings settings;
    settings.temperature = object.value(QStringLiteral("temperature")).toDouble(base.temperature);
    settings.topK = object.value(QStringLiteral("topK")).toInt(base.topK);
    settings.topP = object.value(QStringLiteral("topP")).toDouble(base.topP);
    settings.minP = object.value(QStringLiteral("minP")).toDouble(base.minP);
    settings.repeatPenalty = object.value(QStringLiteral("repeatPenalty")).toDouble(base.repeatPenalty);
    return settings;
}

const QList<SamplingPreset>& builtInPresets()
{
    static const QList<SamplingPreset> presets{
        // The names are the stored keys; the UI shows them translated, in context "SamplingPreset".
        {QStringLiteral(QT_TRANSLATE_NOOP("SamplingPreset", "Balanced")), {0.7, 40, 0.95, 0.05, 1.0}},
        // Code has one right token more often than prose: stay close to the most likely one.
        {QStringLiteral(QT_TRANSLATE_NOOP("SamplingPreset", "Precise (code)")), {0.2, 20, 0.9, 0.1, 1.0}},
        {QStringLiteral(QT_TRANSLATE_NOOP("SamplingPreset", "Creative")), {1.0, 100, 0.98, 0.02, 1.05}},
        {QStringLiteral(QT_TRANSLATE_NOOP("SamplingPreset", "Greedy")), {0.0, 1, 1.0, 0.0, 1.0}},
    };
    return presets;
}

} // namespace latent::app
