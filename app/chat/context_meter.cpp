#include "app/chat/context_meter.h"

#include "app/chat/answer_stats.h"
#include "app/chat/model_manager.h"

#include <algorithm>
#include <limits>

namespace latent::app {

ContextMeter::ContextMeter(ModelManager& models, QObject* parent) : QObject(parent), models_(models)
{
    connect(models_.worker(), &EngineWorker::tokensCounted, this, &ContextMeter::onTokensCounted);
    connect(&models_, &ModelManager::settingsChanged, this, &ContextMeter::changed); // maxTokens
}

// The next answer wants the settings' maxTokens, but at most a quarter of the context: a longer
// limit is simply cut by the context, and counting it whole would warn on every conversation,
// from the first message of a new one.
bool ContextMeter::nearlyFull() const
{
    if (size_ <= 0)
        return false;
    const int maxTokens = models_.maxTokens() > 0 ? models_.maxTokens() : std::numeric_limits<int>::max();
    return size_ - used_ < std::min(maxTokens, size_ / 4);
}

QString ContextMeter::warning() const
{
    if (!nearlyFull())
        return {};
    return tr("The context is nearly full (%L1 of %L2 tokens). %3").arg(used_).arg(size_).arg(limit().advice());
}

ContextLimit ContextMeter::limit() const
{
    return ContextLimit::of(models_.modelFacts());
}

void ContextMeter::count(const QList<ChatTurn>& turns)
{
    if (models_.state() != ModelManager::State::Ready || turns.isEmpty()) {
        clear();
        return;
    }
    if (models_.isRemote()) {
        // The local tokenizer is not the server's: its usage figures come with each answer
        // (setStats), and until then the meter shows what it last knew.
        countRequestId_ = 0;
        return;
    }
    countRequestId_ = models_.worker()->countTokens(turns);
}

void ContextMeter::clear()
{
    countRequestId_ = 0;
    used_ = 0;
    promptReading_ = 0;
    emit changed();
}

void ContextMeter::setAnswering(bool answering)
{
    answering_ = answering;
    if (!answering)
        promptReading_ = 0;
}

void ContextMeter::setStats(const AnswerStats& stats)
{
    tokensPerSecond_ = stats.tokensPerSecond;
    promptReading_ = answering_ && stats.generatedTokens == 0 ? stats.promptEvaluated : 0;
    used_ = stats.contextUsed;
    size_ = stats.contextSize;
    emit changed();
}

void ContextMeter::modelChanged()
{
    size_ = models_.modelFacts().value(QStringLiteral("contextSize")).toInt();
    tokensPerSecond_ = 0;
    promptReading_ = 0;
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
