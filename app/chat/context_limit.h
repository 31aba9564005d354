#pragma once

#include <QCoreApplication>
#include <QString>
#include <QVariantMap>

namespace latent::app {

// The context a loaded model runs with is the smaller of two limits: the context size in Settings
// (applied at load) and the model's own, the length it was trained for. What helps a conversation
// that outgrows it depends on which one binds: a larger setting helps only while the setting is
// the smaller; past the model's own, only a shorter conversation does.
struct ContextLimit {
    Q_DECLARE_TR_FUNCTIONS(latent::app::ContextLimit)

public:
    int size = 0;    // tokens the session holds: the smaller limit
    int trained = 0; // the model's own limit (0: the file does not say)

    // From ModelManager's facts of the model loaded (contextSize, contextLength).
    static ContextLimit of(const QVariantMap& modelFacts);

    bool settingBinds() const { return size < trained; }
    // What the user can do when a conversation no longer leaves room for an answer: one sentence
    // or two, naming the limit that binds.
    QString advice() const;
};

} // namespace latent::app
