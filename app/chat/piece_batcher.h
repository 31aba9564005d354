#pragma once

#include "app/chat/answer_stats.h"
#include "engine/session/session.h"

#include <QElapsedTimer>
#include <QString>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace latent::app {

// Gathers the pieces of an answer as the engine streams them and sends them on with the answer's
// stats: the first at once (the user sees the answer begin), then at most every intervalMs, so
// that the UI thread gets a few dozen signals a second however fast the model writes.
class PieceBatcher {
public:
    using Send = std::function<void(const QString& text, const AnswerStats& stats)>;

    PieceBatcher(const Session& session, int64_t promptTokens, qint64 intervalMs, Send send);

    void add(std::string_view piece);
    void flush(); // sends what is left

private:
    AnswerStats stats() const;

    const Session& session_;
    int64_t promptTokens_;
    qint64 intervalMs_;
    Send send_;
    std::string pending_;
    QElapsedTimer sinceSent_;       // invalid until the first send
    QElapsedTimer sinceFirstPiece_;
    int64_t generatedAtFirstPiece_ = 0;
};

} // namespace latent::app
