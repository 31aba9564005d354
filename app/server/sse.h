#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace latent::server {

// Server-sent events as OpenAI's streams use them: one `data: JSON` line per event, a blank line
// after each, and `data: [DONE]` at the end.
std::string sseEvent(const nlohmann::json& data);
std::string sseDone();

} // namespace latent::server
