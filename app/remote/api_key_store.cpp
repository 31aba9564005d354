#include "app/remote/api_key_store.h"

#include <qt6keychain/keychain.h>

#include <stdexcept>

namespace latent::app::remote {

ApiKeyStore::ApiKeyStore(const QString& keyFile, const QString& service, Places places, QObject* parent)
    : QObject(parent), file_(keyFile), service_(service), places_(places) {}

void ApiKeyStore::save(const QString& endpointName, const QString& key) {
    if (places_ == Places::FileOnly) {
        saveToFile(endpointName, key);
        return;
    }
    auto* job = new QKeychain::WritePasswordJob(service_, this);
    job->setKey(endpointName);
    job->setTextData(key);
    connect(job, &QKeychain::Job::finished, this, [this, endpointName, key](QKeychain::Job* done) {
        if (done->error() != QKeychain::NoError) {
            saveToFile(endpointName, key);
            return;
        }
        try {
            file_.remove(endpointName); // an older copy must not outlive the secret store's
        } catch (const std::exception&) {
            // The file is unreadable: it holds no copy we could use either.
        }
        emit saved(endpointName, true);
    });
    job->start();
}

void ApiKeyStore::load(const QString& endpointName) {
    if (places_ == Places::FileOnly) {
        loadFromFile(endpointName);
        return;
    }
    auto* job = new QKeychain::ReadPasswordJob(service_, this);
    job->setKey(endpointName);
    connect(job, &QKeychain::Job::finished, this, [this, endpointName](QKeychain::Job* done) {
        const auto* read = static_cast<QKeychain::ReadPasswordJob*>(done);
        if (read->error() == QKeychain::NoError) {
            emit loaded(endpointName, read->textData());
        } else {
            loadFromFile(endpointName);
        }
    });
    job->start();
}

void ApiKeyStore::remove(const QString& endpointName) {
    try {
        file_.remove(endpointName);
    } catch (const std::exception&) {
        // An unreadable file holds no key we could remove; the secret store's copy still goes.
    }
    if (places_ == Places::FileOnly) {
        emit removed(endpointName);
        return;
    }
    auto* job = new QKeychain::DeletePasswordJob(service_, this);
    job->setKey(endpointName);
    connect(job, &QKeychain::Job::finished, this, [this, endpointName] { emit removed(endpointName); });
    job->start();
}

void ApiKeyStore::saveToFile(const QString& endpointName, const QString& key) {
    try {
        file_.write(endpointName, key);
        emit saved(endpointName, false);
    } catch (const std::exception& error) {
        emit failed(endpointName, QString::fromStdString(error.what()));
    }
}

void ApiKeyStore::loadFromFile(const QString& endpointName) {
    try {
        emit loaded(endpointName, file_.read(endpointName));
    } catch (const std::exception& error) {
        emit failed(endpointName, QString::fromStdString(error.what()));
    }
}

} // namespace latent::app::remote
