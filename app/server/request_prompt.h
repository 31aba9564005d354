#pragma once

#include "app/server/completion_request.h"
#include "app/server/served_model.h"

#include <cstdint>
#include <vector>

namespace latent::server {

// The prompt tokens of a request: a chat rendered in the model's chat format, a plain
// completion's text, or a fill-in-the-middle prompt (a completion with a suffix, /infill). Throws
// ApiError (400) for a model without fill-in-the-middle tokens, and for a prompt that leaves no
// room in the context ("context_length_exceeded", naming both sizes).
std::vector<int32_t> requestPrompt(const CompletionRequest& request, const ServedModel& model);

} // namespace latent::server
