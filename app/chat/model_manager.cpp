#include "app/chat/model_manager.h"

#include "app/chat/engine_worker.h"
#include "app/chat/filesystem_path.h"
#include "app/chat/model_facts.h"
#include "app/remote/remote_engine.h"
#include "app/store/chat_store.h"
#include "engine/backend/create_backend.h"
#include "engine/core/error.h"
#include "engine/gguf/gguf_file.h"

#include <QFileInfo>
#include <QRandomGenerator>
#include <QSettings>
#include <QUrl>

#include <algorithm>

namespace latent::app {
namespace {

const QString kGroup = QStringLiteral("engine");
constexpr int kDefaultContextSize = 4096;
constexpr int kDefaultMaxTokens = 2048;

// A path, or a file: URL as QML's file dialogs give them.
QString localPath(const QString& pathOrUrl)
{
    const QUrl url(pathOrUrl);
    return url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
}

QVariant setting(const QString& key, const QVariant& fallback)
{
    QSettings settings;
    settings.beginGroup(kGroup);
    return settings.value(key, fallback);
}

} // namespace

ModelManager::ModelManager(ChatStore& store, QObject* parent) : QObject(parent), store_(store)
{
    const SamplingSettings defaults = builtInPresets().front().settings;
    backend_ = setting(QStringLiteral("backend"), QStringLiteral("auto")).toString();
    threads_ = setting(QStringLiteral("threads"), 0).toInt();
    contextSize_ = setting(QStringLiteral("contextSize"), kDefaultContextSize).toInt();
    sampling_.temperature = setting(QStringLiteral("temperature"), defaults.temperature).toDouble();
    sampling_.topK = setting(QStringLiteral("topK"), defaults.topK).toInt();
    sampling_.topP = setting(QStringLiteral("topP"), defaults.topP).toDouble();
    sampling_.minP = setting(QStringLiteral("minP"), defaults.minP).toDouble();
    sampling_.repeatPenalty = setting(QStringLiteral("repeatPenalty"), defaults.repeatPenalty).toDouble();
    maxTokens_ = setting(QStringLiteral("maxTokens"), kDefaultMaxTokens).toInt();

    worker_ = new EngineWorker;
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &EngineWorker::loadProgress, this, &ModelManager::onLoadProgress);
    connect(worker_, &EngineWorker::loaded, this, &ModelManager::onLoaded);
    connect(worker_, &EngineWorker::loadFailed, this, &ModelManager::onLoadFailed);
    connect(worker_, &EngineWorker::loadCancelled, this, &ModelManager::onLoadCancelled);
    thread_.setObjectName(QStringLiteral("engine"));
    thread_.start();
    remote_ = new remote::RemoteEngine(this);

    // Either can make another preset (or none) the one the settings match.
    connect(this, &ModelManager::settingsChanged, this, &ModelManager::currentPresetChanged);
    connect(this, &ModelManager::presetsChanged, this, &ModelManager::currentPresetChanged);
}

ModelManager::~ModelManager()
{
    worker_->cancelLoad(loadId_);
    worker_->stopAnswers();
    thread_.quit();
    thread_.wait(); // the worker is deleted as the thread finishes, freeing the model
}

GenerationOptions ModelManager::generationOptions() const
{
    GenerationOptions options;
    options.maxTokens = maxTokens();
    options.sampling.temperature = float(temperature());
    options.sampling.topK = topK();
    options.sampling.topP = float(topP());
    options.sampling.minP = float(minP());
    options.sampling.repeatPenalty = float(repeatPenalty());
    options.sampling.seed = QRandomGenerator::global()->generate64();
    return options;
}

void ModelManager::setState(State state)
{
    state_ = state;
    emit stateChanged();
}

QVariantList ModelManager::recentModels() const
{
    QVariantList models;
    try {
        for (const ModelRecord& record : store_.recentModels()) {
            models.append(QVariantMap{
                {QStringLiteral("path"), record.path},
                {QStringLiteral("name"), record.name.isEmpty() ? QFileInfo(record.path).fileName() : record.name},
                {QStringLiteral("architecture"), record.architecture},
                {QStringLiteral("quantization"), record.quantization},
                {QStringLiteral("parametersText"), parametersText(record.parameters)},
                {QStringLiteral("fileSizeText"), fileSizeText(record.fileSize)},
                {QStringLiteral("exists"), QFileInfo::exists(record.path)},
            });
        }
    } catch (const StoreError& error) {
        qWarning("the recent models could not be read: %s", error.what());
    }
    return models;
}

AnswerEngine* ModelManager::answerEngine() const
{
    return remoteChosen_ ? static_cast<AnswerEngine*>(remote_) : worker_;
}

QList<AnswerEngine*> ModelManager::answerEngines() const
{
    return {worker_, remote_};
}

QString ModelManager::answeringModel() const
{
    return remoteChosen_ ? remote_->answeredBy() : QFileInfo(modelPath_).fileName();
}

void ModelManager::chooseRemoteModel(const remote::RemoteEndpoint& endpoint, const remote::RemoteModel& model)
{
    if (state_ == State::Loading)
        worker_->cancelLoad(loadId_);
    loadId_ = 0; // what the worker still says about a load is old news
    remote_->clear();
    remote_->choose(endpoint, model);
    remoteChosen_ = true;
    rememberRemoteModel(endpoint.name, model.id);
    modelPath_.clear();
    modelFacts_ = QVariantMap{
        {QStringLiteral("name"), model.id},
        {QStringLiteral("endpoint"), endpoint.name},
        {QStringLiteral("backend"), QStringLiteral("remote")},
        {QStringLiteral("remote"), true},
        {QStringLiteral("answeredBy"), remote_->answeredBy()},
    };
    if (model.contextSize > 0)
        modelFacts_.insert(QStringLiteral("contextSize"), model.contextSize);
    errorMessage_.clear();
    loadProgress_ = 1;
    emit loadProgressChanged();
    setState(State::Ready);
}

void ModelManager::loadModel(const QString& pathOrUrl)
{
    const QString path = localPath(pathOrUrl);
    remote_->clear();
    remoteChosen_ = false;
    rememberRemoteModel({}, {});
    if (state_ == State::Loading)
        worker_->cancelLoad(loadId_);
    worker_->stopAnswers(); // the worker runs one thing at a time: an answer would hold the load up
    modelPath_ = path;
    modelFacts_.clear();
    errorMessage_.clear();
    loadProgress_ = 0;
    emit loadProgressChanged();
    loadId_ = worker_->load(path, backend_, threads_, contextSize_);
    setState(State::Loading);
}

void ModelManager::cancelLoad()
{
    if (state_ == State::Loading)
        worker_->cancelLoad(loadId_); // the state changes when the worker answers
}

void ModelManager::unloadModel()
{
    if (state_ == State::Loading)
        worker_->cancelLoad(loadId_);
    worker_->stopAnswers();
    worker_->unload();
    remote_->clear();
    remoteChosen_ = false;
    rememberRemoteModel({}, {});
    loadId_ = 0; // what the worker still says about that load is old news
    modelPath_.clear();
    modelFacts_.clear();
    loadProgress_ = 0;
    emit loadProgressChanged();
    setState(State::NoModel);
}

void ModelManager::onLoadProgress(qint64 loadId, double fraction)
{
    if (loadId != loadId_)
        return;
    loadProgress_ = fraction;
    emit loadProgressChanged();
}

void ModelManager::onLoaded(qint64 loadId, const QVariantMap& facts)
{
    if (loadId != loadId_)
        return;
    modelFacts_ = facts;
    loadProgress_ = 1;
    emit loadProgressChanged();
    recordModel(facts);
    setState(State::Ready);
}

void ModelManager::onLoadFailed(qint64 loadId, const QString& message)
{
    if (loadId != loadId_)
        return;
    errorMessage_ = message;
    modelFacts_.clear();
    setState(State::Failed);
    emit loadFailed(message);
}

void ModelManager::onLoadCancelled(qint64 loadId, const QVariantMap& facts)
{
    if (loadId != loadId_)
        return;
    modelFacts_ = facts; // the model loaded before, which the worker keeps or loaded again
    modelPath_ = facts.value(QStringLiteral("path")).toString();
    loadProgress_ = facts.isEmpty() ? 0 : 1;
    emit loadProgressChanged();
    setState(facts.isEmpty() ? State::NoModel : State::Ready);
}

void ModelManager::recordModel(const QVariantMap& facts)
{
    ModelRecord record;
    record.path = modelPath_;
    record.name = facts.value(QStringLiteral("name")).toString();
    record.architecture = facts.value(QStringLiteral("architecture")).toString();
    record.quantization = facts.value(QStringLiteral("quantization")).toString();
    record.parameters = facts.value(QStringLiteral("parameters")).toLongLong();
    record.contextLength = facts.value(QStringLiteral("contextLength")).toLongLong();
    record.fileSize = facts.value(QStringLiteral("fileSize")).toLongLong();
    try {
        store_.recordModel(record);
        emit recentModelsChanged();
    } catch (const StoreError& error) {
        emit errorOccurred(tr("The recent models list was not updated"), QString::fromUtf8(error.what()));
    }
}

void ModelManager::forgetRecentModel(const QString& path)
{
    try {
        store_.forgetModel(localPath(path));
        emit recentModelsChanged();
    } catch (const StoreError& error) {
        emit errorOccurred(tr("The model was not removed from the list"), QString::fromUtf8(error.what()));
    }
}

QVariantMap ModelManager::inspectModel(const QString& pathOrUrl) const
{
    try {
        const QString path = localPath(pathOrUrl);
        return modelFileFacts(gguf::GgufFile::open(filesystemPath(path)), path);
    } catch (const std::exception& error) {
        return {{QStringLiteral("error"), QString::fromUtf8(error.what())}};
    }
}

QString ModelManager::lastModelPath() const
{
    const QVariantList recent = recentModels();
    if (recent.isEmpty() || !recent.front().toMap().value(QStringLiteral("exists")).toBool())
        return {};
    return recent.front().toMap().value(QStringLiteral("path")).toString();
}

QVariantMap ModelManager::lastRemoteModel() const
{
    const QString endpoint = setting(QStringLiteral("remoteEndpoint"), QString()).toString();
    const QString model = setting(QStringLiteral("remoteModel"), QString()).toString();
    if (endpoint.isEmpty() || model.isEmpty())
        return {};
    return {{QStringLiteral("endpoint"), endpoint}, {QStringLiteral("model"), model}};
}

void ModelManager::rememberRemoteModel(const QString& endpoint, const QString& model)
{
    QSettings settings;
    settings.beginGroup(kGroup);
    settings.setValue(QStringLiteral("remoteEndpoint"), endpoint);
    settings.setValue(QStringLiteral("remoteModel"), model);
}

// --- presets ---

QStringList ModelManager::presetNames() const
{
    QStringList names = builtInPresetNames();
    try {
        for (const Preset& preset : store_.presets()) {
            if (!names.contains(preset.name))
                names.append(preset.name);
        }
    } catch (const StoreError& error) {
        qWarning("the presets could not be read: %s", error.what());
    }
    return names;
}

QStringList ModelManager::builtInPresetNames() const
{
    QStringList names;
    for (const SamplingPreset& preset : builtInPresets())
        names.append(preset.name);
    return names;
}

QString ModelManager::currentPreset() const
{
    for (const QString& name : presetNames()) {
        try {
            if (presetSettings(name) == sampling_)
                return name;
        } catch (const StoreError& error) {
            qWarning("the preset %s could not be read: %s", qPrintable(name), error.what());
        }
    }
    return {};
}

std::optional<SamplingSettings> ModelManager::presetSettings(const QString& name) const
{
    for (const SamplingPreset& preset : builtInPresets()) {
        if (preset.name == name)
            return preset.settings;
    }
    for (const Preset& preset : store_.presets()) {
        if (preset.name == name)
            return SamplingSettings::fromJson(preset.settingsJson, sampling_);
    }
    return std::nullopt;
}

void ModelManager::applyPreset(const QString& name)
{
    try {
        if (const std::optional<SamplingSettings> settings = presetSettings(name))
            setSampling(*settings);
        else
            emit errorOccurred(tr("No such preset"), tr("There is no preset named \"%1\".").arg(name));
    } catch (const StoreError& error) {
        emit errorOccurred(tr("The preset could not be read"), QString::fromUtf8(error.what()));
    }
}

void ModelManager::savePreset(const QString& name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) {
        emit errorOccurred(tr("The preset has no name"), tr("Type a name for the preset, then save it."));
        return;
    }
    for (const SamplingPreset& preset : builtInPresets()) {
        if (preset.name == trimmed) {
            emit errorOccurred(tr("Built-in presets cannot be changed"),
                               tr("\"%1\" is built in: save your settings under another name.").arg(trimmed));
            return;
        }
    }
    try {
        store_.savePreset({trimmed, sampling_.toJson()});
        emit presetsChanged();
    } catch (const StoreError& error) {
        emit errorOccurred(tr("The preset was not saved"), QString::fromUtf8(error.what()));
    }
}

void ModelManager::deletePreset(const QString& name)
{
    for (const SamplingPreset& preset : builtInPresets()) {
        if (preset.name == name) {
            emit errorOccurred(tr("Built-in presets cannot be deleted"),
                               tr("\"%1\" comes with Latent and stays; you can delete presets you saved.").arg(name));
            return;
        }
    }
    try {
        store_.deletePreset(name);
        emit presetsChanged();
    } catch (const StoreError& error) {
        emit errorOccurred(tr("The preset was not deleted"), QString::fromUtf8(error.what()));
    }
}

// --- settings ---

void ModelManager::saveSetting(const QString& key, const QVariant& value)
{
    QSettings settings;
    settings.beginGroup(kGroup);
    settings.setValue(key, value);
    emit settingsChanged();
}

void ModelManager::setSampling(const SamplingSettings& sampling)
{
    setTemperature(sampling.temperature);
    setTopK(sampling.topK);
    setTopP(sampling.topP);
    setMinP(sampling.minP);
    setRepeatPenalty(sampling.repeatPenalty);
}

QString ModelManager::backend() const { return backend_; }
int ModelManager::threads() const { return threads_; }
int ModelManager::contextSize() const { return contextSize_; }
double ModelManager::temperature() const { return sampling_.temperature; }
int ModelManager::topK() const { return sampling_.topK; }
double ModelManager::topP() const { return sampling_.topP; }
double ModelManager::minP() const { return sampling_.minP; }
double ModelManager::repeatPenalty() const { return sampling_.repeatPenalty; }
int ModelManager::maxTokens() const { return maxTokens_; }

QStringList ModelManager::backends() const
{
    QStringList names{QStringLiteral("auto")};
    for (std::string_view name : availableBackends())
        names.append(QString::fromUtf8(name.data(), qsizetype(name.size())));
    return names;
}

template <typename T>
void ModelManager::updateSetting(T& field, T value, const QString& key)
{
    if (value == field)
        return;
    field = value;
    saveSetting(key, QVariant::fromValue(value));
}

// Values out of range are brought into it: the settings page's controls have these ranges too.
void ModelManager::setBackend(const QString& value)
{
    updateSetting(backend_, value, QStringLiteral("backend"));
}

void ModelManager::setThreads(int value)
{
    updateSetting(threads_, std::clamp(value, 0, 1024), QStringLiteral("threads"));
}

void ModelManager::setContextSize(int value)
{
    updateSetting(contextSize_, std::clamp(value, 16, 1 << 20), QStringLiteral("contextSize"));
}

void ModelManager::setTemperature(double value)
{
    updateSetting(sampling_.temperature, std::clamp(value, 0.0, 5.0), QStringLiteral("temperature"));
}

void ModelManager::setTopK(int value)
{
    updateSetting(sampling_.topK, std::max(value, 0), QStringLiteral("topK"));
}

void ModelManager::setTopP(double value)
{
    updateSetting(sampling_.topP, std::clamp(value, 0.0, 1.0), QStringLiteral("topP"));
}

void ModelManager::setMinP(double value)
{
    updateSetting(sampling_.minP, std::clamp(value, 0.0, 1.0), QStringLiteral("minP"));
}

void ModelManager::setRepeatPenalty(double value)
{
    updateSetting(sampling_.repeatPenalty, std::clamp(value, 0.5, 2.0), QStringLiteral("repeatPenalty"));
}

void ModelManager::setMaxTokens(int value)
{
    // -1: until the context is full; 0 would be an answer of nothing.
    updateSetting(maxTokens_, value == 0 ? 1 : std::max(value, -1), QStringLiteral("maxTokens"));
}

} // namespace latent::app
