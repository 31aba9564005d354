#pragma once

#include "app/chat/sampling_preset.h"
#include "app/remote/remote_endpoint.h"
#include "app/remote/model_list_request.h"
#include "engine/session/generator.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <QVariantList>
#include <QVariantMap>

#include <optional>

namespace latent::app {

class AnswerEngine;
class ChatStore;
class EngineWorker;
namespace remote {
class RemoteEngine;
}

// The model the app runs and the settings it runs with. It owns the engine worker and its thread:
// loading happens there, with progress and Cancel, and the UI thread only ever sends queued
// signals to it. Settings (backend, threads, context size, sampling) persist in QSettings; named
// presets of them live in the ChatStore.
class ModelManager : public QObject {
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadProgressChanged) // 0..1
    Q_PROPERTY(QString modelPath READ modelPath NOTIFY stateChanged)
    // architecture, name, parameters (qint64), parametersText ("6.7B"), quantization ("Q4_K_M"),
    // contextLength (the model's own), contextSize (the context it runs with: the smaller of the
    // setting and contextLength, the number the UI shows), fileSize (bytes), fileSizeText ("3.8 GB"),
    // backend (the device chosen), backendReason (why "auto" chose it; empty for a named backend),
    // chatFormat; empty when no model is loaded. For a remote model: name (the model's id),
    // endpoint (its name), backend "remote", remote (true), answeredBy ("model @ endpoint") and
    // contextSize when the server said it (absent: unknown).
    Q_PROPERTY(QVariantMap modelFacts READ modelFacts NOTIFY stateChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY stateChanged) // of the last failed load
    // Each: {path, name, architecture, quantization, parametersText, fileSizeText, exists (bool)}.
    Q_PROPERTY(QVariantList recentModels READ recentModels NOTIFY recentModelsChanged)

    // Settings, applied at the next load (backend, threads, contextSize) or the next answer.
    Q_PROPERTY(QString backend READ backend WRITE setBackend NOTIFY settingsChanged) // "auto", "cpu", ...
    Q_PROPERTY(QStringList backends READ backends CONSTANT)
    Q_PROPERTY(int threads READ threads WRITE setThreads NOTIFY settingsChanged) // 0: the physical cores
    Q_PROPERTY(int contextSize READ contextSize WRITE setContextSize NOTIFY settingsChanged) // tokens
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY settingsChanged)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY settingsChanged)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY settingsChanged)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY settingsChanged)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY settingsChanged)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY settingsChanged) // -1: until full
    Q_PROPERTY(QStringList presetNames READ presetNames NOTIFY presetsChanged) // built-in ones first
    Q_PROPERTY(QStringList builtInPresetNames READ builtInPresetNames CONSTANT) // cannot be deleted
    // The preset the sampling settings are now ("" when they match none): the one in use.
    Q_PROPERTY(QString currentPreset READ currentPreset NOTIFY currentPresetChanged)

public:
    enum class State { NoModel, Loading, Ready, Failed };
    Q_ENUM(State)

    ModelManager(ChatStore& store, QObject* parent = nullptr);
    ~ModelManager() override; // stops the worker thread (cancelling a load or an answer)

    EngineWorker* worker() const { return worker_; }
    remote::RemoteEngine* remoteEngine() const { return remote_; }
    // What answers now: the remote model chosen, else the local engine.
    AnswerEngine* answerEngine() const;
    QList<AnswerEngine*> answerEngines() const; // both: a listener takes its own ids from either
    bool isRemote() const { return remoteChosen_; }
    // The model that answers, as a message keeps it: the file's name, or "model @ endpoint".
    QString answeringModel() const;
    // Answers come from model on endpoint (with its key) until a local model is loaded; the local
    // model stays loaded (the editor's completions use it).
    void chooseRemoteModel(const remote::RemoteEndpoint& endpoint, const remote::RemoteModel& model);

    State state() const { return state_; }
    double loadProgress() const { return loadProgress_; }
    QString modelPath() const { return modelPath_; }
    QVariantMap modelFacts() const { return modelFacts_; }
    QString errorMessage() const { return errorMessage_; }
    QVariantList recentModels() const;

    // Loads a GGUF file (a path or a file: URL) on the worker thread, replacing the model loaded.
    Q_INVOKABLE void loadModel(const QString& pathOrUrl);
    Q_INVOKABLE void cancelLoad(); // back to the model loaded before, if any
    Q_INVOKABLE void unloadModel(); // frees the model's memory (an answer streaming is stopped)
    Q_INVOKABLE void forgetRecentModel(const QString& path);
    // The facts of a file without loading it (the same keys as modelFacts, or {error: message}).
    Q_INVOKABLE QVariantMap inspectModel(const QString& pathOrUrl) const;
    // The last model loaded, when it still exists (the app reloads it at start); empty otherwise.
    Q_INVOKABLE QString lastModelPath() const;
    // The remote model chosen last, when no local file was loaded after it (the app chooses it
    // again at start): {endpoint, model}; empty otherwise.
    QVariantMap lastRemoteModel() const;

    Q_INVOKABLE void applyPreset(const QString& name);
    // The current sampling settings (temperature, topK, topP, minP, repeatPenalty) under a name.
    Q_INVOKABLE void savePreset(const QString& name);
    Q_INVOKABLE void deletePreset(const QString& name); // built-in presets cannot be deleted

    QString backend() const;
    QStringList backends() const;
    int threads() const;
    int contextSize() const;
    double temperature() const;
    int topK() const;
    double topP() const;
    double minP() const;
    double repeatPenalty() const;
    int maxTokens() const;
    // The settings above as the engine takes them, with a new seed each time (so that
    // regenerating gives another answer; greedy ignores it).
    GenerationOptions generationOptions() const;
    QStringList presetNames() const;
    QStringList builtInPresetNames() const;
    QString currentPreset() const;
    void setBackend(const QString& value);
    void setThreads(int value);
    void setContextSize(int value);
    void setTemperature(double value);
    void setTopK(int value);
    void setTopP(double value);
    void setMinP(double value);
    void setRepeatPenalty(double value);
    void setMaxTokens(int value);

signals:
    void stateChanged();
    void loadProgressChanged();
    void recentModelsChanged();
    void settingsChanged();
    void presetsChanged();
    void currentPresetChanged();
    // A load failed or was refused: the engine's message and what to do, for the UI to show.
    void loadFailed(const QString& message);
    // Anything else the user should see (a preset refused, the database failing): a short title,
    // and the message with what to do.
    void errorOccurred(const QString& title, const QString& message);

private:
    void setState(State state);
    void onLoadProgress(qint64 loadId, double fraction);
    void onLoaded(qint64 loadId, const QVariantMap& facts);
    void onLoadFailed(qint64 loadId, const QString& message);
    void onLoadCancelled(qint64 loadId, const QVariantMap& facts);
    void recordModel(const QVariantMap& facts);
    void setSampling(const SamplingSettings& sampling);
    void saveSetting(const QString& key, const QVariant& value);
    void rememberRemoteModel(const QString& endpoint, const QString& model); // empty: none
    template <typename T>
    void updateSetting(T& field, T value, const QString& key); // saves it when it changed
    std::optional<SamplingSettings> presetSettings(const QString& name) const;

    ChatStore& store_;
    QThread thread_;
    EngineWorker* worker_ = nullptr;
    remote::RemoteEngine* remote_ = nullptr;
    bool remoteChosen_ = false;
    State state_ = State::NoModel;
    double loadProgress_ = 0;
    QString modelPath_;
    QVariantMap modelFacts_;
    QString errorMessage_;
    qint64 loadId_ = 0; // the worker's id of the load in progress or done; 0: none

    QString backend_;
    int threads_ = 0;
    int contextSize_ = 0;
    SamplingSettings sampling_;
    int maxTokens_ = 0;
};

} // namespace latent::app
