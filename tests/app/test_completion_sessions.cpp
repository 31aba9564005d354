// Completions and chat answers on one model (app/chat/engine_worker.h): each keeps its own
// session, so a completion never throws away the chat's cache and an answer never throws away
// the completions'; consecutive completions evaluate only what follows the prefix they share;
// an answer goes first; only the newest completion runs; a completion model of its own.

#include "app/chat/answer_stats.h"
#include "app/chat/engine_worker.h"
#include "app/chat/model_manager.h"
#include "app/coding/fim_window.h"
#include "app/store/chat_store.h"
#include "engine/model/loaded_model.h"
#include "tests/app/app_test_environment.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace latent;
using namespace latent::app;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;
using latent::app::test::WorkerGate;

namespace {

// A source file of `lines` numbered lines, the kind a completion sees.
QString sourceFile(int lines)
{
    QString text;
    for (int line = 0; line < lines; ++line)
        text += QStringLiteral("    total += values[%1] * %2;\n").arg(line).arg(line % 7);
    return text;
}

GenerationOptions greedy(int maxTokens)
{
    GenerationOptions options;
    options.maxTokens = maxTokens;
    options.sampling.temperature = 0;
    return options;
}

CompletionRequest completionAt(const QString& text, int cursor)
{
    CompletionRequest request{text, cursor, {}, 8};
    request.window.maxPromptTokens = 480; // the tiny model holds 512
    return request;
}

} // namespace

class CompletionSessionsTest : public QObject {
    Q_OBJECT

    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;

    EngineWorker* worker() const { return models_->worker(); }

    // The prompt a completion at `cursor` makes, computed here from the same file.
    std::vector<int32_t> fimPrompt(const QString& text, int cursor) const
    {
        const LoadedModel loaded = LoadedModel::open(environment_->modelPath().toStdString(), {"cpu", 1});
        return fimWindow(text, cursor, *loaded.tokenizer, completionAt(text, cursor).window).promptIds;
    }

    AnswerStats answer(const QList<ChatTurn>& turns)
    {
        QSignalSpy finished(worker(), &EngineWorker::finished);
        const qint64 id = worker()->generate(turns, greedy(6));
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), kTimeoutMs); }();
        if (finished.isEmpty() || finished.first().at(0).toLongLong() != id)
            return {};
        return finished.first().at(2).value<AnswerStats>();
    }

    std::optional<CompletionStats> complete(const CompletionRequest& request, QString* text = nullptr)
    {
        QSignalSpy completed(worker(), &EngineWorker::completed);
        QSignalSpy failed(worker(), &EngineWorker::completionFailed);
        const qint64 id = worker()->complete(request);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!completed.isEmpty() || !failed.isEmpty(), kTimeoutMs); }();
        if (!failed.isEmpty())
            qWarning("completion failed: %s", qPrintable(failed.first().at(1).toString()));
        if (completed.isEmpty() || completed.first().at(0).toLongLong() != id)
            return std::nullopt;
        if (text)
            *text = completed.first().at(1).toString();
        return completed.first().at(2).value<CompletionStats>();
    }

private slots:
    void initTestCase()
    {
        environment_ = std::make_unique<AppTestEnvironment>();
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        models_ = std::make_unique<ModelManager>(*store_);
        QVERIFY(environment_->loadTinyModel(*models_, 1024));
        QVERIFY(models_->modelFacts().value("fillInMiddle").toBool());
    }

    void completionsAndTheChatKeepTheirOwnCaches()
    {
        const QList<ChatTurn> first{{"user", "Write a function that sums a list"}};
        const AnswerStats opening = answer(first);
        QVERIFY(opening.promptTokens > 0);
        QCOMPARE(opening.promptEvaluated, opening.promptTokens); // a new session: all of it

        const QString text = sourceFile(120);
        const int cursor = int(text.indexOf(QStringLiteral("values[12]"))) + 7;
        const std::optional<CompletionStats> cold = complete(completionAt(text, cursor));
        QVERIFY(cold);
        QCOMPARE(cold->evaluatedTokens, cold->promptTokens);

        // The next keystroke on the same line: only the prompt after the first token that differs.
        QString typed = text;
        typed.insert(cursor, u'1');
        const std::optional<CompletionStats> warm = complete(completionAt(typed, cursor + 1));
        QVERIFY(warm);
        const std::vector<int32_t> before = fimPrompt(text, cursor);
        const std::vector<int32_t> after = fimPrompt(typed, cursor + 1);
        QCOMPARE(warm->promptTokens, int(after.size()));
        const auto shared = int(std::mismatch(before.begin(), before.end(), after.begin(), after.end()).first -
                                before.begin());
        QVERIFY2(shared > int(after.size()) / 3, "the window keeps the lines before the cursor's");
        QCOMPARE(warm->evaluatedTokens, int(after.size()) - std::min(shared, int(after.size()) - 1));

        // The chat's next turn still finds its conversation in its own cache.
        const QList<ChatTurn> second{first[0], {"assistant", "def total(values): return sum(values)"},
                                     {"user", "Now in C++"}};
        const AnswerStats followUp = answer(second);
        QVERIFY(followUp.promptTokens > opening.promptTokens);
        QVERIFY2(followUp.promptEvaluated <= followUp.promptTokens - opening.promptTokens,
                 qPrintable(QStringLiteral("evaluated %1 of %2 after a first turn of %3")
                                .arg(followUp.promptEvaluated)
                                .arg(followUp.promptTokens)
                                .arg(opening.promptTokens)));

        // And the completions' cache survived the answer: the same request evaluates one token.
        const std::optional<CompletionStats> again = complete(completionAt(typed, cursor + 1));
        QVERIFY(again);
        QCOMPARE(again->evaluatedTokens, 1);
    }

    void anAnswerGoesFirst()
    {
        const QString text = sourceFile(30);
        QSignalSpy skipped(worker(), &EngineWorker::completionSkipped);
        QSignalSpy completed(worker(), &EngineWorker::completed);
        QSignalSpy finished(worker(), &EngineWorker::finished);
        WorkerGate gate(worker());
        const qint64 early = worker()->complete(completionAt(text, 40));
        const qint64 answerId = worker()->generate({{"user", "Hello"}}, greedy(4)); // cancels `early`
        const qint64 late = worker()->complete(completionAt(text, 41));             // waits for the answer
        gate.release();
        QTRY_VERIFY_WITH_TIMEOUT(!completed.isEmpty(), kTimeoutMs);
        QCOMPARE(skipped.count(), 1);
        QCOMPARE(skipped.first().at(0).toLongLong(), early);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).toLongLong(), answerId);
        QCOMPARE(completed.first().at(0).toLongLong(), late);
    }

    void onlyTheNewestCompletionRuns()
    {
        const QString text = sourceFile(30);
        QSignalSpy skipped(worker(), &EngineWorker::completionSkipped);
        QSignalSpy completed(worker(), &EngineWorker::completed);
        WorkerGate gate(worker());
        const qint64 older = worker()->complete(completionAt(text, 10));
        const qint64 newer = worker()->complete(completionAt(text, 11));
        gate.release();
        QTRY_VERIFY_WITH_TIMEOUT(!completed.isEmpty(), kTimeoutMs);
        QCOMPARE(completed.first().at(0).toLongLong(), newer);
        QCOMPARE(skipped.count(), 1);
        QCOMPARE(skipped.first().at(0).toLongLong(), older);
    }

    void aCancelledCompletionEndsWithoutText()
    {
        QSignalSpy skipped(worker(), &EngineWorker::completionSkipped);
        WorkerGate gate(worker());
        const qint64 id = worker()->complete(completionAt(sourceFile(30), 5));
        worker()->cancelCompletion(id);
        gate.release();
        QTRY_COMPARE_WITH_TIMEOUT(skipped.count(), 1, kTimeoutMs);
        QCOMPARE(skipped.first().at(0).toLongLong(), id);
    }

    void aCompletionModelOfItsOwn()
    {
        const QString other = environment_->filePath("completion-model.gguf");
        writeTestModel({"llama", "tiny-coder", gguf::TensorType::F32, 11}, other.toStdString());
        QSignalSpy loaded(worker(), &EngineWorker::completionModelLoaded);
        worker()->loadCompletionModel(other, QStringLiteral("cpu"), 2);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        QCOMPARE(loaded.first().at(0).toMap().value("path").toString(), other);

        // Its own session: the first completion on it evaluates its whole prompt.
        const QString text = sourceFile(40);
        const std::optional<CompletionStats> first = complete(completionAt(text, 100));
        QVERIFY(first);
        QCOMPARE(first->evaluatedTokens, first->promptTokens);

        worker()->useChatModelForCompletion();
        QVERIFY(complete(completionAt(text, 100)));
        const std::optional<CompletionStats> again = complete(completionAt(text, 100));
        QVERIFY(again);
        QCOMPARE(again->evaluatedTokens, 1); // back on the chat model's completion session
    }

    void aFileThatIsNotAModelIsReported()
    {
        const QString notAModel = environment_->filePath("notes.gguf");
        QFile file(notAModel);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a model");
        file.close();
        QSignalSpy failed(worker(), &EngineWorker::completionModelFailed);
        worker()->loadCompletionModel(notAModel, QStringLiteral("cpu"), 2);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QCOMPARE(failed.first().at(0).toString(), notAModel);
        QVERIFY2(failed.first().at(1).toString().contains("notes.gguf"), qPrintable(failed.first().at(1).toString()));
    }
};

QTEST_GUILESS_MAIN(CompletionSessionsTest)
#include "test_completion_sessions.moc"
