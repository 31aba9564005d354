// `latent-cli serve` as the editors and scripts people already have see it: the real `openai` npm
// client (pinned in tests/server/openai-client/package-lock.json, installed into the build folder
// by the fixture server_openai_client_install) drives the built server on a generated model. Each
// case is a small node script that prints one JSON line; the checks are made here.

#include "tests/server/serve_process.h"
#include "tests/support/built_program.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using latent::test::ServeProcess;

namespace {

// A model small enough to load at once and to answer the whole suite in seconds on 2 cores, but
// with the cost of a real forward pass per token (~2,000 tokens/s on one core), so that a long
// answer is still running when a client hangs up or a third request arrives. Every test-model
// preset has DeepSeek-Coder's fill-in-the-middle tokens.
const QString kPreset = QStringLiteral("small");
const QString kModelName = QStringLiteral("latent-small"); // the file's base name, as the server names it
constexpr int kContext = 2048; // the preset's own context, so also the server's max_tokens limit
constexpr int kMaxBody = 64 * 1024;
const QString kApiKey = QStringLiteral("test-key-5c0ffee");

} // namespace

class ServerOpenAiTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir folder_;
    QString model_;
    std::unique_ptr<ServeProcess> server_; // --parallel 8: the server most cases share

    QStringList serveArguments(const QStringList& extra) const
    {
        return QStringList{QStringLiteral("-m"), model_, QStringLiteral("--threads"), QStringLiteral("1"),
                           QStringLiteral("--ctx"), QString::number(kContext)} +
               extra;
    }

    // Runs tests/server/openai-client/SCRIPT against the server at `url` and returns the JSON line
    // it printed; a script that failed fails the test with what it said.
    static QJsonObject runClient(const QString& script, const QString& url, const QProcessEnvironment& extra = {})
    {
        QProcess node;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("LATENT_OPENAI_CLIENT_DIR"), QStringLiteral(LATENT_OPENAI_CLIENT_DIR));
        environment.insert(extra);
        node.setProcessEnvironment(environment);
        const QJsonObject server{{QStringLiteral("baseUrl"), url}, {QStringLiteral("model"), kModelName}};
        node.start(QStringLiteral(LATENT_NODE),
                   {QStringLiteral(LATENT_OPENAI_SCRIPTS_DIR "/") + script,
                    QString::fromUtf8(QJsonDocument(server).toJson(QJsonDocument::Compact))});
        if (!node.waitForFinished(120'000)) {
            node.kill();
            node.waitForFinished();
        }
        const QByteArray out = node.readAllStandardOutput().trimmed();
        const QJsonObject result = QJsonDocument::fromJson(out.mid(out.lastIndexOf('\n') + 1)).object();
        if (node.exitStatus() != QProcess::NormalExit || node.exitCode() != 0 || result.isEmpty())
            qWarning().noquote() << script << "failed:" << out << node.readAllStandardError();
        return result;
    }

    static QProcessEnvironment variable(const QString& name, const QString& value)
    {
        QProcessEnvironment environment;
        environment.insert(name, value);
        return environment;
    }

private slots:
    void initTestCase()
    {
        if (QStringLiteral(LATENT_NODE).isEmpty())
            QSKIP("node and npm were not found when the build was configured: install nodejs (and npm where "
                  "nodejs does not bundle it), then configure again");
        QVERIFY(folder_.isValid());
        model_ = folder_.filePath(kModelName + QStringLiteral(".gguf"));
        const latent::test::ProgramRun made = latent::test::runBuiltProgram(
            QStringLiteral("latent-cli"),
            {QStringLiteral("make-test-model"), QStringLiteral("--preset"), kPreset, QStringLiteral("-o"), model_});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        server_ = std::make_unique<ServeProcess>(serveArguments(
            {QStringLiteral("--parallel"), QStringLiteral("8"), QStringLiteral("--max-body"), QString::number(kMaxBody)}));
        QVERIFY2(!server_->url().isEmpty(), qPrintable(server_->error()));
        QVERIFY2(server_->url().startsWith(QStringLiteral("http://127.0.0.1:")), qPrintable(server_->url()));
    }

    void cleanupTestCase()
    {
        if (server_) {
            QCOMPARE(server_->stop(), 0); // SIGTERM stops it cleanly
            server_.reset();
        }
    }

    void listsTheServedModel()
    {
        const QJsonObject result = runClient(QStringLiteral("models.mjs"), server_->url());
        const QJsonArray models = result[QStringLiteral("models")].toArray();
        QCOMPARE(models.size(), 1);
        QCOMPARE(models[0][QStringLiteral("id")].toString(), kModelName);
        QCOMPARE(models[0][QStringLiteral("object")].toString(), QStringLiteral("model"));
    }

    void answersAChatWholeAndStreamed()
    {
        const QJsonObject result = runClient(QStringLiteral("chat.mjs"), server_->url());
        const QJsonObject whole = result[QStringLiteral("whole")].toObject();
        QCOMPARE(whole[QStringLiteral("object")].toString(), QStringLiteral("chat.completion"));
        QCOMPARE(whole[QStringLiteral("model")].toString(), kModelName);
        QVERIFY(!whole[QStringLiteral("id")].toString().isEmpty());
        QCOMPARE(whole[QStringLiteral("choices")].toInt(), 1);
        QCOMPARE(whole[QStringLiteral("role")].toString(), QStringLiteral("assistant"));
        const QString content = whole[QStringLiteral("content")].toString();
        QVERIFY(!content.isEmpty());
        const QJsonObject usage = whole[QStringLiteral("usage")].toObject();
        QVERIFY(usage[QStringLiteral("prompt_tokens")].toInt() > 0);
        QVERIFY(usage[QStringLiteral("completion_tokens")].toInt() > 0);
        QCOMPARE(usage[QStringLiteral("total_tokens")].toInt(),
                 usage[QStringLiteral("prompt_tokens")].toInt() + usage[QStringLiteral("completion_tokens")].toInt());

        // Streamed, greedy: the same text, in chat.completion.chunk objects of one id, the role in
        // the first chunk only, one finish_reason, and the usage (asked for with include_usage) in
        // a last chunk without choices, as OpenAI sends it.
        const QJsonObject streamed = result[QStringLiteral("streamed")].toObject();
        QCOMPARE(streamed[QStringLiteral("content")].toString(), content);
        QVERIFY(streamed[QStringLiteral("chunks")].toInt() > 2);
        QCOMPARE(streamed[QStringLiteral("objects")].toArray(), QJsonArray{QStringLiteral("chat.completion.chunk")});
        QCOMPARE(streamed[QStringLiteral("ids")].toArray().size(), 1);
        QCOMPARE(streamed[QStringLiteral("models")].toArray(), QJsonArray{kModelName});
        const QJsonArray roles = streamed[QStringLiteral("roles")].toArray();
        QCOMPARE(roles.size(), 1);
        QCOMPARE(roles[0][QStringLiteral("chunk")].toInt(), 0);
        QCOMPARE(roles[0][QStringLiteral("role")].toString(), QStringLiteral("assistant"));
        QCOMPARE(streamed[QStringLiteral("finishReasons")].toArray(),
                 QJsonArray{whole[QStringLiteral("finishReason")].toString()});
        QCOMPARE(streamed[QStringLiteral("usage")].toObject(), usage);
        QCOMPARE(streamed[QStringLiteral("choicelessChunks")].toInt(), 1);

        // The raw stream is server-sent events that end with OpenAI's `data: [DONE]`.
        const QJsonObject raw = result[QStringLiteral("raw")].toObject();
        QCOMPARE(raw[QStringLiteral("status")].toInt(), 200);
        QVERIFY2(raw[QStringLiteral("contentType")].toString().startsWith(QStringLiteral("text/event-stream")),
                 qPrintable(raw[QStringLiteral("contentType")].toString()));
        QCOMPARE(raw[QStringLiteral("lastLines")].toArray(), QJsonArray{QStringLiteral("data: [DONE]")});
    }

    void stopsAtAStopString()
    {
        const QJsonObject result = runClient(QStringLiteral("stop.mjs"), server_->url());
        const QString expected = result[QStringLiteral("expected")].toString();
        QVERIFY2(result[QStringLiteral("free")].toString().size() > 16,
                 qPrintable(result[QStringLiteral("free")].toString()));
        QVERIFY(!result[QStringLiteral("stop")].toString().isEmpty());
        for (const QString& kind : {QStringLiteral("whole"), QStringLiteral("streamed")}) {
            const QJsonObject answer = result[kind].toObject();
            QCOMPARE(answer[QStringLiteral("content")].toString(), expected);
            const QJsonValue reason = kind == QStringLiteral("whole") ? answer[QStringLiteral("finishReason")]
                                                                     : answer[QStringLiteral("finishReasons")][0];
            QCOMPARE(reason.toString(), QStringLiteral("stop"));
        }
    }

    void endsAtMaxTokens()
    {
        const QJsonObject result = runClient(QStringLiteral("max_tokens.mjs"), server_->url());
        const QJsonObject limited = result[QStringLiteral("maxTokens")].toObject();
        QCOMPARE(limited[QStringLiteral("finishReason")].toString(), QStringLiteral("length"));
        QCOMPARE(limited[QStringLiteral("usage")][QStringLiteral("completion_tokens")].toInt(), 7);
        const QJsonObject newer = result[QStringLiteral("maxCompletionTokens")].toObject();
        QCOMPARE(newer[QStringLiteral("finishReason")].toString(), QStringLiteral("length"));
        QCOMPARE(newer[QStringLiteral("usage")][QStringLiteral("completion_tokens")].toInt(), 5);
    }

    void fillsInTheMiddleWithASuffix()
    {
        const QJsonObject result = runClient(QStringLiteral("completion_suffix.mjs"), server_->url());
        const QJsonObject filled = result[QStringLiteral("filled")].toObject();
        const QJsonObject plain = result[QStringLiteral("plain")].toObject();
        QCOMPARE(filled[QStringLiteral("object")].toString(), QStringLiteral("text_completion"));
        QCOMPARE(filled[QStringLiteral("finishReason")].toString(), QStringLiteral("length"));
        QCOMPARE(filled[QStringLiteral("usage")][QStringLiteral("completion_tokens")].toInt(), 6);
        // The FIM prompt holds the suffix and three FIM tokens: more than the prefix alone.
        QVERIFY2(filled[QStringLiteral("usage")][QStringLiteral("prompt_tokens")].toInt() >
                     plain[QStringLiteral("usage")][QStringLiteral("prompt_tokens")].toInt() + 3,
                 qPrintable(QJsonDocument(result).toJson()));
        QVERIFY(!filled[QStringLiteral("text")].toString().isEmpty());
    }

    void infillsInLlamaCppsShape()
    {
        const QJsonObject result = runClient(QStringLiteral("infill.mjs"), server_->url());
        const QJsonObject whole = result[QStringLiteral("whole")].toObject();
        QCOMPARE(whole[QStringLiteral("status")].toInt(), 200);
        const QJsonObject body = whole[QStringLiteral("body")].toObject();
        QVERIFY2(!body[QStringLiteral("content")].toString().isEmpty(), qPrintable(QJsonDocument(body).toJson()));
        QCOMPARE(body[QStringLiteral("stop")].toBool(), true);

        // Streamed: `data: {"content": ..., "stop": false}` events, the last one `"stop": true`.
        const QJsonObject streamed = result[QStringLiteral("streamed")].toObject();
        QCOMPARE(streamed[QStringLiteral("status")].toInt(), 200);
        QCOMPARE(streamed[QStringLiteral("content")].toString(), body[QStringLiteral("content")].toString());
        const QJsonArray stops = streamed[QStringLiteral("stops")].toArray();
        QVERIFY(stops.size() >= 2);
        for (qsizetype i = 0; i + 1 < stops.size(); ++i)
            QCOMPARE(stops[i].toBool(), false);
        QCOMPARE(stops.last().toBool(), true);
    }

    void refusesAWrongKey()
    {
        ServeProcess keyed(serveArguments({QStringLiteral("--api-key"), kApiKey}));
        QVERIFY2(!keyed.url().isEmpty(), qPrintable(keyed.error()));
        const QJsonObject result = runClient(QStringLiteral("bad_key.mjs"), keyed.url(),
                                             variable(QStringLiteral("LATENT_TEST_API_KEY"), kApiKey));
        const QJsonObject wrong = result[QStringLiteral("wrongKey")].toObject();
        QCOMPARE(wrong[QStringLiteral("class")].toString(), QStringLiteral("AuthenticationError"));
        QCOMPARE(wrong[QStringLiteral("status")].toInt(), 401);
        QCOMPARE(result[QStringLiteral("noKey")][QStringLiteral("status")].toInt(), 401);
        QVERIFY(result[QStringLiteral("noKey")][QStringLiteral("body")][QStringLiteral("error")].isObject());
        QCOMPARE(result[QStringLiteral("rightKey")][QStringLiteral("models")].toArray(), QJsonArray{kModelName});
        QCOMPARE(keyed.stop(), 0);
    }

    void refusesMalformedRequests()
    {
        const QJsonObject result = runClient(QStringLiteral("malformed.mjs"), server_->url());
        const QJsonObject notJson = result[QStringLiteral("notJson")].toObject();
        QCOMPARE(notJson[QStringLiteral("status")].toInt(), 400);
        const QJsonObject error = notJson[QStringLiteral("body")][QStringLiteral("error")].toObject();
        QCOMPARE(error[QStringLiteral("type")].toString(), QStringLiteral("invalid_request_error"));
        QVERIFY(!error[QStringLiteral("message")].toString().isEmpty());

        const QJsonObject wrongType = result[QStringLiteral("wrongType")].toObject();
        QCOMPARE(wrongType[QStringLiteral("class")].toString(), QStringLiteral("BadRequestError"));
        QCOMPARE(wrongType[QStringLiteral("type")].toString(), QStringLiteral("invalid_request_error"));
        QVERIFY2(wrongType[QStringLiteral("message")].toString().contains(QStringLiteral("messages")),
                 qPrintable(wrongType[QStringLiteral("message")].toString()));

        const QJsonObject twoChoices = result[QStringLiteral("twoChoices")].toObject();
        QCOMPARE(twoChoices[QStringLiteral("status")].toInt(), 400);
        QVERIFY2(twoChoices[QStringLiteral("message")].toString().contains(QStringLiteral("n")),
                 qPrintable(twoChoices[QStringLiteral("message")].toString()));
    }

    void refusesAnOversizedBody()
    {
        const QJsonObject result = runClient(QStringLiteral("oversized.mjs"), server_->url(),
                                             variable(QStringLiteral("LATENT_TEST_BODY_BYTES"), QString::number(4 * kMaxBody)));
        const QJsonObject refused = result[QStringLiteral("refused")].toObject();
        QCOMPARE(refused[QStringLiteral("status")].toInt(), 413);
        QCOMPARE(result[QStringLiteral("servingAfter")].toInt(), 1);
    }

    void eightConcurrentStreamsSayWhatEachSaysAlone()
    {
        const QJsonObject result = runClient(QStringLiteral("concurrent.mjs"), server_->url());
        const QJsonArray alone = result[QStringLiteral("alone")].toArray();
        QCOMPARE(alone.size(), 8);
        QCOMPARE(result[QStringLiteral("together")].toArray(), alone);
        for (const QJsonValue text : alone)
            QVERIFY(!text.toString().isEmpty());
    }

    void aClientThatHangsUpStopsItsGeneration()
    {
        const int maxTokens = kContext - 100;
        const QJsonObject result = runClient(QStringLiteral("hang_up.mjs"), server_->url(),
                                             variable(QStringLiteral("LATENT_TEST_MAX_TOKENS"), QString::number(maxTokens)));
        QVERIFY2(result[QStringLiteral("aborted")].toBool(), qPrintable(QJsonDocument(result).toJson()));
        QVERIFY(result[QStringLiteral("chunks")].toInt() >= 5); // mid-stream (chunks already read may follow)
        const auto counter = [&](const char* when, const char* name) {
            return result[QLatin1String(when)][QLatin1String(name)].toInteger();
        };
        QCOMPARE(counter("counted", "requests_cancelled"), counter("before", "requests_cancelled") + 1);
        // It stopped: far short of its max_tokens, and nothing is generated any more.
        QVERIFY2(counter("counted", "tokens_generated") - counter("before", "tokens_generated") < maxTokens / 2,
                 qPrintable(QJsonDocument(result).toJson()));
        QCOMPARE(counter("later", "tokens_generated"), counter("counted", "tokens_generated"));
        QCOMPARE(counter("later", "requests_active"), 0);
    }

    void aFullQueueAnswers503WithRetryAfter()
    {
        ServeProcess narrow(
            serveArguments({QStringLiteral("--parallel"), QStringLiteral("1"), QStringLiteral("--queue"), QStringLiteral("1")}));
        QVERIFY2(!narrow.url().isEmpty(), qPrintable(narrow.error()));
        const QJsonObject result = runClient(QStringLiteral("queue_full.mjs"), narrow.url(),
                                             variable(QStringLiteral("LATENT_TEST_MAX_TOKENS"), QString::number(kContext - 100)));
        int admitted = 0;
        QJsonObject refused;
        for (const QJsonValue outcome : result[QStringLiteral("outcomes")].toArray()) {
            if (outcome[QStringLiteral("admitted")].toBool())
                ++admitted;
            else
                refused = outcome.toObject();
        }
        QCOMPARE(admitted, 2);
        QCOMPARE(refused[QStringLiteral("status")].toInt(), 503);
        QVERIFY2(refused[QStringLiteral("retryAfter")].toString().toInt() > 0, qPrintable(QJsonDocument(refused).toJson()));
        QCOMPARE(result[QStringLiteral("stats")][QStringLiteral("requests_rejected_busy")].toInt(), 1);
        QCOMPARE(narrow.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(ServerOpenAiTest)
#include "test_server_openai.moc"
