#include "app/server/server_options.h"

#include "engine/core/error.h"

#include <fmt/format.h>

namespace latent::server {

bool isLoopbackHost(const std::string& host)
{
    return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

void checkServerOptions(const ServerOptions& options)
{
    if (!isLoopbackHost(options.host) && options.apiKey.empty())
        throw Error(fmt::format("--host {} lets other machines reach the server, so it needs an API key: give "
                                "--api-key KEY (or set LATENT_API_KEY), or keep the default --host 127.0.0.1",
                                options.host));
    if (options.parallel < 1)
        throw Error(fmt::format("--parallel is {}: give 1 or more requests generated at once", options.parallel));
    if (options.queue < 0)
        throw Error(fmt::format("--queue is {}: give 0 or more requests that may wait", options.queue));
    if (options.maxBody < 1)
        throw Error("--max-body is 0: give the largest request body in bytes (default 1048576)");
    if (options.maxTokensLimit < 0)
        throw Error(fmt::format("--max-tokens-limit is {}: give 0 (the context length) or a count of tokens",
                                options.maxTokensLimit));
}

} // namespace latent::server
