#pragma once

#include "app/remote/api_key_store.h"
#include "app/remote/model_list_request.h"
#include "app/remote/remote_endpoint.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QVariantList>

#include <functional>

class QSettings;

namespace latent::app {
class ModelManager;
}

namespace latent::app::remote {

class EndpointStore;

// What Settings > Remote models and the model picker show of remote engines, and what they do: add an
// endpoint (from a preset or by hand, its key to ApiKeyStore), list its models (Test), remove it,
// and make one of its models the chat's. Lists are asked for when the user asks (Test, or the
// picker opening), never at start: an endpoint on the internet hears from the app only then.
class RemoteModels : public QObject {
    Q_OBJECT
    // Each: {kind, name, baseUrl, needsKey}.
    Q_PROPERTY(QVariantList presets READ presets CONSTANT)
    // Each: {name, baseUrl, kind, models: [{id, contextSize}], listing (bool), error (the last
    // list's failure, in plain words), keyInFile (bool: the key went to the file, not a secret store)}.
    Q_PROPERTY(QVariantList endpoints READ endpoints NOTIFY endpointsChanged)

public:
    RemoteModels(ModelManager& models, QSettings& settings, ApiKeyStore& keys, QObject* parent = nullptr);
    ~RemoteModels() override;

    QVariantList presets() const;
    QVariantList endpoints() const;

    // Returns what is wrong with the endpoint (empty: it was saved, then its models are listed).
    // An empty apiKey keeps the key it had.
    Q_INVOKABLE QString addEndpoint(const QString& name, const QString& baseUrl, const QString& kind,
                                    const QString& apiKey);
    Q_INVOKABLE void removeEndpoint(const QString& name);
    Q_INVOKABLE void listModels(const QString& name);
    Q_INVOKABLE void refresh(); // every endpoint's list
    // Makes modelId on the endpoint the chat's model, once its key is read.
    Q_INVOKABLE void chooseModel(const QString& endpointName, const QString& modelId);
    // Chooses again the remote model chosen last (ModelManager::lastRemoteModel), when there is one
    // and its endpoint is still there; false otherwise. Nothing is sent to the endpoint.
    bool chooseLastModel();

signals:
    void endpointsChanged();
    void errorOccurred(const QString& title, const QString& message);

private:
    struct Listing {
        QList<RemoteModel> models;
        QString error;
        bool keyInFile = false;
        QPointer<ModelListRequest> request;
    };

    // Runs then with the endpoint and its key (read from ApiKeyStore), or reports the failure.
    void withKey(const QString& name, std::function<void(const RemoteEndpoint&)> then);
    void onKeyLoaded(const QString& name, const QString& key);
    void onKeyFailed(const QString& name, const QString& message);

    ModelManager& models_;
    std::unique_ptr<EndpointStore> store_;
    ApiKeyStore& keys_;
    QHash<QString, Listing> listings_;
    QHash<QString, QList<std::function<void(const RemoteEndpoint&)>>> waitingForKey_;
};

} // namespace latent::app::remote
