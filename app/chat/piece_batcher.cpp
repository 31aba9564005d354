#include "app/chat/piece_batcher.h"

namespace latent::app {

PieceBatcher::PieceBatcher(const Session& session, int64_t promptTokens, qint64 intervalMs, Send send)
    : session_(session), promptTokens_(promptTokens), intervalMs_(intervalMs), send_(std::move(send))
{
}

void PieceBatcher::add(std::string_view piece)
{
    if (!sinceFirstPiece_.isValid()) {
        sinceFirstPiece_.start();
        generatedAtFirstPiece_ = stats().generatedTokens;
    }
    pending_ += piece;
    if (!sinceSent_.isValid() || sinceSent_.elapsed() >= intervalMs_)
        flush();
}

void PieceBatcher::flush()
{
    if (pending_.empty())
        return;
    send_(QString::fromStdString(pending_), stats());
    pending_.clear();
    sinceSent_.start();
}

AnswerStats PieceBatcher::stats() const
{
    AnswerStats stats;
    stats.promptTokens = int(promptTokens_);
    // The token being decoded has been sampled but not evaluated yet: one past the session's.
    stats.generatedTokens = int(session_.position() + 1 - promptTokens_);
    stats.contextUsed = int(session_.position() + 1);
    stats.contextSize = int(session_.capacity());
    const double seconds = sinceFirstPiece_.isValid() ? double(sinceFirstPiece_.nsecsElapsed()) / 1e9 : 0;
    if (seconds > 0)
        stats.tokensPerSecond = double(stats.generatedTokens - generatedAtFirstPiece_) / seconds;
    return stats;
}

} // namespace latent::app
