#include "app/server/sse.h"

namespace latent::server {

std::string sseEvent(const nlohmann::json& data)
{
    // dump() escapes newlines inside strings, so the event stays on one line. Invalid UTF-8 (which
    // the engine never makes) is replaced rather than thrown on.
    return "data: " + data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n\n";
}

std::string sseDone()
{
    return "data: [DONE]\n\n";
}

} // namespace latent::server
