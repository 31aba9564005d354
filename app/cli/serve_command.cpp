#include "app/cli/serve_command.h"

#include "app/cli/chat_format_option.h"
#include "app/cli/model_options.h"
#include "app/cli/number_range.h"
#include "app/server/openai_server.h"
#include "engine/core/error.h"
#include "engine/core/utf8_path.h"

#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <pthread.h>

namespace latent::cli {
namespace {

struct ServeOptions {
    EngineOptions engine;
    server::ServerOptions server;
    std::string modelName;
    std::string chatFormat;
};

std::string urlHost(const std::string& host)
{
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// Blocks SIGINT and SIGTERM in this thread and every thread started after, so that the main
// thread alone takes them, with sigwait, and stops the server cleanly.
sigset_t blockStopSignals()
{
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

void serve(ServeOptions& options)
{
    if (options.server.apiKey.empty()) {
        if (const char* key = std::getenv("LATENT_API_KEY"))
            options.server.apiKey = key;
    }
    server::checkServerOptions(options.server); // before the model loads: a refusal comes at once
    const sigset_t stopSignals = blockStopSignals();
    LoadedModel loaded = LoadedModel::open(pathFromUtf8(options.engine.model), options.engine.load);
    printBackend(loaded);
    const chat::ChatFormatChoice format =
        chat::chooseChatFormat(loaded.file->metadata(), chatFormatOverride(options.chatFormat));
    fmt::print(stderr, "{}\n", format.reason);
    const SessionOptions session = sessionOptions(options.engine, *loaded.model);
    const std::string name =
        options.modelName.empty() ? utf8FromPath(pathFromUtf8(options.engine.model).stem()) : options.modelName;

    server::OpenAiServer httpServer(options.server);
    httpServer.setModel(server::ServedModel{name, loaded.model.get(), loaded.tokenizer.get(), format.format,
                                            session.contextLength, session.batchSize, nullptr});
    const int port = httpServer.start();
    fmt::print("listening on http://{}:{}\n", urlHost(options.server.host), port);
    std::fflush(stdout);
    int signal = 0;
    sigwait(&stopSignals, &signal);
    fmt::print(stderr, "stopping ({})\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
    httpServer.stop();
}

} // namespace

void addServeCommand(CLI::App& app)
{
    auto options = std::make_shared<ServeOptions>();
    CLI::App* command = app.add_subcommand("serve", "Serve a model over an OpenAI-compatible HTTP API");
    addEngineOptions(*command, options->engine);
    addChatFormatOption(*command, options->chatFormat);
    server::ServerOptions& s = options->server;
    const double intMax = std::numeric_limits<int>::max();
    command->add_option("--host", s.host, "The address to listen on (another than 127.0.0.1, ::1 or localhost needs --api-key)")
        ->capture_default_str();
    command->add_option("--port", s.port, "The port (0: any free one, printed)")
        ->capture_default_str()
        ->check(numberRange(0, 65535, "a port from 0 (any free one) to 65535"));
    command->add_option("--api-key", s.apiKey, "The key clients send as Authorization: Bearer KEY (default: LATENT_API_KEY)");
    command->add_option("--cors-origin", s.corsOrigins, "A web origin allowed to call the server from a browser (repeatable)");
    command->add_option("--parallel", s.parallel, "Requests generated at once, each with its own cache")
        ->capture_default_str()
        ->check(numberRange(1, 256, "a count of requests from 1 to 256"));
    command->add_option("--queue", s.queue, "Requests that may wait beyond those; more get 503")
        ->capture_default_str()
        ->check(numberRange(0, 4096, "a count of requests from 0 to 4096"));
    command->add_option("--max-body", s.maxBody, "The largest request body in bytes")
        ->capture_default_str()
        ->check(numberRange(1, double(std::numeric_limits<int32_t>::max()), "a count of bytes from 1"));
    command->add_option("--max-tokens-limit", s.maxTokensLimit, "The most tokens one answer may ask for (default: the context)")
        ->check(numberRange(1, intMax, "a count of tokens from 1"));
    command->add_option("--model-name", options->modelName, "The name clients ask for (default: the file's name without .gguf)");
    command->callback([options] { serve(*options); });
}

} // namespace latent::cli
