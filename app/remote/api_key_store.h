#pragma once

#include "app/remote/api_key_file.h"

#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace latent::app::remote {

// Where the endpoints' API keys live: the platform's secret store through QtKeychain (the Secret
// Service or KWallet on Linux, the Keychain on macOS, the Credential Manager on Windows) where one
// answers, else ApiKeyFile. QtKeychain is asynchronous, and on a machine without a secret service
// (a server, CI) its jobs fail: then the key goes to the file. Reads look in the secret store
// first and in the file when it has nothing. Every call answers with one signal.
class ApiKeyStore : public QObject {
    Q_OBJECT

public:
    enum class Places { SecretStoreOrFile, FileOnly };

    // keyFile: the fallback; service: the secret store's folder of keys ("Latent", tests their own).
    ApiKeyStore(const QString& keyFile, const QString& service, Places places = Places::SecretStoreOrFile,
                QObject* parent = nullptr);

    void save(const QString& endpointName, const QString& key); // answers saved or failed
    void load(const QString& endpointName);                     // answers loaded (empty: none) or failed
    void remove(const QString& endpointName);                   // answers removed

signals:
    // inSecretStore: false when the key went to the file (which the settings page says).
    void saved(const QString& endpointName, bool inSecretStore);
    void loaded(const QString& endpointName, const QString& key);
    void removed(const QString& endpointName);
    void failed(const QString& endpointName, const QString& message);

private:
    void saveToFile(const QString& endpointName, const QString& key);
    void loadFromFile(const QString& endpointName);

    ApiKeyFile file_;
    QString service_;
    Places places_;
};

} // namespace latent::app::remote
