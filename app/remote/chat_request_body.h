#pragma once

#include "app/chat/chat_turn.h"
#include "engine/session/generation.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace latent::app::remote {

// The JSON of a streamed chat completion: the conversation (earlier answers without their
// thinking, as DeepSeek's API asks and R1's own format does), the sampling settings OpenAI's API
// has (temperature, top_p, seed, frequency and presence penalties, max_tokens, stop), and
// stream_options.include_usage, so that the last chunk says how many tokens the answer took.
// top_k, min_p and the repetition penalty have no place in that API and are left out.
QByteArray chatRequestBody(const QString& model, const QList<ChatTurn>& turns, const GenerationOptions& options);

} // namespace latent::app::remote
