#pragma once

#include <QMetaType>

namespace latent::app {

// Where an answer stands: sent with every batch of its pieces and at its end.
struct AnswerStats {
    double tokensPerSecond = 0; // of the answer's tokens (0 until two have been made)
    int promptTokens = 0;       // the conversation the answer continues
    int promptEvaluated = 0;    // of those, evaluated for this answer (the rest were in the cache)
    int generatedTokens = 0;
    int contextUsed = 0;        // prompt and answer so far
    int contextSize = 0;        // the session's capacity
};

} // namespace latent::app

Q_DECLARE_METATYPE(latent::app::AnswerStats)
