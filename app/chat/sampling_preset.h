#pragma once

#include <QList>
#include <QString>

namespace latent::app {

// How answers are sampled: what a preset holds. The engine's SamplerParams, in the settings'
// units and names.
struct SamplingSettings {
    double temperature = 0.7;
    int topK = 40;
    double topP = 0.95;
    double minP = 0.05;
    double repeatPenalty = 1.0;

    bool operator==(const SamplingSettings&) const = default;

    // The JSON text a preset is stored as in the ChatStore.
    QString toJson() const;
    // Keys missing from json keep base's values; *ok says whether json was a JSON object at all.
    static SamplingSettings fromJson(const QString& json, const SamplingSettings& base, bool* ok = nullptr);
};

struct SamplingPreset {
    QString name;
    SamplingSettings settings;
};

// The presets every installation has, which cannot be deleted or overwritten; the first is the
// default.
const QList<SamplingPreset>& builtInPresets();

} // namespace latent::app
