#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace latent::server {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080; // 0: a free port, chosen at start
    std::string apiKey{}; // empty: none asked (only allowed on a loopback host)
    std::vector<std::string> corsOrigins{}; // empty: no CORS headers at all
    int parallel = 4;    // requests generated at once, each in its own session
    int queue = 16;      // requests waiting beyond those; more get 503
    size_t maxBody = 1 << 20;  // request body bytes
    int64_t maxTokensLimit = 0; // the most tokens one answer may ask for (0: the context length)
};

// True for 127.0.0.1, ::1 and localhost: the addresses only this machine reaches.
bool isLoopbackHost(const std::string& host);

// Throws Error naming the option when the options are unsafe or impossible (another address
// without a key, a parallel or queue below its minimum).
void checkServerOptions(const ServerOptions& options);

} // namespace latent::server
