#include "app/remote/remote_models.h"

#include "app/chat/model_manager.h"
#include "app/remote/endpoint_presets.h"
#include "app/remote/endpoint_store.h"
#include "app/remote/remote_engine.h"

namespace latent::app::remote {

RemoteModels::RemoteModels(ModelManager& models, QSettings& settings, ApiKeyStore& keys, QObject* parent)
    : QObject(parent), models_(models), store_(std::make_unique<EndpointStore>(settings)), keys_(keys) {
    connect(&keys_, &ApiKeyStore::loaded, this, &RemoteModels::onKeyLoaded);
    connect(&keys_, &ApiKeyStore::failed, this, &RemoteModels::onKeyFailed);
    connect(&keys_, &ApiKeyStore::saved, this, [this](const QString& name, bool inSecretStore) {
        listings_[name].keyInFile = !inSecretStore;
        emit endpointsChanged();
    });
}

RemoteModels::~RemoteModels() = default;

QVariantList RemoteModels::presets() const {
    QVariantList list;
    for (const EndpointPreset& preset : endpointPresets()) {
        list.append(QVariantMap{{QStringLiteral("kind"), preset.kind},
                                {QStringLiteral("name"), preset.name},
                                {QStringLiteral("baseUrl"), preset.baseUrl},
                                {QStringLiteral("needsKey"), preset.needsKey}});
    }
    return list;
}

QVariantList RemoteModels::endpoints() const {
    QVariantList list;
    for (const RemoteEndpoint& endpoint : store_->endpoints()) {
        const Listing listing = listings_.value(endpoint.name);
        QVariantList models;
        QList<RemoteModel> known = listing.models;
        if (known.isEmpty()) {
            // Until its list is asked for, a preset's known models (DeepSeek's API) can be chosen.
            for (const EndpointPreset& preset : endpointPresets()) {
                if (preset.kind == endpoint.kind) {
                    for (const QString& id : preset.models) {
                        known.append({id, 0});
                    }
                }
            }
        }
        for (const RemoteModel& model : known) {
            models.append(QVariantMap{{QStringLiteral("id"), model.id}, {QStringLiteral("contextSize"), model.contextSize}});
        }
        list.append(QVariantMap{{QStringLiteral("name"), endpoint.name},
                                {QStringLiteral("baseUrl"), endpoint.baseUrl},
                                {QStringLiteral("kind"), endpoint.kind},
                                {QStringLiteral("models"), models},
                                {QStringLiteral("listing"), !listing.request.isNull()},
                                {QStringLiteral("error"), listing.error},
                                {QStringLiteral("keyInFile"), listing.keyInFile}});
    }
    return list;
}

QString RemoteModels::addEndpoint(const QString& name, const QString& baseUrl, const QString& kind,
                                  const QString& apiKey) {
    const QString problem = store_->save({name, baseUrl, kind.isEmpty() ? QStringLiteral("custom") : kind, {}});
    if (!problem.isEmpty()) {
        return problem;
    }
    const QString kept = name.trimmed();
    listings_.remove(kept);
    if (!apiKey.isEmpty()) {
        keys_.save(kept, apiKey.trimmed()); // before the list asks for it: the store answers in order
    }
    emit endpointsChanged();
    listModels(kept);
    return {};
}

void RemoteModels::removeEndpoint(const QString& name) {
    store_->remove(name);
    keys_.remove(name);
    listings_.remove(name);
    emit endpointsChanged();
}

void RemoteModels::listModels(const QString& name) {
    Listing& listing = listings_[name];
    listing.error.clear();
    withKey(name, [this](const RemoteEndpoint& endpoint) {
        Listing& listing = listings_[endpoint.name];
        delete listing.request;
        auto* request = new ModelListRequest(models_.remoteEngine()->network(), endpoint, this);
        listing.request = request;
        const QString name = endpoint.name;
        connect(request, &ModelListRequest::listed, this, [this, name, request](const QList<RemoteModel>& models) {
            Listing& listing = listings_[name];
            listing.models = models;
            listing.error.clear();
            listing.request = nullptr;
            request->deleteLater();
            emit endpointsChanged();
        });
        connect(request, &ModelListRequest::failed, this, [this, name, request](const QString& message) {
            Listing& listing = listings_[name];
            listing.error = message;
            listing.request = nullptr;
            request->deleteLater();
            emit endpointsChanged();
        });
        emit endpointsChanged();
    });
}

void RemoteModels::refresh() {
    for (const RemoteEndpoint& endpoint : store_->endpoints()) {
        listModels(endpoint.name);
    }
}

void RemoteModels::chooseModel(const QString& endpointName, const QString& modelId) {
    withKey(endpointName, [this, modelId](const RemoteEndpoint& endpoint) {
        RemoteModel chosen{modelId, 0};
        for (const RemoteModel& model : listings_.value(endpoint.name).models) {
            if (model.id == modelId) {
                chosen = model;
            }
        }
        models_.chooseRemoteModel(endpoint, chosen);
    });
}

bool RemoteModels::chooseLastModel() {
    const QVariantMap last = models_.lastRemoteModel();
    const QString endpointName = last.value(QStringLiteral("endpoint")).toString();
    if (last.isEmpty() || !store_->find(endpointName)) {
        return false;
    }
    chooseModel(endpointName, last.value(QStringLiteral("model")).toString());
    return true;
}

void RemoteModels::withKey(const QString& name, std::function<void(const RemoteEndpoint&)> then) {
    if (!store_->find(name)) {
        emit errorOccurred(tr("No such endpoint"),
                           tr("There is no endpoint named %1. Add it in Settings > Remote models.").arg(name));
        return;
    }
    auto& waiting = waitingForKey_[name];
    waiting.append(std::move(then));
    if (waiting.size() == 1) {
        keys_.load(name);
    }
}

void RemoteModels::onKeyLoaded(const QString& name, const QString& key) {
    const auto waiting = waitingForKey_.take(name);
    std::optional<RemoteEndpoint> endpoint = store_->find(name);
    if (!endpoint) {
        return; // removed meanwhile
    }
    endpoint->apiKey = key;
    for (const auto& then : waiting) {
        then(*endpoint);
    }
}

void RemoteModels::onKeyFailed(const QString& name, const QString& message) {
    waitingForKey_.remove(name); // without its key nothing waiting for it can run
    listings_[name].error = message;
    emit endpointsChanged();
    emit errorOccurred(tr("The API key of %1 could not be read or kept").arg(name), message);
}

} // namespace latent::app::remote
