// Which model completes code as one types (app/chat/completion_model.h), on real models: none
// loaded, the chat's tiny model (it has fill-in-the-middle tokens), off, a chat model without the
// tokens (a llama.cpp fixture from ../shared), a completion model of its own, a file that is not
// a model, and the pause before asking; the choice and the pause persist in QSettings. And the
// worker's own answer when asked to complete on a model without the tokens.

#include "app/chat/completion_model.h"
#include "app/chat/engine_worker.h"
#include "app/chat/model_manager.h"
#include "app/store/chat_store.h"
#include "engine/model/test_model.h"
#include "tests/app/app_test_environment.h"
#include "tests/support/shared_data.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace latent;
using namespace latent::app;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;
using latent::app::test::WorkerGate;

namespace {

const char* const kFixtureWithoutFim = "fixtures/llama-coder-f32.gguf";

CompletionRequest completionAt(const QString& text, int cursor)
{
    CompletionRequest request{text, cursor, {}, 4};
    request.window.maxPromptTokens = 200; // fits the tiny models and the fixtures
    return request;
}

QString storedChoice()
{
    return QSettings().value(QStringLiteral("completion/model")).toString();
}

} // namespace

class CompletionModelTest : public QObject {
    Q_OBJECT

    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;
    QString ownModel_; // a tiny-coder model written for completion alone

    void loadChatModel(const QString& path)
    {
        models_->loadModel(path);
        QTRY_VERIFY_WITH_TIMEOUT(models_->state() != ModelManager::State::Loading, kTimeoutMs);
        QCOMPARE(models_->state(), ModelManager::State::Ready);
        QCOMPARE(models_->modelPath(), path);
    }

private slots:
    void initTestCase()
    {
        environment_ = std::make_unique<AppTestEnvironment>();
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        models_ = std::make_unique<ModelManager>(*store_);
        AppTestEnvironment::useTestSettings(*models_);
        models_->setContextSize(512);
        ownModel_ = environment_->filePath(QStringLiteral("own-coder.gguf"));
        writeTestModel({"llama", "tiny-coder", gguf::TensorType::F32, 7}, ownModel_.toStdString());
    }

    void cleanup()
    {
        // Every test starts from the chat's model, whatever the one before chose (written as the
        // settings file holds it, so that no CompletionModel starts loading the last one's file).
        QSettings().setValue(QStringLiteral("completion/model"), CompletionModel::chatModel);
        models_->worker()->useChatModelForCompletion();
    }

    void noModelLoadedMeansNoCompletion()
    {
        QCOMPARE(models_->state(), ModelManager::State::NoModel);
        CompletionModel completion(*models_);
        QCOMPARE(completion.choice(), CompletionModel::chatModel); // the default
        QCOMPARE(completion.debounceMs(), 250);
        QVERIFY(!completion.available());
        QVERIFY2(completion.note().contains(QStringLiteral("when a model is loaded")), qPrintable(completion.note()));
    }

    void theChatsModelWithFimTokensCompletes()
    {
        CompletionModel completion(*models_);
        QSignalSpy changed(&completion, &CompletionModel::changed);
        loadChatModel(environment_->modelPath());
        QVERIFY(models_->modelFacts().value(QStringLiteral("fillInMiddle")).toBool());
        QVERIFY(completion.available());
        QCOMPARE(completion.note(), QString());
        QVERIFY(changed.count() >= 1);

        // One made after the load knows at once.
        const CompletionModel later(*models_);
        QVERIFY(later.available());
        QCOMPARE(later.note(), QString());
    }

    void noneTurnsItOffAndPersists()
    {
        {
            CompletionModel completion(*models_);
            QVERIFY(completion.available());
            QSignalSpy changed(&completion, &CompletionModel::changed);
            completion.setChoice(CompletionModel::noModel);
            QVERIFY(changed.count() >= 1);
            QCOMPARE(completion.choice(), CompletionModel::noModel);
            QVERIFY(!completion.available());
            QVERIFY2(completion.note().contains(QStringLiteral("off")), qPrintable(completion.note()));
            QCOMPARE(storedChoice(), CompletionModel::noModel);

            changed.clear();
            completion.setChoice(QString()); // not a choice: ignored
            completion.setChoice(CompletionModel::noModel); // the same: nothing to say
            QCOMPARE(changed.count(), 0);
            QCOMPARE(completion.choice(), CompletionModel::noModel);
        }
        {
            CompletionModel reopened(*models_); // as at the app's next start
            QCOMPARE(reopened.choice(), CompletionModel::noModel);
            QVERIFY(!reopened.available());
            QVERIFY(!reopened.note().isEmpty());

            reopened.setChoice(CompletionModel::chatModel);
            QVERIFY(reopened.available());
            QCOMPARE(reopened.note(), QString());
            QCOMPARE(storedChoice(), CompletionModel::chatModel);
        }
        const CompletionModel again(*models_);
        QCOMPARE(again.choice(), CompletionModel::chatModel);
    }

    void aModelOfItsOwnIsAvailableOnceLoaded()
    {
        {
            CompletionModel completion(*models_);
            QSignalSpy loaded(models_->worker(), &EngineWorker::completionModelLoaded);
            completion.setChoice(ownModel_);
            QCOMPARE(completion.choice(), ownModel_);
            QCOMPARE(storedChoice(), ownModel_);
            QVERIFY(!completion.available()); // not loaded yet
            QVERIFY2(completion.note().contains(QStringLiteral("own-coder.gguf")), qPrintable(completion.note()));
            QTRY_VERIFY_WITH_TIMEOUT(completion.available(), kTimeoutMs);
            QCOMPARE(completion.note(), QString());
            QCOMPARE(loaded.count(), 1);
            QCOMPARE(loaded.first().at(0).toMap().value(QStringLiteral("path")).toString(), ownModel_);
        }
        // The next start reads the file back and loads it again.
        QSignalSpy loadedAgain(models_->worker(), &EngineWorker::completionModelLoaded);
        const CompletionModel reopened(*models_);
        QCOMPARE(reopened.choice(), ownModel_);
        QTRY_VERIFY_WITH_TIMEOUT(reopened.available(), kTimeoutMs);
        QCOMPARE(loadedAgain.count(), 1);
    }

    void aFileThatIsNotAModelIsNamed()
    {
        const QString notAModel = environment_->filePath(QStringLiteral("shopping-list.gguf"));
        QFile file(notAModel);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("eggs, flour, milk\n");
        file.close();

        CompletionModel completion(*models_);
        QSignalSpy failed(models_->worker(), &EngineWorker::completionModelFailed);
        completion.setChoice(notAModel);
        // The spy hears the worker on its thread; the note changes once the failure arrives here.
        QTRY_VERIFY_WITH_TIMEOUT(!completion.note().startsWith(QStringLiteral("Loading")), kTimeoutMs);
        QCOMPARE(failed.count(), 1);
        QVERIFY(!completion.available());
        QVERIFY2(completion.note().contains(QStringLiteral("shopping-list.gguf")), qPrintable(completion.note()));
        QCOMPARE(failed.first().at(0).toString(), notAModel);
        QCOMPARE(completion.note(), failed.first().at(1).toString());
    }

    // The worker answers each load in turn; an answer for a file chosen before is not the
    // choice's, however it turned out.
    void answersForAnEarlierChoiceAreIgnored()
    {
        const QString notAModel = environment_->filePath(QStringLiteral("recipe.gguf"));
        QFile file(notAModel);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("two eggs\n");
        file.close();

        CompletionModel completion(*models_);
        QSignalSpy loaded(models_->worker(), &EngineWorker::completionModelLoaded);
        bool everAvailable = false;
        connect(&completion, &CompletionModel::changed, this, [&] { everAvailable = everAvailable || completion.available(); });
        {
            WorkerGate gate(models_->worker());
            completion.setChoice(ownModel_); // loads, but is no longer the choice when it answers
            completion.setChoice(notAModel);
        }
        QTRY_VERIFY_WITH_TIMEOUT(completion.note().contains(QStringLiteral("recipe.gguf")) &&
                                     !completion.note().startsWith(QStringLiteral("Loading")),
                                 kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        QCoreApplication::processEvents();
        QVERIFY2(!everAvailable, "the earlier file's load made completion available");
        QVERIFY(!completion.available());
    }

    void aChatModelWithoutFimTokensCannotComplete()
    {
        LATENT_REQUIRE_SHARED(kFixtureWithoutFim);
        const QString fixture = latent::test::sharedPath(kFixtureWithoutFim);
        CompletionModel completion(*models_);
        loadChatModel(fixture);
        QVERIFY(!models_->modelFacts().value(QStringLiteral("fillInMiddle")).toBool());
        QVERIFY(!completion.available());
        QVERIFY2(completion.note().contains(QStringLiteral("llama-coder-f32.gguf")), qPrintable(completion.note()));
        QVERIFY2(completion.note().contains(QStringLiteral("DeepSeek-Coder")), qPrintable(completion.note()));

        // A completion model of its own beside it completes.
        completion.setChoice(ownModel_);
        QTRY_VERIFY_WITH_TIMEOUT(completion.available(), kTimeoutMs);
        completion.setChoice(CompletionModel::chatModel);
        QVERIFY(!completion.available());
        QVERIFY(completion.note().contains(QStringLiteral("llama-coder-f32.gguf")));
    }

    void theWorkerRefusesToCompleteWithoutFimTokens()
    {
        LATENT_REQUIRE_SHARED(kFixtureWithoutFim);
        const QString fixture = latent::test::sharedPath(kFixtureWithoutFim);
        if (models_->modelPath() != fixture)
            loadChatModel(fixture);
        models_->worker()->useChatModelForCompletion();
        EngineWorker* worker = models_->worker();
        QSignalSpy failed(worker, &EngineWorker::completionFailed);
        QSignalSpy completed(worker, &EngineWorker::completed);
        const qint64 id = worker->complete(completionAt(QStringLiteral("int main() {\n    return \n}\n"), 23));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QCOMPARE(completed.count(), 0);
        QCOMPARE(failed.first().at(0).toLongLong(), id);
        const QString message = failed.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("llama-coder-f32.gguf")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("DeepSeek-Coder")), qPrintable(message));

        // The same request on the tiny model, which has the tokens, completes.
        loadChatModel(environment_->modelPath());
        QSignalSpy failedAfter(worker, &EngineWorker::completionFailed);
        const qint64 next = worker->complete(completionAt(QStringLiteral("int main() {\n    return \n}\n"), 23));
        QTRY_COMPARE_WITH_TIMEOUT(completed.count(), 1, kTimeoutMs);
        QCOMPARE(completed.first().at(0).toLongLong(), next);
        QCOMPARE(failedAfter.count(), 0);
    }

    void theWorkerWithNoModelSaysSo()
    {
        models_->unloadModel();
        QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::NoModel, kTimeoutMs);
        EngineWorker* worker = models_->worker();
        QSignalSpy failed(worker, &EngineWorker::completionFailed);
        worker->complete(completionAt(QStringLiteral("x = "), 4));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("No model")),
                 qPrintable(failed.first().at(1).toString()));
        loadChatModel(environment_->modelPath());
    }

    void thePauseIsClampedAndPersists()
    {
        {
            CompletionModel completion(*models_);
            QSignalSpy changed(&completion, &CompletionModel::changed);
            completion.setDebounceMs(10);
            QCOMPARE(completion.debounceMs(), 50);
            completion.setDebounceMs(-5);
            QCOMPARE(completion.debounceMs(), 50);
            QCOMPARE(changed.count(), 1); // the second clamps to the same 50
            completion.setDebounceMs(60000);
            QCOMPARE(completion.debounceMs(), 2000);
            completion.setDebounceMs(2000);
            QCOMPARE(changed.count(), 2);
            completion.setDebounceMs(300);
            QCOMPARE(completion.debounceMs(), 300);
            QCOMPARE(QSettings().value(QStringLiteral("completion/debounceMs")).toInt(), 300);
        }
        QCOMPARE(CompletionModel(*models_).debounceMs(), 300);

        // A value edited out of range in the settings file is clamped when read.
        QSettings().setValue(QStringLiteral("completion/debounceMs"), 9999);
        QCOMPARE(CompletionModel(*models_).debounceMs(), 2000);
        QSettings().setValue(QStringLiteral("completion/debounceMs"), 1);
        QCOMPARE(CompletionModel(*models_).debounceMs(), 50);
    }
};

QTEST_GUILESS_MAIN(CompletionModelTest)
#include "test_completion_model.moc"
