// The model manager on a real tiny model: loading with progress and its facts, a file that is not
// GGUF, cancelling (back to the model loaded before), replacing a load, unloading, a conversation
// longer than the context, presets, settings that persist, recent models.

#include "app/chat/engine_worker.h"
#include "app/chat/model_manager.h"
#include "app/chat/system_memory.h"
#include "app/store/chat_store.h"
#include "tests/app/app_test_environment.h"

#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace latent::app;
using latent::app::test::AppTestEnvironment;
using latent::app::test::kTimeoutMs;
using latent::app::test::WorkerGate;

class ModelManagerTest : public QObject {
    Q_OBJECT

    std::unique_ptr<AppTestEnvironment> environment_;
    std::unique_ptr<ChatStore> store_;
    std::unique_ptr<ModelManager> models_;

    QString notGguf()
    {
        const QString path = environment_->filePath(QStringLiteral("notes.gguf"));
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write("these are notes, not a model\n");
        return path;
    }

    void load(const QString& path)
    {
        models_->loadModel(path);
        QTRY_VERIFY_WITH_TIMEOUT(models_->state() != ModelManager::State::Loading, kTimeoutMs);
    }

    // A second model file, other than the environment's.
    QString otherModel()
    {
        const QString path = environment_->filePath(QStringLiteral("other-tiny.gguf"));
        if (!QFileInfo::exists(path))
            latent::writeTestModel({"llama", "tiny", latent::gguf::TensorType::F32, 9}, path.toStdString());
        return path;
    }

    // The model loaded answers: an answer of a few tokens ends normally.
    void verifyTheModelAnswers()
    {
        QSignalSpy finished(models_->worker(), &EngineWorker::finished);
        QSignalSpy failed(models_->worker(), &EngineWorker::failed);
        models_->worker()->generate({{"user", "Hello"}}, models_->generationOptions());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, kTimeoutMs);
        QCOMPARE(failed.count(), 0);
        QVERIFY(finished.first().at(2).value<AnswerStats>().generatedTokens > 0);
    }

    // What the worker says when a conversation leaves no room for an answer (the context is 512
    // at most: the tiny model's own).
    void tooLongConversation(QString& message)
    {
        QSignalSpy failed(models_->worker(), &EngineWorker::failed);
        models_->worker()->generate({{"user", QString("word ").repeated(600)}}, models_->generationOptions());
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        message = failed.first().at(1).toString();
    }

private slots:
    void initTestCase() { environment_ = std::make_unique<AppTestEnvironment>(); }

    void init()
    {
        store_ = std::make_unique<ChatStore>(environment_->newDatabasePath());
        models_ = std::make_unique<ModelManager>(*store_);
        AppTestEnvironment::useTestSettings(*models_);
    }

    void cleanup()
    {
        models_.reset();
        store_.reset();
    }

    void loadReportsProgressAndFacts()
    {
        QSignalSpy progress(models_.get(), &ModelManager::loadProgressChanged);
        models_->loadModel(QUrl::fromLocalFile(environment_->modelPath()).toString()); // as a file dialog gives it
        QCOMPARE(models_->state(), ModelManager::State::Loading);
        QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::Ready, kTimeoutMs);
        QVERIFY(progress.count() >= 2);
        QCOMPARE(models_->loadProgress(), 1.0);
        QCOMPARE(models_->modelPath(), environment_->modelPath());

        const QVariantMap facts = models_->modelFacts();
        QCOMPARE(facts.value("architecture").toString(), QString("llama"));
        QCOMPARE(facts.value("name").toString(), QString("latent-test-llama-tiny"));
        QCOMPARE(facts.value("quantization").toString(), QString("F32"));
        QVERIFY(facts.value("parameters").toLongLong() > 0);
        QVERIFY2(facts.value("parametersText").toString().endsWith('K') ||
                     facts.value("parametersText").toString().endsWith('M'),
                 qPrintable(facts.value("parametersText").toString()));
        QCOMPARE(facts.value("contextLength").toLongLong(), qint64(512));
        QCOMPARE(facts.value("contextSize").toLongLong(), qint64(512)); // 4096 asked, the model's 512 kept
        QCOMPARE(facts.value("fileSize").toLongLong(), QFileInfo(environment_->modelPath()).size());
        QVERIFY(facts.value("fileSizeText").toString().endsWith("MB") ||
                facts.value("fileSizeText").toString().endsWith("kB"));
        QVERIFY2(facts.value("backend").toString().startsWith("cpu"), qPrintable(facts.value("backend").toString()));
        QVERIFY(facts.contains("backendReason"));
        QCOMPARE(facts.value("backendReason").toString(), QString()); // the cpu was named, not chosen by auto
        QVERIFY2(facts.value("chatFormat").toString().contains("deepseek-coder"),
                 qPrintable(facts.value("chatFormat").toString()));
        QVERIFY(models_->errorMessage().isEmpty());
    }

    void inspectWithoutLoading()
    {
        const QVariantMap facts = models_->inspectModel(environment_->modelPath());
        QCOMPARE(facts.value("architecture").toString(), QString("llama"));
        QCOMPARE(facts.value("quantization").toString(), QString("F32"));
        QCOMPARE(models_->state(), ModelManager::State::NoModel);

        const QVariantMap bad = models_->inspectModel(notGguf());
        QVERIFY2(bad.value("error").toString().contains("notes.gguf"), qPrintable(bad.value("error").toString()));
    }

    void aFileThatIsNotGgufFails()
    {
        QSignalSpy failed(models_.get(), &ModelManager::loadFailed);
        load(notGguf());
        QCOMPARE(models_->state(), ModelManager::State::Failed);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains("notes.gguf"), qPrintable(message)); // the engine's message, naming the file
        QCOMPARE(models_->errorMessage(), message);
        QVERIFY(models_->modelFacts().isEmpty());
        QVERIFY(models_->recentModels().isEmpty()); // only models that loaded are remembered
    }

    void cancelLoad()
    {
        QSignalSpy failed(models_.get(), &ModelManager::loadFailed);
        {
            WorkerGate gate(models_->worker());
            models_->loadModel(environment_->modelPath());
            QCOMPARE(models_->state(), ModelManager::State::Loading);
            models_->cancelLoad();
        }
        QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::NoModel, kTimeoutMs);
        QVERIFY(models_->modelFacts().isEmpty());
        QCOMPARE(failed.count(), 0); // cancelled is not an error
    }

    // Cancelled before the worker began it: the model loaded stays, untouched.
    void cancelKeepsTheModelLoaded()
    {
        load(environment_->modelPath());
        QCOMPARE(models_->state(), ModelManager::State::Ready);
        const QVariantMap facts = models_->modelFacts();
        {
            WorkerGate gate(models_->worker());
            models_->loadModel(otherModel());
            models_->cancelLoad();
        }
        QTRY_VERIFY_WITH_TIMEOUT(models_->state() != ModelManager::State::Loading, kTimeoutMs);
        QCOMPARE(models_->state(), ModelManager::State::Ready);
        QCOMPARE(models_->modelPath(), environment_->modelPath());
        QCOMPARE(models_->modelFacts(), facts);
        QCOMPARE(models_->loadProgress(), 1.0);
        verifyTheModelAnswers();
    }

    // Cancelled halfway, after the model loaded before was freed: it is loaded again.
    void cancelHalfwayReturnsToTheModelLoadedBefore()
    {
        load(environment_->modelPath());
        const QVariantMap facts = models_->modelFacts();
        QSignalSpy failed(models_.get(), &ModelManager::loadFailed);
        EngineWorker* worker = models_->worker();
        // On the worker's thread, within the load's own progress: the next weight sees the cancel.
        const QMetaObject::Connection cancelling = connect(
            worker, &EngineWorker::loadProgress, worker,
            [worker](qint64 loadId, double fraction) {
                if (fraction < 1)
                    worker->cancelLoad(loadId);
            },
            Qt::DirectConnection);
        models_->loadModel(otherModel());
        QTRY_VERIFY_WITH_TIMEOUT(models_->state() != ModelManager::State::Loading, kTimeoutMs);
        disconnect(cancelling);
        QCOMPARE(models_->state(), ModelManager::State::Ready);
        QCOMPARE(models_->modelPath(), environment_->modelPath());
        QCOMPARE(models_->modelFacts(), facts);
        QCOMPARE(failed.count(), 0);
        verifyTheModelAnswers();
    }

    // The advice names the limit that binds: 4,096 asked of a model of 512 (the model's), and 64.
    void aConversationLongerThanTheContextSaysWhatHelps()
    {
        const auto defaultContext = qScopeGuard([&] { models_->setContextSize(4096); }); // settings persist
        QString modelBinds, settingBinds;
        models_->setContextSize(4096);
        load(environment_->modelPath());
        tooLongConversation(modelBinds);
        QVERIFY2(modelBinds.contains("model's own limit") && !modelBinds.contains("raise"), qPrintable(modelBinds));
        models_->setContextSize(64);
        load(environment_->modelPath());
        tooLongConversation(settingBinds);
        QVERIFY2(settingBinds.contains("raise the context size in Settings") && settingBinds.contains("512"),
                 qPrintable(settingBinds));
    }

    void aNewLoadReplacesTheOneLoading()
    {
        QSignalSpy failed(models_.get(), &ModelManager::loadFailed);
        {
            WorkerGate gate(models_->worker());
            models_->loadModel(notGguf());
            models_->loadModel(environment_->modelPath());
        }
        QTRY_COMPARE_WITH_TIMEOUT(models_->state(), ModelManager::State::Ready, kTimeoutMs);
        QCOMPARE(models_->modelPath(), environment_->modelPath());
        QCOMPARE(failed.count(), 0); // the first load was cancelled before it could fail
    }

    void unloadFreesTheModel()
    {
        load(environment_->modelPath());
        QCOMPARE(models_->state(), ModelManager::State::Ready);
        QSignalSpy unloaded(models_->worker(), &EngineWorker::unloaded);
        models_->unloadModel();
        QCOMPARE(models_->state(), ModelManager::State::NoModel);
        QVERIFY(models_->modelFacts().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(unloaded.count(), 1, kTimeoutMs);
    }

    void presets()
    {
        QSignalSpy errors(models_.get(), &ModelManager::errorOccurred);
        const QStringList builtIn = models_->presetNames();
        QCOMPARE(builtIn.first(), QString("Balanced"));
        QVERIFY(builtIn.contains("Precise (code)") && builtIn.contains("Creative") && builtIn.contains("Greedy"));

        models_->applyPreset("Precise (code)");
        QCOMPARE(models_->temperature(), 0.2);
        models_->setTemperature(0.33);
        models_->setTopK(7);
        models_->savePreset("  Mine ");
        QCOMPARE(errors.count(), 0);
        QVERIFY(models_->presetNames().contains("Mine"));
        QCOMPARE(models_->presetNames().mid(0, builtIn.size()), builtIn); // built-in ones first

        models_->applyPreset("Balanced");
        QCOMPARE(models_->temperature(), 0.7);
        QCOMPARE(models_->topK(), 40);
        models_->applyPreset("Mine");
        QCOMPARE(models_->temperature(), 0.33);
        QCOMPARE(models_->topK(), 7);

        models_->deletePreset("Balanced");
        QCOMPARE(errors.count(), 1);
        QVERIFY(models_->presetNames().contains("Balanced"));
        models_->savePreset("Greedy");
        QCOMPARE(errors.count(), 2);
        models_->applyPreset("Greedy");
        QCOMPARE(models_->temperature(), 0.0);
        models_->applyPreset("No such preset");
        QCOMPARE(errors.count(), 3);

        models_->deletePreset("Mine");
        QVERIFY(!models_->presetNames().contains("Mine"));
        QCOMPARE(errors.count(), 3);
    }

    // What the settings dialog shows: which presets cannot be deleted, and the one in use.
    void builtInAndCurrentPresets()
    {
        QCOMPARE(models_->builtInPresetNames(),
                 (QStringList{"Balanced", "Precise (code)", "Creative", "Greedy"}));
        QSignalSpy changed(models_.get(), &ModelManager::currentPresetChanged);
        models_->applyPreset("Precise (code)");
        QCOMPARE(models_->currentPreset(), QString("Precise (code)"));
        QVERIFY(changed.count() > 0);
        models_->setTemperature(0.41);
        QCOMPARE(models_->currentPreset(), QString()); // the user's own settings
        changed.clear();
        models_->savePreset("Warmer code");
        QCOMPARE(models_->currentPreset(), QString("Warmer code"));
        QVERIFY(changed.count() > 0);
        models_->deletePreset("Warmer code");
        QCOMPARE(models_->currentPreset(), QString());
    }

    void settingsPersist()
    {
        QSignalSpy changed(models_.get(), &ModelManager::settingsChanged);
        models_->setContextSize(1234);
        models_->setThreads(3);
        models_->setTopP(0.5);
        models_->setMaxTokens(-1);
        QCOMPARE(changed.count(), 4);
        models_.reset();
        ModelManager again(*store_);
        QCOMPARE(again.backend(), QString("cpu"));
        QCOMPARE(again.contextSize(), 1234);
        QCOMPARE(again.threads(), 3);
        QCOMPARE(again.topP(), 0.5);
        QCOMPARE(again.maxTokens(), -1);
        QCOMPARE(again.temperature(), 0.0);
        QVERIFY(again.backends().contains("auto") && again.backends().contains("cpu"));
    }

    void recentModels()
    {
        QVERIFY(models_->lastModelPath().isEmpty());
        QSignalSpy changed(models_.get(), &ModelManager::recentModelsChanged);
        load(environment_->modelPath());
        QCOMPARE(changed.count(), 1);
        const QVariantList recent = models_->recentModels();
        QCOMPARE(recent.size(), 1);
        const QVariantMap record = recent.first().toMap();
        QCOMPARE(record.value("path").toString(), environment_->modelPath());
        QCOMPARE(record.value("name").toString(), QString("latent-test-llama-tiny"));
        QCOMPARE(record.value("architecture").toString(), QString("llama"));
        QCOMPARE(record.value("quantization").toString(), QString("F32"));
        QVERIFY(!record.value("parametersText").toString().isEmpty());
        QVERIFY(!record.value("fileSizeText").toString().isEmpty());
        QCOMPARE(record.value("exists").toBool(), true);
        QCOMPARE(models_->lastModelPath(), environment_->modelPath());

        models_->forgetRecentModel(environment_->modelPath());
        QVERIFY(models_->recentModels().isEmpty());
        QVERIFY(models_->lastModelPath().isEmpty());
    }

    void availableMemoryIsKnownHere()
    {
#ifdef Q_OS_LINUX
        QVERIFY(availableMemoryBytes().value_or(0) > 0);
#else
        QSKIP("MemAvailable is read on Linux");
#endif
    }
};

QTEST_GUILESS_MAIN(ModelManagerTest)
#include "test_model_manager.moc"
