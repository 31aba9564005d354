#include "app/chat/context_limit.h"

namespace latent::app {

ContextLimit ContextLimit::of(const QVariantMap& modelFacts)
{
    return {modelFacts.value(QStringLiteral("contextSize")).toInt(),
            modelFacts.value(QStringLiteral("contextLength")).toInt()};
}

QString ContextLimit::advice() const
{
    if (settingBinds())
        return tr("Start a new conversation, or raise the context size in Settings (this model takes up to %L1 "
                  "tokens) and load the model again.")
            .arg(trained);
    return tr("Start a new conversation: %L1 tokens is this model's own limit, so a larger context size in Settings "
              "would not help.")
        .arg(size);
}

} // namespace latent::app
