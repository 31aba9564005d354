// `latent-cli serve` as a user starts it, answering raw HTTP (httplib's client): health, the model
// list, a chat completion whole and streamed, and the errors: no key or a wrong one (401), a body
// too large (413), an unknown route (404), a wrong method (405), a prompt beyond the context; CORS
// for listed origins only; a refusal to listen on another address without a key; a clean stop on
// SIGTERM.

#include "engine/gguf/tensor_type.h"
#include "engine/model/test_model.h"
#include "tests/server/serve_process.h"
#include "tests/support/built_program.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace latent;
using latent::test::ServeProcess;
using nlohmann::json;

// JSON compared as its text: QCOMPARE cannot print a json, which converts to anything.
static QString dumped(const json& value)
{
    return QString::fromStdString(value.dump());
}

namespace {

std::unique_ptr<httplib::Client> clientOf(const ServeProcess& server)
{
    const QUrl url(server.url());
    auto client = std::make_unique<httplib::Client>(url.host().toStdString(), url.port());
    client->set_read_timeout(60, 0);
    return client;
}

json bodyOf(const httplib::Result& result)
{
    return result ? json::parse(result->body, nullptr, false) : json();
}

const std::string kChat =
    json{{"messages", json::array({{{"role", "user"}, {"content", "Write a loop"}}})}, {"max_tokens", 6}, {"temperature", 0}}
        .dump();

} // namespace

class ServeCommandTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString model_;

private slots:
    void initTestCase()
    {
        model_ = dir_.filePath(QStringLiteral("tiny-coder.gguf"));
        writeTestModel({"llama", "tiny-coder", gguf::TensorType::Q8_0, 1}, model_.toStdString());
    }

    void answersAndRefusesOverHttp()
    {
        ServeProcess server({QStringLiteral("-m"), model_, QStringLiteral("--backend"), QStringLiteral("cpu"),
                             QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--ctx"), QStringLiteral("512"),
                             QStringLiteral("--max-body"), QStringLiteral("8192")});
        QVERIFY2(!server.url().isEmpty(), qPrintable(server.error()));
        QVERIFY(server.url().startsWith(QStringLiteral("http://127.0.0.1:")));
        const auto client = clientOf(server);

        QCOMPARE(dumped(bodyOf(client->Get("/health"))), dumped(json({{"status", "ok"}})));
        const json models = bodyOf(client->Get("/v1/models"));
        QCOMPARE(dumped(models["object"]), dumped(json("list")));
        QCOMPARE(dumped(models["data"][0]["id"]), dumped(json("tiny-coder"))); // the file's name without .gguf

        const httplib::Result answer = client->Post("/v1/chat/completions", kChat, "application/json");
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);
        const json chat = json::parse(answer->body);
        QCOMPARE(dumped(chat["object"]), dumped(json("chat.completion")));
        QCOMPARE(dumped(chat["choices"][0]["message"]["role"]), dumped(json("assistant")));
        QCOMPARE(dumped(chat["choices"][0]["finish_reason"]), dumped(json("length")));
        QCOMPARE(dumped(chat["usage"]["completion_tokens"]), dumped(json(6)));

        // Streamed: the same text in chunks, role first, usage last, then [DONE].
        json streamedBody = json::parse(kChat);
        streamedBody["stream"] = true;
        const httplib::Result stream = client->Post("/v1/chat/completions", streamedBody.dump(), "application/json");
        QVERIFY(stream);
        QCOMPARE(stream->status, 200);
        QCOMPARE(QString::fromStdString(stream->get_header_value("Content-Type")), QStringLiteral("text/event-stream"));
        QVERIFY(QByteArray::fromStdString(stream->body).endsWith("data: [DONE]\n\n"));
        std::string text;
        std::vector<json> chunks;
        for (const QByteArray& line : QByteArray::fromStdString(stream->body).split('\n')) {
            if (line.startsWith("data: {"))
                chunks.push_back(json::parse(line.mid(6).toStdString()));
        }
        QVERIFY(chunks.size() >= 2);
        QCOMPARE(dumped(chunks.front()["choices"][0]["delta"]["role"]), dumped(json("assistant")));
        for (const json& chunk : chunks)
            text += chunk["choices"][0]["delta"].value("content", "");
        QCOMPARE(text, chat["choices"][0]["message"]["content"].get<std::string>()); // greedy: the same
        QCOMPARE(dumped(chunks.back()["usage"]["completion_tokens"]), dumped(json(6)));

        const httplib::Result large = client->Post("/v1/chat/completions", std::string(9000, ' '), "application/json");
        QVERIFY(large);
        QCOMPARE(large->status, 413);
        QVERIFY(bodyOf(large)["error"]["message"].get<std::string>().find("--max-body") != std::string::npos);

        const httplib::Result unknown = client->Get("/v1/engines");
        QCOMPARE(unknown->status, 404);
        QCOMPARE(dumped(bodyOf(unknown)["error"]["code"]), dumped(json("not_found")));
        const httplib::Result wrongMethod = client->Get("/v1/chat/completions");
        QCOMPARE(wrongMethod->status, 405);
        QCOMPARE(QString::fromStdString(wrongMethod->get_header_value("Allow")), QStringLiteral("POST"));

        std::string words;
        for (int i = 0; i < 600; ++i)
            words += "word" + std::to_string(i) + " ";
        const json tooLong = {{"prompt", words}};
        const httplib::Result beyond = client->Post("/v1/completions", tooLong.dump(), "application/json");
        QCOMPARE(beyond->status, 400);
        QCOMPARE(dumped(bodyOf(beyond)["error"]["code"]), dumped(json("context_length_exceeded")));
        QVERIFY(bodyOf(beyond)["error"]["message"].get<std::string>().find("512") != std::string::npos);

        const httplib::Result badJson = client->Post("/v1/chat/completions", "{\"messages\": [", "application/json");
        QCOMPARE(badJson->status, 400);
        QCOMPARE(dumped(bodyOf(badJson)["error"]["type"]), dumped(json("invalid_request_error")));

        // Every generation request that reached its handler; the 413 was refused before.
        QCOMPARE(dumped(bodyOf(client->Get("/stats"))["requests_total"]), dumped(json(4)));
        QCOMPARE(server.stop(), 0); // SIGTERM: a clean stop
    }

    void aKeyIsCheckedWhenSet()
    {
        ServeProcess server({QStringLiteral("-m"), model_, QStringLiteral("--backend"), QStringLiteral("cpu"),
                             QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--api-key"),
                             QStringLiteral("s3cret"), QStringLiteral("--cors-origin"), QStringLiteral("http://app.example")});
        QVERIFY2(!server.url().isEmpty(), qPrintable(server.error()));
        const auto client = clientOf(server);
        QCOMPARE(client->Get("/health")->status, 200); // open to monitors
        const httplib::Result missing = client->Post("/v1/chat/completions", kChat, "application/json");
        QCOMPARE(missing->status, 401);
        QCOMPARE(dumped(bodyOf(missing)["error"]["code"]), dumped(json("invalid_api_key")));
        client->set_bearer_token_auth("wrong");
        QCOMPARE(client->Get("/v1/models")->status, 401);
        client->set_bearer_token_auth("s3cret");
        QCOMPARE(client->Get("/v1/models")->status, 200);
        QCOMPARE(client->Post("/v1/chat/completions", kChat, "application/json")->status, 200);

        // CORS: the listed origin is allowed, with a preflight that needs no key; any other gets no header.
        const httplib::Headers listed = {{"Origin", "http://app.example"}, {"Access-Control-Request-Method", "POST"}};
        const httplib::Result preflight = httplib::Client(QUrl(server.url()).host().toStdString(), QUrl(server.url()).port())
                                              .Options("/v1/chat/completions", listed);
        QCOMPARE(preflight->status, 204);
        QCOMPARE(preflight->get_header_value("Access-Control-Allow-Origin"), std::string("http://app.example"));
        QVERIFY(preflight->get_header_value("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
        QCOMPARE(client->Get("/v1/models", listed)->get_header_value("Access-Control-Allow-Origin"),
                 std::string("http://app.example"));
        const httplib::Headers other = {{"Origin", "http://elsewhere.example"}};
        QVERIFY(!client->Get("/v1/models", other)->has_header("Access-Control-Allow-Origin"));
    }

    void anotherAddressNeedsAKey()
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("LATENT_API_KEY"));
        const test::ProgramRun run = test::runBuiltProgram(
            QStringLiteral("latent-cli"),
            {QStringLiteral("serve"), QStringLiteral("-m"), model_, QStringLiteral("--host"), QStringLiteral("0.0.0.0")},
            environment);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("--host 0.0.0.0")) && run.err.contains(QStringLiteral("--api-key")),
                 qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(ServeCommandTest)
#include "test_serve_command.moc"
