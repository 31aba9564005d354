// What the server takes from a request body: every field of the chat, completion and infill
// requests, and for each wrong one a 400 that names the field.

#include "app/server/api_error.h"
#include "app/server/completion_request.h"

#include <QTest>

#include <functional>

using namespace latent;
using namespace latent::server;
using nlohmann::json;

namespace {

const RequestLimits kLimits{100};

json chatBody(json extra = json::object())
{
    json body = {{"model", "m"}, {"messages", json::array({{{"role", "user"}, {"content", "hi"}}})}};
    body.update(extra);
    return body;
}

// The 400 a parse throws (status 0 and an empty message when it throws none).
ApiError errorOf(const std::function<void()>& parse)
{
    try {
        parse();
    } catch (const ApiError& error) {
        return error;
    }
    return ApiError(0, "", "");
}

} // namespace

class ServerRequestsTest : public QObject {
    Q_OBJECT

private slots:
    void chatFieldsAreRead()
    {
        const json body = chatBody({{"stream", true},
                                    {"stream_options", {{"include_usage", true}}},
                                    {"stop", json::array({"a", "bc"})},
                                    {"max_tokens", 12},
                                    {"temperature", 0},
                                    {"top_p", 0.5},
                                    {"seed", 7},
                                    {"frequency_penalty", 0.5},
                                    {"presence_penalty", -1},
                                    {"n", 1},
                                    {"logit_bias", json::object()}}); // unknown fields are ignored
        const CompletionRequest request = parseChatRequest(body, kLimits);
        QCOMPARE(request.endpoint, Endpoint::ChatCompletions);
        QCOMPARE(request.messages.size(), size_t(1));
        QCOMPARE(request.messages[0].role, std::string("user"));
        QVERIFY(request.stream && request.includeUsage);
        QCOMPARE(request.generation.stopStrings, (std::vector<std::string>{"a", "bc"}));
        QCOMPARE(request.generation.maxTokens, 12);
        QCOMPARE(request.generation.sampling.temperature, 0.0f);
        QCOMPARE(request.generation.sampling.topP, 0.5f);
        QCOMPARE(request.generation.sampling.seed, uint64_t(7));
        QCOMPARE(request.generation.sampling.frequencyPenalty, 0.5f);
        QCOMPARE(request.generation.sampling.presencePenalty, -1.0f);
    }

    void defaultsFollowOpenAi()
    {
        const CompletionRequest request = parseChatRequest(chatBody(), kLimits);
        QVERIFY(!request.stream && !request.includeUsage && !request.maxTokensGiven);
        QCOMPARE(request.generation.maxTokens, 100); // until the limit (or the context's end)
        QCOMPARE(request.generation.sampling.temperature, 1.0f);
        QCOMPARE(request.generation.sampling.topP, 1.0f);
        QCOMPARE(request.generation.sampling.topK, 0);
        QVERIFY(request.generation.stopStrings.empty());
        QCOMPARE(parseChatRequest(chatBody({{"stop", "x"}}), kLimits).generation.stopStrings,
                 std::vector<std::string>{"x"});
        QCOMPARE(parseChatRequest(chatBody({{"max_completion_tokens", 5}}), kLimits).generation.maxTokens, 5);
    }

    void contentPartsAndRoles()
    {
        const json messages = json::array(
            {{{"role", "developer"}, {"content", "be brief"}},
             {{"role", "user"}, {"content", json::array({{{"type", "text"}, {"text", "a"}}, {{"type", "text"}, {"text", "b"}}})}},
             {{"role", "assistant"}, {"content", nullptr}}});
        const CompletionRequest request = parseChatRequest({{"messages", messages}}, kLimits);
        QCOMPARE(request.messages[0].role, std::string("system"));
        QCOMPARE(request.messages[1].content, std::string("ab"));
        QCOMPARE(request.messages[2].content, std::string());
    }

    void eachWrongFieldIsNamed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("says");
        const auto row = [](const char* name, const json& body, const char* param, const char* says) {
            QTest::newRow(name) << QByteArray::fromStdString(body.dump()) << QString::fromUtf8(param) << QString::fromUtf8(says);
        };
        row("no messages", json{{"model", "m"}}, "messages", "non-empty array");
        row("empty messages", json{{"messages", json::array()}}, "messages", "non-empty array");
        row("message not object", json{{"messages", json::array({"hi"})}}, "messages[0]", "object");
        row("bad role", chatBody({{"messages", json::array({{{"role", "robot"}, {"content", "x"}}})}}), "messages[0].role",
            "\"robot\"");
        row("image part", chatBody({{"messages", json::array({{{"role", "user"}, {"content", json::array({{{"type", "image_url"}}})}}})}}),
            "messages[0].content[0]", "text only");
        row("content number", chatBody({{"messages", json::array({{{"role", "user"}, {"content", 3}}})}}),
            "messages[0].content", "string or an array");
        row("max_tokens text", chatBody({{"max_tokens", "x"}}), "max_tokens", "whole number");
        row("max_tokens negative", chatBody({{"max_tokens", -3}}), "max_tokens", "whole number");
        row("max_tokens above limit", chatBody({{"max_tokens", 101}}), "max_tokens", "limit of 100");
        row("max_completion_tokens above limit", chatBody({{"max_completion_tokens", 1000}}), "max_completion_tokens",
            "--max-tokens-limit");
        row("temperature text", chatBody({{"temperature", "hot"}}), "temperature", "number from 0 to 2");
        row("temperature high", chatBody({{"temperature", 3}}), "temperature", "is 3");
        row("top_p high", chatBody({{"top_p", 1.5}}), "top_p", "from 0 to 1");
        row("frequency_penalty", chatBody({{"frequency_penalty", -5}}), "frequency_penalty", "from -2 to 2");
        row("presence_penalty", chatBody({{"presence_penalty", true}}), "presence_penalty", "number");
        row("seed negative", chatBody({{"seed", -1}}), "seed", "from 0");
        row("seed fraction", chatBody({{"seed", 1.5}}), "seed", "whole number");
        row("n two", chatBody({{"n", 2}}), "n", "one choice");
        row("stream text", chatBody({{"stream", "yes"}}), "stream", "true or false");
        row("stop number", chatBody({{"stop", 5}}), "stop", "up to 4 strings");
        row("five stops", chatBody({{"stop", json::array({"a", "b", "c", "d", "e"})}}), "stop", "up to 4 strings");
        row("stop array with number", chatBody({{"stop", json::array({"a", 1})}}), "stop", "up to 4 strings");
        row("stream_options", chatBody({{"stream_options", true}}), "stream_options", "include_usage");
    }

    void eachWrongFieldIsNamed()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, param);
        QFETCH(QString, says);
        const ApiError error = errorOf([&] { parseChatRequest(parseBody(body.toStdString()), kLimits); });
        QCOMPARE(error.status, 400);
        QCOMPARE(QString::fromStdString(error.type), QStringLiteral("invalid_request_error"));
        QCOMPARE(QString::fromStdString(error.param), param);
        QVERIFY2(QString::fromUtf8(error.what()).contains(says), error.what());
        // The body clients read: OpenAI's error shape.
        const json shape = error.body();
        QCOMPARE(QString::fromStdString(shape["error"]["param"].get<std::string>()), param);
        QVERIFY(shape["error"].contains("message") && shape["error"].contains("code"));
    }

    void bodiesThatAreNotObjects()
    {
        for (const char* body : {"{bad", "", "[1,2]", "\"text\"", "null"}) {
            const ApiError error = errorOf([&] { parseBody(body); });
            QCOMPARE(error.status, 400);
            QVERIFY2(QString::fromUtf8(error.what()).contains("JSON"), error.what());
        }
    }

    void completionRequest()
    {
        CompletionRequest request =
            parseCompletionRequest({{"prompt", "def f("}, {"suffix", "return x"}, {"max_tokens", 3}}, kLimits);
        QCOMPARE(request.endpoint, Endpoint::Completions);
        QCOMPARE(request.prompt, std::string("def f("));
        QCOMPARE(request.suffix.value_or(""), std::string("return x"));
        QCOMPARE(request.generation.maxTokens, 3);
        QCOMPARE(parseCompletionRequest({{"prompt", json::array({"one"})}}, kLimits).prompt, std::string("one"));
        QVERIFY(!parseCompletionRequest({{"prompt", "p"}}, kLimits).suffix);

        for (const json& body : {json{{"max_tokens", 3}}, json{{"prompt", 3}}, json{{"prompt", json::array({"a", "b"})}}}) {
            const ApiError error = errorOf([&] { parseCompletionRequest(body, kLimits); });
            QCOMPARE(error.status, 400);
            QCOMPARE(error.param, std::string("prompt"));
        }
        QCOMPARE(errorOf([] { parseCompletionRequest({{"prompt", "p"}, {"suffix", 1}}, kLimits); }).param,
                 std::string("suffix"));
    }

    void infillRequestInLlamaCppsShape()
    {
        const json body = {{"input_prefix", "def f(x):\n"},
                           {"input_suffix", "\n    return y\n"},
                           {"prompt", "    y = "},
                           {"input_extra", json::array({{{"filename", "util.py"}, {"text", "def g(): pass\n"}}})},
                           {"n_predict", 16},
                           {"stream", true},
                           {"top_k", 5},
                           {"cache_prompt", true}, // llama.vim's, ignored
                           {"t_max_prompt_ms", 500}};
        const CompletionRequest request = parseInfillRequest(body, kLimits);
        QCOMPARE(request.endpoint, Endpoint::Infill);
        QCOMPARE(request.prefix, std::string("def f(x):\n"));
        QCOMPARE(request.suffix.value_or(""), std::string("\n    return y\n"));
        QCOMPARE(request.prompt, std::string("    y = "));
        QCOMPARE(request.extraFiles.size(), size_t(1));
        QCOMPARE(request.extraFiles[0].filename, std::string("util.py"));
        QCOMPARE(request.generation.maxTokens, 16);
        QCOMPARE(request.generation.sampling.topK, 5);
        QVERIFY(request.stream);
        // llama.cpp's defaults, and n_predict -1: as many as the limit allows.
        const CompletionRequest plain = parseInfillRequest({{"input_prefix", "a"}, {"n_predict", -1}}, kLimits);
        QCOMPARE(plain.generation.maxTokens, 100);
        QCOMPARE(plain.generation.sampling.topK, 40);

        QCOMPARE(errorOf([] { parseInfillRequest({{"input_extra", "x"}}, kLimits); }).param, std::string("input_extra"));
        QCOMPARE(errorOf([] { parseInfillRequest({{"input_extra", json::array({{{"text", 1}}})}}, kLimits); }).param,
                 std::string("input_extra[0]"));
        QCOMPARE(errorOf([] { parseInfillRequest({{"input_prefix", 1}}, kLimits); }).param, std::string("input_prefix"));
        QCOMPARE(errorOf([] { parseInfillRequest({{"n_predict", 500}}, kLimits); }).param, std::string("n_predict"));
    }
};

QTEST_GUILESS_MAIN(ServerRequestsTest)
#include "test_server_requests.moc"
