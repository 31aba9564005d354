#include "app/server/api_error.h"

namespace latent::server {

nlohmann::json ApiError::body() const
{
    const auto orNull = [](const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); };
    return {{"error", {{"message", what()}, {"type", type}, {"param", orNull(param)}, {"code", orNull(code)}}}};
}

ApiError invalidRequest(const std::string& message, const std::string& param, const std::string& code)
{
    return ApiError(400, "invalid_request_error", message, param, code);
}

} // namespace latent::server
