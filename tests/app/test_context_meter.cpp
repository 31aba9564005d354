// The context count (app/chat/context_meter.h) on a real tiny model: exactly the engine's count of
// the conversation's prompt, nothing without a model or a conversation, counts made before an
// answer ignored while it streams, and the warning before the context fills.

#include "app/chat/answer_stats.h"
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

    void warnsBeforeTheContextFills()
    {
        ContextMeter meter(*models_);
        models_->setMaxTokens(64);
        meter.setStats(AnswerStats{.contextUsed = 180, .contextSize = 256});
        QVERIFY(!meter.nearlyFull()); // 180 + 64 fits 256
        meter.setStats(AnswerStats{.contextUsed = 200, .contextSize = 256});
        QVERIFY(meter.nearlyFull());
        models_->setMaxTokens(-1); // until full: an eighth of the context is kept for the answer
        meter.setStats(AnswerStats{.contextUsed = 220, .contextSize = 256});
        QVERIFY(!meter.nearlyFull());
        meter.setStats(AnswerStats{.contextUsed = 230, .contextSize = 256});
        QVERIFY(meter.nearlyFull());
        AppTestEnvironment::useTestSettings(*models_);
    }
};

QTEST_GUILESS_MAIN(ContextMeterTest)
#include "test_context_meter.moc"
