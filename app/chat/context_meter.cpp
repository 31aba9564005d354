#include "app/chat/context_meter.h"

#include "app/chat/answer_stats.h"
#include "app/chat/model_manager.h"

namespace latent::app {

ContextMeter::ContextMeter(ModelManager& models, QObject* parent) : QObject(parent), models_(models)
{
    connect(models_.worker(), &EngineWorker::tokensCounted, this, &ContextMeter::onTokensCounted);
    connect(&models_, &ModelManager::settingsChanged, this, &ContextMeter::changed); // maxTokens
}

bool ContextMeter::nearlyFull() const
{
    if (size_ <= 0)
        return false;
    const int answer = models_.maxTokens() > 0 ? models_.maxTokens() : size_ / 8;
    return qint64(used_) + answer > size_;
}

void ContextMeter::count(const QList<ChatTurn>& turns)
{
    if (models_.state() != ModelManager::State::Ready || turns.isEmpty()) {
        clear();
        return;
    }
    countRequestId_ = models_.worker()->countTokens(turns);
}

void ContextMeter::clear()
{
    countRequestId_ = 0;
    used_ = 0;
    emit changed();
}

void ContextMeter::setStats(const AnswerStats& stats)
{
    tokensPerSecond_ = stats.tokensPerSecond;
    used_ = stats.contextUsed;
    size_ = stats.contextSize;
    emit changed();
}

void ContextMeter::modelChanged()
{
    size_ = models_.modelFacts().value(QStringLiteral("contextSize")).toInt();
    tokensPerSecond_ = 0;
    emit changed();
}

void ContextMeter::onTokensCounted(qint64 requestId, int tokens, int contextSize)
{
    if (requestId != countRequestId_ || answering_)
        return;
    used_ = tokens;
    size_ = contextSize;
    emit changed();
}

} // namespace latent::app
