#pragma once

#include <QString>

namespace latent::app {
class ModelManager;
}

namespace latent::ui {

// The tokens a text takes, estimated on the UI thread without the model's tokenizer (which
// lives on the engine's thread): a byte-level BPE token holds about 3.5 to 4 bytes of English or
// code and 2 to 3 of Chinese, so a token per 3 bytes of UTF-8 errs on the side of sending less.
int estimatedTokens(const QString& text);

// The tokens a coding action's message may take: the loaded model's context (or 4,096 before
// one is loaded), less room for the answer (its maximum, at most half of the context) and for
// the chat format around the message.
int promptBudget(const app::ModelManager& models);

} // namespace latent::ui
