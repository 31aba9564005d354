#pragma once

// What the app core's suites share: a real tiny model written at start (llama "tiny", F32, a
// real BPE vocabulary and DeepSeek-Coder's chat template), settings and databases in a temporary
// folder so that no test touches the user's own, and the engine's answer to compare with.

#include "app/chat/engine_worker.h"
#include "app/chat/model_manager.h"
#include "engine/model/loaded_model.h"
#include "engine/model/test_model.h"
#include "engine/session/generator.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QSemaphore>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace latent::app::test {

constexpr int kTimeoutMs = 60000; // CI machines are slow and shared

class AppTestEnvironment {
public:
    AppTestEnvironment()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LatentTests"));
        QCoreApplication::setApplicationName(QStringLiteral("latent-app-tests"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir_.filePath(QStringLiteral("settings")));
        modelPath_ = dir_.filePath(QStringLiteral("tiny-f32.gguf"));
        writeTestModel({"llama", "tiny", gguf::TensorType::F32, 5}, modelPath_.toStdString());
    }

    QString modelPath() const { return modelPath_; }
    QString filePath(const QString& name) const { return dir_.filePath(name); }
    // A new database for each test that asks, so that tests do not see each other's conversations.
    QString newDatabasePath() { return dir_.filePath(QStringLiteral("chats-%1.sqlite3").arg(++databases_)); }

    // Settings for fast, deterministic answers: greedy, a few tokens, two threads.
    static void useTestSettings(ModelManager& models, int maxTokens = 12)
    {
        models.setBackend(QStringLiteral("cpu"));
        models.setThreads(2);
        models.setTemperature(0);
        models.setMaxTokens(maxTokens);
    }

    // The usual start of a suite that needs a model: the test settings, the context size, and
    // the tiny model loaded. False (with the reason logged) when it did not load.
    bool loadTinyModel(ModelManager& models, int contextSize) const
    {
        useTestSettings(models);
        models.setContextSize(contextSize);
        models.loadModel(modelPath_);
        const bool settled =
            QTest::qWaitFor([&] { return models.state() != ModelManager::State::Loading; }, kTimeoutMs);
        if (!settled || models.state() != ModelManager::State::Ready)
            qWarning("the tiny model did not load: %s", qPrintable(models.errorMessage()));
        return models.state() == ModelManager::State::Ready;
    }

    // What the engine itself answers to a conversation, the way the app's worker runs it.
    QString engineAnswer(const std::vector<chat::ChatMessage>& messages, int maxTokens = 12) const
    {
        LoadedModel loaded = LoadedModel::open(modelPath_.toStdString(), {"cpu", 2});
        Session session(*loaded.model, {loaded.model->info().contextLength, 512});
        GenerationOptions options;
        options.maxTokens = maxTokens;
        options.sampling.temperature = 0;
        const std::vector<int32_t> prompt = loaded.chatPrompt(chatFormat(loaded), messages);
        return QString::fromStdString(generate(session, *loaded.tokenizer, prompt, options, {}).text);
    }

    // The tokens of a conversation's prompt in the model's chat format.
    int engineTokenCount(const std::vector<chat::ChatMessage>& messages) const
    {
        const LoadedModel loaded = LoadedModel::open(modelPath_.toStdString(), {"cpu", 1});
        return int(loaded.chatPrompt(chatFormat(loaded), messages).size());
    }

private:
    static chat::ChatFormat chatFormat(const LoadedModel& loaded)
    {
        return chat::chooseChatFormat(loaded.file->metadata(), std::nullopt).format;
    }

    QTemporaryDir dir_;
    QString modelPath_;
    int databases_ = 0;
};

// Holds the worker thread until released, so that what the UI thread queues meanwhile (a load
// and its cancellation) reaches the worker in a known order, whatever the machine's speed.
class WorkerGate {
public:
    explicit WorkerGate(EngineWorker* worker)
    {
        QMetaObject::invokeMethod(worker, [open = open_] { open->acquire(); }, Qt::QueuedConnection);
    }
    ~WorkerGate() { release(); }
    void release()
    {
        if (!released_)
            open_->release();
        released_ = true;
    }

private:
    std::shared_ptr<QSemaphore> open_ = std::make_shared<QSemaphore>();
    bool released_ = false;
};

} // namespace latent::app::test
