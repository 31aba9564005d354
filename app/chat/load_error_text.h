#pragma once

#include "engine/core/error.h"

#include <QString>

namespace latent::app {

// What the user reads when a model file fails to load, in the UI's language: a sentence for the
// kind of failure (the file cannot be read, is not GGUF, is damaged, runs an architecture or a
// weight type this version cannot, needs more memory) that says what to do, and under it the
// engine's own English text, which names the exact field or tensor. An error of no known kind
// gets a general sentence above the engine's text.
QString loadErrorText(const Error& error, const QString& path);

} // namespace latent::app
