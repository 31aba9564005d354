#include "app/chat/completion_model.h"

#include "app/chat/engine_worker.h"
#include "app/chat/model_manager.h"

#include <QFileInfo>
#include <QSettings>

#include <algorithm>

namespace latent::app {
namespace {

const QString kChoiceKey = QStringLiteral("completion/model");
const QString kDebounceKey = QStringLiteral("completion/debounceMs");

} // namespace

const QString CompletionModel::chatModel = QStringLiteral("chat");
const QString CompletionModel::noModel = QStringLiteral("none");

CompletionModel::CompletionModel(ModelManager& models, QObject* parent) : QObject(parent), models_(models)
{
    const QSettings settings;
    choice_ = settings.value(kChoiceKey, chatModel).toString();
    debounceMs_ = std::clamp(settings.value(kDebounceKey, 250).toInt(), 50, 2000);
    EngineWorker* worker = models_.worker();
    connect(&models_, &ModelManager::stateChanged, this, &CompletionModel::update);
    // An answer for a file chosen before the one chosen now is old news: the worker has moved on.
    connect(worker, &EngineWorker::completionModelLoaded, this, [this](const QVariantMap& facts) {
        if (facts.value(QStringLiteral("path")).toString() != choice_)
            return;
        ownModelReady_ = true;
        ownModelError_.clear();
        update();
    });
    connect(worker, &EngineWorker::completionModelFailed, this, [this](const QString& path, const QString& message) {
        if (path != choice_)
            return;
        ownModelReady_ = false;
        ownModelError_ = message;
        update();
    });
    if (choice_ != chatModel && choice_ != noModel)
        loadOwnModel();
    update();
}

void CompletionModel::setChoice(const QString& choice)
{
    if (choice == choice_ || choice.isEmpty())
        return;
    choice_ = choice;
    QSettings().setValue(kChoiceKey, choice_);
    ownModelReady_ = false;
    ownModelError_.clear();
    if (choice_ == chatModel || choice_ == noModel)
        models_.worker()->useChatModelForCompletion();
    else
        loadOwnModel();
    update();
    emit changed(); // the choice itself
}

void CompletionModel::setDebounceMs(int debounceMs)
{
    debounceMs = std::clamp(debounceMs, 50, 2000);
    if (debounceMs == debounceMs_)
        return;
    debounceMs_ = debounceMs;
    QSettings().setValue(kDebounceKey, debounceMs_);
    emit changed();
}

// On the backend and threads the chat's model was given.
void CompletionModel::loadOwnModel()
{
    ownModelReady_ = false;
    models_.worker()->loadCompletionModel(choice_, models_.backend(), models_.threads());
}

void CompletionModel::update()
{
    bool available = false;
    QString note;
    if (choice_ == noModel) {
        note = tr("Completion as you type is off (Code ▸ Completion Model).");
    } else if (choice_ == chatModel) {
        const QVariantMap facts = models_.modelFacts();
        if (models_.state() != ModelManager::State::Ready) {
            note = tr("Completion as you type starts when a model is loaded.");
        } else if (!facts.value(QStringLiteral("fillInMiddle")).toBool()) {
            note = tr("%1 cannot complete code as you type: it has no fill-in-the-middle tokens. DeepSeek-Coder base "
                      "models and DeepSeek-Coder-V2(-Lite) have them; choose one in Code ▸ Completion Model.")
                       .arg(facts.value(QStringLiteral("fileName")).toString());
        } else {
            available = true;
        }
    } else if (!ownModelError_.isEmpty()) {
        note = ownModelError_;
    } else if (!ownModelReady_) {
        note = tr("Loading %1 for completion…").arg(QFileInfo(choice_).fileName());
    } else {
        available = true;
    }
    if (available == available_ && note == note_)
        return;
    available_ = available;
    note_ = note;
    emit changed();
}

} // namespace latent::app
