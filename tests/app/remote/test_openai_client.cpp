// The OpenAI client (ChatCompletionStream, ModelListRequest) against a loopback server replaying
// what vLLM, SGLang and DeepSeek's API send (tests/data/remote/, see its README): content,
// reasoning_content, usage, finish reasons, every error a user can meet in plain words naming the
// endpoint, a stream cut mid-event, pieces of any size, and Stop closing the connection.
#include "app/remote/chat_completion_stream.h"
#include "app/remote/chat_request_body.h"
#include "app/remote/model_list_request.h"
#include "tests/app/remote/replay_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace latent::app::remote;
using latent::test::ReplayServer;
using latent::test::recorded;

namespace {

// What a stream delivered, gathered from its signals.
struct Outcome {
    QString content;
    QString reasoning;
    QList<RemoteUsage> usage;
    QString finishReason;
    QString failure;
    bool ended = false;
    int started = 0;
};

class StreamWatch {
public:
    explicit StreamWatch(ChatCompletionStream& stream) {
        QObject::connect(&stream, &ChatCompletionStream::started, [this] { ++outcome.started; });
        QObject::connect(&stream, &ChatCompletionStream::contentGrew, [this](const QString& piece) { outcome.content += piece; });
        QObject::connect(&stream, &ChatCompletionStream::reasoningGrew,
                         [this](const QString& piece) { outcome.reasoning += piece; });
        QObject::connect(&stream, &ChatCompletionStream::usageReported,
                         [this](const RemoteUsage& usage) { outcome.usage.append(usage); });
        QObject::connect(&stream, &ChatCompletionStream::finished, [this](const QString& reason) {
            QVERIFY(!outcome.ended);
            outcome.finishReason = reason;
            outcome.ended = true;
        });
        QObject::connect(&stream, &ChatCompletionStream::failed, [this](const QString& message) {
            QVERIFY(!outcome.ended);
            outcome.failure = message;
            outcome.ended = true;
        });
    }
    Outcome outcome;
};

RemoteEndpoint endpointOf(const ReplayServer& server, const QString& key = {}) {
    return RemoteEndpoint{QStringLiteral("Lab vLLM"), server.baseUrl(), QStringLiteral("vllm"), key};
}

QByteArray anyBody() {
    latent::GenerationOptions options;
    return chatRequestBody(QStringLiteral("deepseek-coder"), {{QStringLiteral("user"), QStringLiteral("Add.")}}, options);
}

} // namespace

class TestOpenAiClient : public QObject {
    Q_OBJECT

private:
    QNetworkAccessManager network_;

    Outcome streamOf(const RemoteEndpoint& endpoint) {
        ChatCompletionStream stream(network_, endpoint, anyBody());
        StreamWatch watch(stream);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(watch.outcome.ended, 20000); }();
        return watch.outcome;
    }

private slots:
    void vllmStreamWithUsage() {
        ReplayServer server;
        server.answer("POST", "/v1/chat/completions", ReplayServer::sse(recorded("vllm-chat-stream.sse")));
        const Outcome outcome = streamOf(endpointOf(server, QStringLiteral("sk-lab")));
        QCOMPARE(outcome.failure, QString());
        QCOMPARE(outcome.started, 1);
        QCOMPARE(outcome.content, QStringLiteral("def add(a, b):\n    return a + b"));
        QCOMPARE(outcome.reasoning, QString());
        QCOMPARE(outcome.usage.size(), 1);
        QCOMPARE(outcome.usage[0].promptTokens, 31);
        QCOMPARE(outcome.usage[0].completionTokens, 8);
        QCOMPARE(outcome.finishReason, QStringLiteral("stop"));

        // What the server was asked.
        QCOMPARE(server.requests().size(), 1);
        const auto& request = server.requests()[0];
        QCOMPARE(request.headers.value("authorization"), QByteArray("Bearer sk-lab"));
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        QCOMPARE(body.value(QLatin1String("model")).toString(), QStringLiteral("deepseek-coder"));
        QCOMPARE(body.value(QLatin1String("stream")).toBool(), true);
        QCOMPARE(body.value(QLatin1String("stream_options")).toObject().value(QLatin1String("include_usage")).toBool(),
                 true);
        QCOMPARE(body.value(QLatin1String("messages")).toArray().size(), 1);
    }

    void noKeyNoAuthorization() {
        ReplayServer server;
        server.answer("POST", "/v1/chat/completions", ReplayServer::sse(recorded("vllm-chat-stream.sse")));
        QCOMPARE(streamOf(endpointOf(server)).failure, QString());
        QVERIFY(!server.requests()[0].headers.contains("authorization"));
    }

    void piecesOfAnySize_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("pieceSize");
        for (const int size : {1, 3, 7, 64, 1000}) {
            QTest::addRow("vllm/%d", size) << QStringLiteral("vllm-chat-stream.sse") << size;
            QTest::addRow("deepseek/%d", size) << QStringLiteral("deepseek-reasoner-stream.sse") << size;
        }
    }
    void piecesOfAnySize() {
        QFETCH(QString, file);
        QFETCH(int, pieceSize);
        ReplayServer whole;
        whole.answer("POST", "/v1/chat/completions", ReplayServer::sse(recorded(file)));
        const Outcome expected = streamOf(endpointOf(whole));
        QCOMPARE(expected.failure, QString());

        ReplayServer pieces;
        ReplayServer::Response response = ReplayServer::sse(recorded(file));
        response.pieceSize = pieceSize;
        response.pauseMs = pieceSize < 64 ? 0 : 2;
        pieces.answer("POST", "/v1/chat/completions", response);
        const Outcome outcome = streamOf(endpointOf(pieces));
        QCOMPARE(outcome.failure, QString());
        QCOMPARE(outcome.content, expected.content);
        QCOMPARE(outcome.reasoning, expected.reasoning);
        QCOMPARE(outcome.finishReason, expected.finishReason);
    }

    void sglangReasoningContent() {
        ReplayServer server;
        server.answer("POST", "/v1/chat/completions", ReplayServer::sse(recorded("sglang-reasoning-stream.sse")));
        const Outcome outcome = streamOf(endpointOf(server));
        QCOMPARE(outcome.failure, QString());
        QCOMPARE(outcome.reasoning, QStringLiteral("The user asks for 2 + 3."));
        QCOMPARE(outcome.content, QStringLiteral("2 + 3 = 5."));
        QCOMPARE(outcome.usage.size(), 1); // the chunks' "usage": null are not usage
        QCOMPARE(outcome.usage[0].completionTokens, 21);
        QCOMPARE(outcome.finishReason, QStringLiteral("stop"));
    }

    void deepseekReasonerWithCrlfAndKeepAlive() {
        ReplayServer server;
        server.answer("POST", "/v1/chat/completions", ReplayServer::sse(recorded("deepseek-reasoner-stream.sse")));
        const Outcome outcome = streamOf(endpointOf(server));
        QCOMPARE(outcome.failure, QString());
        QCOMPARE(outcome.reasoning, QStringLiteral("9.11 and 9.8: compare the tenths: 8 > 1."));
        QCOMPARE(outcome.content, QStringLiteral("9.8 is greater."));
        QCOMPARE(outcome.usage.size(), 1);
        QCOMPARE(outcome.usage[0].promptTokens, 18);
        QCOMPARE(outcome.usage[0].completionTokens, 42);
    }

    void httpErrorsInPlainWords_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QStringList>("said");
        QTest::newRow("401") << 401 << "deepseek-401.json" << QByteArray()
                             << QStringList{"API key", "Settings > Remote models", "Authentication Fails"};
        QTest::newRow("429 with Retry-After") << 429 << "deepseek-429.json" << QByteArray("7")
                                              << QStringList{"HTTP 429", "Try again in 7 s", "Rate limit reached"};
        QTest::newRow("429 without") << 429 << "deepseek-429.json" << QByteArray()
                                     << QStringList{"HTTP 429", "Wait a moment"};
        QTest::newRow("404") << 404 << "vllm-404.json" << QByteArray()
                             << QStringList{"no such model", "/v1", "does not exist"};
        QTest::newRow("500") << 500 << "vllm-500.json" << QByteArray()
                             << QStringList{"server error", "HTTP 500", "EngineCore"};
    }
    void httpErrorsInPlainWords() {
        QFETCH(int, status);
        QFETCH(QString, file);
        QFETCH(QByteArray, retryAfter);
        QFETCH(QStringList, said);
        ReplayServer server;
        ReplayServer::Response response = ReplayServer::json(status, recorded(file));
        if (!retryAfter.isEmpty()) {
            response.headers.append({"Retry-After", retryAfter});
        }
        server.answer("POST", "/v1/chat/completions", response);
        const Outcome outcome = streamOf(endpointOf(server));
        QCOMPARE(outcome.started, 0);
        QVERIFY2(outcome.failure.startsWith(QStringLiteral("Lab vLLM")), qPrintable(outcome.failure));
        for (const QString& words : said) {
            QVERIFY2(outcome.failure.contains(words), qPrintable(outcome.failure));
        }
    }

    void aStreamCutMidEvent() {
        ReplayServer server;
        server.answer("POST", "/v1/chat/completions", ReplayServer::sse(recorded("stream-cut-mid-event.sse")));
        const Outcome outcome = streamOf(endpointOf(server));
        QCOMPARE(outcome.content, QStringLiteral("Hello"));
        QVERIFY2(outcome.failure.contains(QStringLiteral("Lab vLLM")) && outcome.failure.contains(QStringLiteral("cut off")),
                 qPrintable(outcome.failure));
    }

    void aConnectionDroppedMidStream() {
        ReplayServer server;
        ReplayServer::Response response = ReplayServer::sse(recorded("vllm-chat-stream.sse"));
        response.cutAfter = response.body.indexOf("return");
        server.answer("POST", "/v1/chat/completions", response);
        const Outcome outcome = streamOf(endpointOf(server));
        QVERIFY2(outcome.failure.contains(QStringLiteral("cut off")), qPrintable(outcome.failure));
    }

    void anErrorInsideTheStream() {
        ReplayServer server;
        server.answer("POST", "/v1/chat/completions", ReplayServer::sse(recorded("vllm-error-in-stream.sse")));
        const Outcome outcome = streamOf(endpointOf(server));
        QCOMPARE(outcome.content, QStringLiteral("Par"));
        QVERIFY2(outcome.failure.contains(QStringLiteral("Lab vLLM"))
                     && outcome.failure.contains(QStringLiteral("longer than the maximum model length")),
                 qPrintable(outcome.failure));
    }

    void aChunkThatIsNotJson() {
        ReplayServer server;
        server.answer("POST", "/v1/chat/completions", ReplayServer::sse("data: {\"choices\": [\n\ndata: [DONE]\n\n"));
        const Outcome outcome = streamOf(endpointOf(server));
        QVERIFY2(outcome.failure.contains(QStringLiteral("not JSON")), qPrintable(outcome.failure));
    }

    void anEndlessLineIsBounded() {
        ReplayServer server;
        ReplayServer::Response response = ReplayServer::sse("data: " + QByteArray(5 * 1024 * 1024, 'x'));
        response.pieceSize = 256 * 1024;
        server.answer("POST", "/v1/chat/completions", response);
        const Outcome outcome = streamOf(endpointOf(server));
        QVERIFY2(outcome.failure.contains(QStringLiteral("4 MiB")), qPrintable(outcome.failure));
    }

    void stopClosesTheConnection() {
        ReplayServer server;
        ReplayServer::Response response = ReplayServer::sse(recorded("vllm-chat-stream.sse"));
        response.holdOpen = true; // a server still generating
        response.body = response.body.left(response.body.indexOf("data: {", 10)); // the first chunk only
        server.answer("POST", "/v1/chat/completions", response);
        ChatCompletionStream stream(network_, endpointOf(server), anyBody());
        StreamWatch watch(stream);
        QTRY_COMPARE_WITH_TIMEOUT(watch.outcome.started, 1, 20000);
        QVERIFY(!watch.outcome.ended);
        stream.stop();
        QVERIFY(watch.outcome.ended);
        QCOMPARE(watch.outcome.finishReason, QStringLiteral("cancelled"));
        QTRY_COMPARE_WITH_TIMEOUT(server.closedByClient(), 1, 20000);
    }

    void aServerThatIsNotThere() {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        ChatCompletionStream stream(network_,
                                    RemoteEndpoint{QStringLiteral("Ollama"), QStringLiteral("http://127.0.0.1:%1/v1").arg(port),
                                                   QStringLiteral("ollama"), {}},
                                    anyBody());
        StreamWatch watch(stream);
        QTRY_VERIFY_WITH_TIMEOUT(watch.outcome.ended, 20000);
        QVERIFY2(watch.outcome.failure.contains(QStringLiteral("Ollama refused the connection")),
                 qPrintable(watch.outcome.failure));
    }

    void modelListWithContextSize() {
        ReplayServer server;
        server.answer("GET", "/v1/models", ReplayServer::json(200, recorded("vllm-models.json")));
        ModelListRequest request(network_, endpointOf(server));
        QSignalSpy listed(&request, &ModelListRequest::listed);
        QVERIFY(listed.wait(20000));
        const auto models = listed[0][0].value<QList<RemoteModel>>();
        QCOMPARE(models.size(), 1);
        QCOMPARE(models[0].id, QStringLiteral("deepseek-ai/deepseek-coder-6.7b-instruct"));
        QCOMPARE(models[0].contextSize, 16384);
    }

    void modelListFailures_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("said");
        QTest::newRow("401") << 401 << recorded("deepseek-401.json") << "refused the API key";
        QTest::newRow("not a list") << 200 << QByteArray("<html>It works!</html>") << "not with a list of models";
    }
    void modelListFailures() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, said);
        ReplayServer server;
        server.answer("GET", "/v1/models", ReplayServer::json(status, body));
        ModelListRequest request(network_, endpointOf(server));
        QSignalSpy failed(&request, &ModelListRequest::failed);
        QVERIFY(failed.wait(20000));
        const QString message = failed[0][0].toString();
        QVERIFY2(message.startsWith(QStringLiteral("Lab vLLM")) && message.contains(said), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestOpenAiClient)
#include "test_openai_client.moc"
