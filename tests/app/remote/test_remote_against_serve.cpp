// The OpenAI client against a real server of that API: our own `latent-cli serve` on loopback with
// the tiny test model. Its model list, a greedy streamed answer that is the engine's own answer,
// its usage, a wrong key refused in plain words, and Stop ending the answer at once.
#include "app/remote/chat_completion_stream.h"
#include "app/remote/chat_request_body.h"
#include "app/remote/model_list_request.h"
#include "tests/app/app_test_environment.h"
#include "tests/server/serve_process.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace latent::app::remote;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;

class TestRemoteAgainstServe : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<latent::test::ServeProcess> serve_;
    QNetworkAccessManager network_;

    RemoteEndpoint endpoint(const QString& key = QStringLiteral("test-key")) const {
        return {QStringLiteral("Latent serve"), serve_->url() + QStringLiteral("/v1"), QStringLiteral("llamacpp"), key};
    }

    static QByteArray greedyBody(const QString& question, int maxTokens) {
        latent::GenerationOptions options;
        options.maxTokens = maxTokens;
        options.sampling.temperature = 0;
        options.sampling.topP = 1;
        return chatRequestBody(QStringLiteral("tiny"), {{QStringLiteral("user"), question}}, options);
    }

private slots:
    void initTestCase() {
        environment_ = std::make_unique<AppTestEnvironment>();
        serve_ = std::make_unique<latent::test::ServeProcess>(
            QStringList{QStringLiteral("-m"), environment_->modelPath(), QStringLiteral("--backend"),
                        QStringLiteral("cpu"), QStringLiteral("--threads"), QStringLiteral("2"),
                        QStringLiteral("--api-key"), QStringLiteral("test-key")});
        QVERIFY2(!serve_->url().isEmpty(), qPrintable(serve_->error()));
    }

    void listsItsModel() {
        ModelListRequest request(network_, endpoint());
        QSignalSpy listed(&request, &ModelListRequest::listed);
        QSignalSpy failed(&request, &ModelListRequest::failed);
        QVERIFY(QTest::qWaitFor([&] { return listed.size() + failed.size() > 0; }, kTimeoutMs));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][0].toString()));
        QCOMPARE(listed[0][0].value<QList<RemoteModel>>().size(), 1);
    }

    void aGreedyAnswerIsTheEnginesOwn() {
        const QString question = QStringLiteral("Write a function that adds two numbers.");
        ChatCompletionStream stream(network_, endpoint(), greedyBody(question, 12));
        QString content;
        RemoteUsage usage;
        QString reason;
        QString failure;
        connect(&stream, &ChatCompletionStream::contentGrew, this, [&](const QString& piece) { content += piece; });
        connect(&stream, &ChatCompletionStream::usageReported, this, [&](const RemoteUsage& reported) { usage = reported; });
        connect(&stream, &ChatCompletionStream::finished, this, [&](const QString& why) { reason = why; });
        connect(&stream, &ChatCompletionStream::failed, this, [&](const QString& message) { failure = message; });
        QVERIFY(QTest::qWaitFor([&] { return !reason.isEmpty() || !failure.isEmpty(); }, kTimeoutMs));
        QCOMPARE(failure, QString());
        QCOMPARE(content, environment_->engineAnswer({{"user", question.toStdString()}}, 12));
        QVERIFY(usage.promptTokens > 0);
        QVERIFY(usage.completionTokens > 0 && usage.completionTokens <= 12);
        QVERIFY(reason == QLatin1String("stop") || reason == QLatin1String("length"));
    }

    void aWrongKeyIsRefusedInPlainWords() {
        ChatCompletionStream stream(network_, endpoint(QStringLiteral("wrong")), greedyBody(QStringLiteral("Hi"), 4));
        QSignalSpy failed(&stream, &ChatCompletionStream::failed);
        QVERIFY(failed.wait(kTimeoutMs));
        const QString message = failed[0][0].toString();
        QVERIFY2(message.contains(QStringLiteral("Latent serve refused the API key (HTTP 401)")), qPrintable(message));
    }

    // Stop at an answer's first piece: the stream ends there, cancelled, and nothing of the answer
    // comes after it. Stopped from inside the piece's signal, as the app's Stop button may land
    // at any point of a read: the tiny model writes its 500 tokens in about 20 ms, so the whole
    // answer often arrives in one read, and the stream must drop the rest of that read.
    void stopEndsTheAnswer() {
        ChatCompletionStream stream(network_, endpoint(), greedyBody(QStringLiteral("Tell me a long story."), 500));
        QSignalSpy grew(&stream, &ChatCompletionStream::contentGrew);
        QSignalSpy finished(&stream, &ChatCompletionStream::finished);
        QSignalSpy failed(&stream, &ChatCompletionStream::failed);
        connect(&stream, &ChatCompletionStream::contentGrew, this, [&] { stream.stop(); });
        QVERIFY(QTest::qWaitFor([&] { return finished.size() + failed.size() > 0; }, kTimeoutMs));
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][0].toString()));
        QCOMPARE(grew.size(), 1);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished[0][0].toString(), QStringLiteral("cancelled"));
        QTest::qWait(200);
        QCOMPARE(grew.size(), 1);
        QCOMPARE(finished.size(), 1);
        // The server is free for the next request.
        ChatCompletionStream next(network_, endpoint(), greedyBody(QStringLiteral("Hi"), 2));
        QSignalSpy nextFinished(&next, &ChatCompletionStream::finished);
        QVERIFY(nextFinished.wait(kTimeoutMs));
    }

    void cleanupTestCase() { QCOMPARE(serve_->stop(), 0); }
};

QTEST_GUILESS_MAIN(TestRemoteAgainstServe)
#include "test_remote_against_serve.moc"
