#pragma once

#include <QString>

namespace latent::app {

// One message of the conversation an answer continues.
struct ChatTurn {
    QString role; // "system", "user" or "assistant"
    QString content;
};

} // namespace latent::app
