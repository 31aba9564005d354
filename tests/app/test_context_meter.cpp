// The context count (app/chat/context_meter.h) on a real tiny model: exactly the engine's count of
// the conversation's prompt, nothing without a model or a conversation, counts made before an
// answer ignored while it streams, the prompt being read before the first token, and the warning
// before the context fills: not on a first message, and naming the limit that binds (the
// setting, or the model's own; app/chat/context_limit.h).

#include "app/chat/answer_stats.h"
#include "app/chat/context_limit.h"
#include "app/chat/context_meter.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace latent::app;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;

class ContextMeterTest : public QObject {
    Q_OBJECT

    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;

private slots:
    void initTestCase()
    {
        environment_ = std::make_unique<AppTestEnvironment>();
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        models_ = std::make_unique<ModelManager>(*store_);
        AppTestEnvironment::useTestSettings(*models_);
        models_->setContextSize(256);
    }

    void nothingToCountWithoutAModel()
    {
        ContextMeter meter(*models_);
        meter.count({{"user", "Hello"}});
        QCOMPARE(meter.used(), 0);
        QVERIFY(!meter.nearlyFull());
    }

    void countsAsTheEngineDoes()
    {
        models_->loadModel(environment_->modelPath());
        QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::Ready, kTimeoutMs);
        ContextMeter meter(*models_);
        meter.modelChanged();
        QCOMPARE(meter.size(), 256);
        QCOMPARE(meter.tokensPerSecond(), 0.0);
        const QList<ChatTurn> turns{{"system", "Be brief."}, {"user", "Explain binary search"}};
        meter.count(turns);
        const int expected = environment_->engineTokenCount({{"system", "Be brief."}, {"user", "Explain binary search"}});
        QTRY_COMPARE_WITH_TIMEOUT(meter.used(), expected, kTimeoutMs);
        meter.count({});
        QCOMPARE(meter.used(), 0); // nothing written yet
    }

    void anAnswersFiguresWinOverOlderCounts()
    {
        ContextMeter meter(*models_);
        meter.modelChanged();
        QSignalSpy counted(models_->worker(), &EngineWorker::tokensCounted);
        meter.count({{"user", "A question whose count arrives late"}});
        meter.setAnswering(true);
        meter.setStats(AnswerStats{.tokensPerSecond = 12.5, .contextUsed = 200, .contextSize = 256});
        QTRY_COMPARE_WITH_TIMEOUT(counted.count(), 1, kTimeoutMs); // the count came, and is ignored
        QCOMPARE(meter.used(), 200);
        QCOMPARE(meter.tokensPerSecond(), 12.5);
    }

    void showsThePromptBeingReadUntilTheFirstToken()
    {
        ContextMeter meter(*models_);
        meter.setAnswering(true);
        meter.setStats(AnswerStats{.promptTokens = 300, .promptEvaluated = 40, .contextUsed = 300, .contextSize = 512});
        QCOMPARE(meter.promptReading(), 40); // the rest of the prompt was in the cache
        meter.setStats(AnswerStats{.promptTokens = 300, .generatedTokens = 1, .contextUsed = 301, .contextSize = 512});
        QCOMPARE(meter.promptReading(), 0);
        meter.setStats(AnswerStats{.promptTokens = 300, .promptEvaluated = 40, .contextUsed = 300, .contextSize = 512});
        meter.setAnswering(false); // stopped before its first token
        QCOMPARE(meter.promptReading(), 0);
    }

    void warnsBeforeTheContextFills()
    {
        ContextMeter meter(*models_);
        models_->setMaxTokens(64);
        meter.setStats(AnswerStats{.contextUsed = 180, .contextSize = 256});
        QVERIFY(!meter.nearlyFull()); // 180 + 64 fits 256
        QVERIFY(meter.warning().isEmpty());
        meter.setStats(AnswerStats{.contextUsed = 200, .contextSize = 256});
        QVERIFY(meter.nearlyFull());
        QVERIFY2(meter.warning().contains("200 of 256"), qPrintable(meter.warning()));
        models_->setMaxTokens(-1); // until full: a quarter of the context is kept for the answer
        meter.setStats(AnswerStats{.contextUsed = 190, .contextSize = 256});
        QVERIFY(!meter.nearlyFull());
        meter.setStats(AnswerStats{.contextUsed = 200, .contextSize = 256});
        QVERIFY(meter.nearlyFull());
        AppTestEnvironment::useTestSettings(*models_);
    }

    // 256 asked of a model trained for 512: the setting binds, and raising it helps. 4,096 asked:
    // the model's 512 binds, and only a shorter conversation helps.
    void theWarningNamesTheLimitThatBinds()
    {
        ContextMeter meter(*models_);
        meter.modelChanged();
        QCOMPARE(meter.limit().size, 256);
        QCOMPARE(meter.limit().trained, 512);
        meter.setStats(AnswerStats{.contextUsed = 250, .contextSize = 256});
        QVERIFY2(meter.warning().contains("raise the context size in Settings"), qPrintable(meter.warning()));
        QVERIFY2(meter.warning().contains("512"), qPrintable(meter.warning()));

        models_->setContextSize(4096);
        models_->loadModel(environment_->modelPath());
        QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::Ready, kTimeoutMs);
        meter.modelChanged();
        QCOMPARE(meter.size(), 512); // the one number the status line and the model card show
        meter.setStats(AnswerStats{.contextUsed = 505, .contextSize = 512});
        QVERIFY2(meter.warning().contains("505 of 512"), qPrintable(meter.warning()));
        QVERIFY2(meter.warning().contains("model's own limit"), qPrintable(meter.warning()));
        QVERIFY2(!meter.warning().contains("raise"), qPrintable(meter.warning()));
        models_->setContextSize(256);
    }

    // The defaults (answers of up to 2,048 tokens) on a model of 512: a new conversation has
    // almost all of the context for its answer, and the answer is simply as long as it can be.
    void aFirstMessageDoesNotWarn()
    {
        models_->setMaxTokens(2048);
        ContextMeter meter(*models_);
        meter.modelChanged();
        QCOMPARE(meter.size(), 512); // loaded at 4,096 above: the model's own
        meter.count({{"user", "Why does this fail?"}});
        QTRY_VERIFY_WITH_TIMEOUT(meter.used() > 0, kTimeoutMs);
        QVERIFY(!meter.nearlyFull());
        QVERIFY(meter.warning().isEmpty());
        AppTestEnvironment::useTestSettings(*models_);
    }

    void adviceFollowsTheLimit()
    {
        const ContextLimit settingBinds{.size = 2048, .trained = 16384};
        const ContextLimit modelBinds{.size = 2048, .trained = 2048};
        QVERIFY(settingBinds.settingBinds());
        QVERIFY(!modelBinds.settingBinds());
        QVERIFY(settingBinds.advice().contains("raise the context size in Settings"));
        QVERIFY(!modelBinds.advice().contains("raise"));
    }
};

QTEST_GUILESS_MAIN(ContextMeterTest)
#include "test_context_meter.moc"
