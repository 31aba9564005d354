#include "app/server/openai_server.h"

#include "app/server/answer_format.h"
#include "app/server/api_error.h"
#include "app/server/completion_request.h"
#include "app/server/generation_job.h"
#include "app/server/generation_scheduler.h"
#include "app/server/request_prompt.h"
#include "app/server/server_stats.h"
#include "app/server/sse.h"
#include "engine/core/error.h"

#include <httplib.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <shared_mutex>
#include <thread>

namespace latent::server {
namespace {

using nlohmann::json;

// How often a stream waiting for its next token looks whether its client is still there.
constexpr std::chrono::milliseconds kStreamPoll{100};
// Threads beyond the requests generated and queued: health checks, /stats, idle keep-alive connections.
constexpr int kSpareThreads = 8;

void writeJson(httplib::Response& response, int status, const json& body)
{
    response.status = status;
    response.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void writeError(httplib::Response& response, const ApiError& error)
{
    writeJson(response, error.status, error.body());
}

// Compares every byte whatever differs, so the time taken does not tell how much of a key matched.
bool sameSecret(const std::string& given, const std::string& expected)
{
    unsigned char difference = given.size() == expected.size() ? 0 : 1;
    for (size_t i = 0; i < expected.size(); ++i)
        difference |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
    return difference == 0;
}

struct Route {
    const char* path;
    const char* method;
};

constexpr Route kRoutes[] = {
    {"/health", "GET"},          {"/v1/models", "GET"},       {"/stats", "GET"},
    {"/v1/chat/completions", "POST"}, {"/v1/completions", "POST"}, {"/infill", "POST"},
};

} // namespace

struct OpenAiServer::Impl {
    explicit Impl(ServerOptions serverOptions) : options(std::move(serverOptions)) {}

    ServerOptions options;
    ServerStats stats;
    httplib::Server http;
    std::thread listener;
    std::atomic<bool> listenerEnded{false};

    // Shared while a request reads the model (its tokenizer, its name); unique to change it.
    mutable std::shared_mutex modelMutex;
    std::optional<ServedModel> model;
    std::unique_ptr<GenerationScheduler> scheduler;

    void routeAll();
    httplib::Server::HandlerResponse beforeRouting(const httplib::Request& request, httplib::Response& response);
    void addCors(const httplib::Request& request, httplib::Response& response) const;
    void handleGeneration(const httplib::Request& request, httplib::Response& response, Endpoint endpoint);
    void handleModels(httplib::Response& response) const;
    void stream(httplib::Response& response, std::shared_ptr<GenerationJob> job, std::shared_ptr<AnswerFormat> format);
    void fillEmptyError(const httplib::Request& request, httplib::Response& response) const;
};

void OpenAiServer::Impl::routeAll()
{
    const auto guarded = [](auto handler) {
        return [handler](const httplib::Request& request, httplib::Response& response) {
            try {
                handler(request, response);
            } catch (const ApiError& error) {
                writeError(response, error);
            } catch (const std::exception& error) {
                writeError(response, ApiError(500, "server_error", fmt::format("the server failed: {}", error.what())));
            }
        };
    };
    http.Get("/health", guarded([](const auto&, auto& response) { writeJson(response, 200, {{"status", "ok"}}); }));
    http.Get("/v1/models", guarded([this](const auto&, auto& response) { handleModels(response); }));
    http.Get("/stats", guarded([this](const auto&, auto& response) { writeJson(response, 200, stats.toJson()); }));
    const auto generation = [&](Endpoint endpoint) {
        return guarded([this, endpoint](const auto& request, auto& response) { handleGeneration(request, response, endpoint); });
    };
    http.Post("/v1/chat/completions", generation(Endpoint::ChatCompletions));
    http.Post("/v1/completions", generation(Endpoint::Completions));
    http.Post("/infill", generation(Endpoint::Infill));

    // A known path asked with another method: 405 with the method it takes.
    for (const Route& route : kRoutes) {
        const auto notAllowed = [route](const httplib::Request& request, httplib::Response& response) {
            response.set_header("Allow", route.method);
            writeError(response, ApiError(405, "invalid_request_error",
                                          fmt::format("{} takes {}, not {}", route.path, route.method, request.method)));
        };
        if (std::string_view(route.method) == "GET")
            http.Post(route.path, notAllowed);
        else
            http.Get(route.path, notAllowed);
        http.Put(route.path, notAllowed);
        http.Patch(route.path, notAllowed);
        http.Delete(route.path, notAllowed);
    }
    // Browsers' CORS preflight: answered for any path; the allowing headers only for listed origins.
    http.Options(".*", [this](const httplib::Request& request, httplib::Response& response) {
        response.status = 204;
        if (response.has_header("Access-Control-Allow-Origin")) {
            response.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            response.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
            response.set_header("Access-Control-Max-Age", "600");
        }
        (void)request;
    });
    http.set_pre_routing_handler(
        [this](const httplib::Request& request, httplib::Response& response) { return beforeRouting(request, response); });
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& request, httplib::Response& response) {
            fillEmptyError(request, response);
            return httplib::Server::HandlerResponse::Handled;
        }));
}

httplib::Server::HandlerResponse OpenAiServer::Impl::beforeRouting(const httplib::Request& request,
                                                                   httplib::Response& response)
{
    addCors(request, response);
    // The key is checked before the body is read. /health stays open, as llama.cpp's, for
    // monitors; a preflight never carries credentials.
    if (options.apiKey.empty() || request.method == "OPTIONS" || request.path == "/health")
        return httplib::Server::HandlerResponse::Unhandled;
    if (!sameSecret(request.get_header_value("Authorization"), "Bearer " + options.apiKey)) {
        const bool missing = !request.has_header("Authorization");
        writeError(response, ApiError(401, "authentication_error",
                                      missing ? "this server needs an API key: send the header Authorization: Bearer KEY"
                                              : "the API key is wrong: send the key the server was started with "
                                                "(--api-key or LATENT_API_KEY) as Authorization: Bearer KEY",
                                      {}, "invalid_api_key"));
        return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
}

void OpenAiServer::Impl::addCors(const httplib::Request& request, httplib::Response& response) const
{
    const std::string origin = request.get_header_value("Origin");
    if (origin.empty())
        return;
    if (std::find(options.corsOrigins.begin(), options.corsOrigins.end(), origin) == options.corsOrigins.end())
        return;
    response.set_header("Access-Control-Allow-Origin", origin);
    response.set_header("Vary", "Origin");
}

void OpenAiServer::Impl::fillEmptyError(const httplib::Request& request, httplib::Response& response) const
{
    if (!response.body.empty() || response.is_chunked_content_provider_)
        return;
    if (response.status == 404) {
        writeError(response, ApiError(404, "invalid_request_error",
                                      fmt::format("no such route: {} {}. This server answers GET /health, GET /v1/models, "
                                                  "GET /stats, POST /v1/chat/completions, POST /v1/completions and POST /infill",
                                                  request.method, request.path),
                                      {}, "not_found"));
    } else if (response.status == 413) {
        writeError(response, ApiError(413, "invalid_request_error",
                                      fmt::format("the request body is larger than this server's limit of {} bytes: "
                                                  "send less (the server's --max-body sets the limit)",
                                                  options.maxBody),
                                      {}, "request_too_large"));
    } else {
        writeError(response, ApiError(response.status, response.status >= 500 ? "server_error" : "invalid_request_error",
                                      fmt::format("the request could not be read (HTTP status {}): send a well-formed "
                                                  "HTTP request with a JSON body",
                                                  response.status)));
    }
}

void OpenAiServer::Impl::handleModels(httplib::Response& response) const
{
    std::shared_lock lock(modelMutex);
    json list = json::array();
    if (model)
        list.push_back({{"id", model->name}, {"object", "model"}, {"created", 0}, {"owned_by", "latent"}});
    writeJson(response, 200, {{"object", "list"}, {"data", list}});
}

void OpenAiServer::Impl::handleGeneration(const httplib::Request& request, httplib::Response& response,
                                          Endpoint endpoint)
{
    ++stats.requestsTotal;
    std::shared_ptr<GenerationJob> job;
    std::shared_ptr<AnswerFormat> format;
    bool streamed = false;
    {
        std::shared_lock lock(modelMutex);
        if (!model)
            throw ApiError(503, "server_error", "no model loaded: load a model in Latent, then send the request again",
                           {}, "model_not_loaded");
        const json body = parseBody(request.body);
        const int64_t limit =
            options.maxTokensLimit > 0 ? std::min(options.maxTokensLimit, model->contextLength) : model->contextLength;
        const RequestLimits limits{limit};
        const CompletionRequest parsed = endpoint == Endpoint::ChatCompletions ? parseChatRequest(body, limits)
                                         : endpoint == Endpoint::Completions   ? parseCompletionRequest(body, limits)
                                                                               : parseInfillRequest(body, limits);
        std::vector<int32_t> prompt = requestPrompt(parsed, *model);
        format = makeAnswerFormat(parsed, {model->name, int64_t(prompt.size()),
                                           endpoint == Endpoint::ChatCompletions &&
                                               model->chatFormat == chat::ChatFormat::DeepSeekR1});
        job = std::make_shared<GenerationJob>(std::move(prompt), parsed.generation);
        streamed = parsed.stream;
        if (!scheduler->submit(job)) {
            ++stats.requestsRejectedBusy;
            response.set_header("Retry-After", "1");
            throw ApiError(503, "server_error",
                           fmt::format("the server is busy: {} requests are being answered and {} are waiting, its most "
                                       "(--parallel, --queue); try again in a moment",
                                       options.parallel, options.queue),
                           {}, "server_busy");
        }
    }
    if (!streamed) {
        const GenerationJob::Update end = job->takeAll();
        if (end.error)
            throw *end.error;
        writeJson(response, 200, format->answer(end));
        return;
    }
    stream(response, std::move(job), std::move(format));
}

void OpenAiServer::Impl::stream(httplib::Response& response, std::shared_ptr<GenerationJob> job,
                                std::shared_ptr<AnswerFormat> format)
{
    response.set_header("Cache-Control", "no-cache");
    response.set_chunked_content_provider(
        "text/event-stream",
        [job, format, started = false](size_t, httplib::DataSink& sink) mutable {
            const auto send = [&](const std::vector<json>& events) {
                for (const json& event : events) {
                    const std::string text = sseEvent(event);
                    if (!sink.write(text.data(), text.size()))
                        return false;
                }
                return true;
            };
            // A client that hung up ends its generation at the next token.
            const auto hungUp = [&] {
                job->cancel();
                return false;
            };
            if (!started) {
                started = true;
                if (!send(format->streamStart()))
                    return hungUp();
            }
            const GenerationJob::Update update = job->take(kStreamPoll);
            if (!send(format->streamText(update.text)))
                return hungUp();
            if (!update.done)
                return sink.is_writable() ? true : hungUp();
            const std::vector<json> end = update.error ? std::vector<json>{update.error->body()} : format->streamEnd(update);
            if (!send(end))
                return hungUp();
            if (format->endsWithDone()) {
                const std::string done = sseDone();
                if (!sink.write(done.data(), done.size()))
                    return hungUp();
            }
            sink.done();
            return true;
        },
        [job](bool success) {
            if (!success)
                job->cancel();
        });
}

OpenAiServer::OpenAiServer(ServerOptions options)
{
    checkServerOptions(options);
    impl_ = std::make_unique<Impl>(std::move(options));
    const size_t threads = size_t(impl_->options.parallel + impl_->options.queue + kSpareThreads);
    impl_->http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    impl_->http.set_payload_max_length(impl_->options.maxBody);
    impl_->routeAll();
}

OpenAiServer::~OpenAiServer()
{
    stop();
}

int OpenAiServer::start()
{
    const ServerOptions& options = impl_->options;
    int port = options.port;
    if (port == 0)
        port = impl_->http.bind_to_any_port(options.host);
    else if (!impl_->http.bind_to_port(options.host, port))
        port = -1;
    if (port < 0)
        throw Error(fmt::format("cannot listen on {}:{}: the port is taken or the address is not this machine's; "
                                "give another --port (0: any free one) or --host",
                                options.host, options.port));
    impl_->listenerEnded = false;
    impl_->listener = std::thread([this] {
        impl_->http.listen_after_bind();
        impl_->listenerEnded = true;
    });
    // httplib's stop() does nothing until its listener runs: a stop() right after start() would
    // leave it listening, and join() waiting for ever. So start() returns once it runs.
    while (!impl_->http.is_running() && !impl_->listenerEnded)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return port;
}

void OpenAiServer::stop()
{
    setModel(std::nullopt); // first, so that streams end and the threads serving them come free
    impl_->http.stop();
    if (impl_->listener.joinable())
        impl_->listener.join();
}

void OpenAiServer::setModel(std::optional<ServedModel> model)
{
    std::unique_lock lock(impl_->modelMutex);
    impl_->scheduler.reset(); // joins its engine thread; its unfinished requests fail with 503
    impl_->model = std::move(model);
    if (impl_->model)
        impl_->scheduler = std::make_unique<GenerationScheduler>(*impl_->model, impl_->options.parallel,
                                                                 impl_->options.queue, impl_->stats);
}

json OpenAiServer::stats() const
{
    return impl_->stats.toJson();
}

} // namespace latent::server
