#include "ui/editor/token_estimate.h"

#include "app/chat/model_manager.h"

#include <algorithm>

namespace latent::ui {

int estimatedTokens(const QString& text)
{
    return int(text.toUtf8().size() / 3) + 1;
}

int promptBudget(const app::ModelManager& models)
{
    constexpr int kDefaultContext = 4096;
    constexpr int kChatFormat = 64;
    const int context = models.modelFacts().value(QStringLiteral("contextSize"), kDefaultContext).toInt();
    const int answer = models.maxTokens() < 0 ? context / 2 : std::min(models.maxTokens(), context / 2);
    return std::max(0, context - answer - kChatFormat);
}

} // namespace latent::ui
