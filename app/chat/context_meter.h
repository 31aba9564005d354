#pragma once

#include "app/chat/context_limit.h"
#include "app/chat/engine_worker.h"

#include <QList>
#include <QObject>

namespace latent::app {

class ModelManager;
struct AnswerStats;

// How much of the model's context the open conversation takes, and the speed of the answer
// streaming (or of the last one): counted exactly by the loaded model's tokenizer on the worker
// thread (queued behind an answer being written), and updated by each batch of an answer's pieces.
// A remote model's conversation is not counted locally: the server's usage figures say it.
class ContextMeter : public QObject {
    Q_OBJECT

public:
    explicit ContextMeter(ModelManager& models, QObject* parent = nullptr);

    double tokensPerSecond() const { return tokensPerSecond_; }
    int used() const { return used_; }
    // The session's context: the one number the UI shows; 0 for a remote model whose server did
    // not say it (unknown, not invented).
    int size() const { return size_; }
    // The room left would not hold the next answer: the UI warns before the answer stops.
    bool nearlyFull() const;
    // The warning to show when nearlyFull, with what helps (see ContextLimit); empty otherwise.
    QString warning() const;
    // Which limit sets the context of the model loaded, and what helps when it is full.
    ContextLimit limit() const;
    // The prompt tokens the answer starting is reading (those not in the cache), until its first
    // token comes; 0 otherwise.
    int promptReading() const { return promptReading_; }

    // Counts the conversation's turns (none: nothing written yet), once a model is ready.
    void count(const QList<ChatTurn>& turns);
    void clear(); // nothing to count
    // While an answer streams its own figures are the meter's, and counts made before are stale.
    void setAnswering(bool answering);
    void setStats(const AnswerStats& stats);
    void modelChanged(); // the context of the model now loaded (or none), no speed yet

signals:
    void changed();

private:
    void onTokensCounted(qint64 requestId, int tokens, int contextSize);

    ModelManager& models_;
    double tokensPerSecond_ = 0;
    int used_ = 0;
    int size_ = 0;
    int promptReading_ = 0;
    qint64 countRequestId_ = 0;
    bool answering_ = false;
};

} // namespace latent::app
