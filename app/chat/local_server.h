#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace latent::server {
class OpenAiServer;
}

namespace latent::app {

class ModelManager;

// Settings > Local server: the OpenAI-compatible server (app/server/) answering with the model the
// app has loaded, so that editors (Continue, llama.vim, llama.vscode) and scripts on this machine
// use it too. The engine worker hands the server each model it loads and takes it back before
// freeing it; the chat's answers and the server's requests take turns on the engine.
//
// Off by default. On, it listens on 127.0.0.1 only, unless "other machines" is chosen: then on
// every address, and only with the API key (made for the user when there is none). Settings persist
// in QSettings; the key in a file only the user may read (remote/api_key_file.h), never in the chat
// database.
class LocalServer : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool enabled READ enabled WRITE setEnabled NOTIFY changed)
    Q_PROPERTY(int port READ port WRITE setPort NOTIFY changed) // 0: a free one, chosen at start
    Q_PROPERTY(bool otherMachines READ otherMachines WRITE setOtherMachines NOTIFY changed)
    Q_PROPERTY(int parallel READ parallel WRITE setParallel NOTIFY changed) // requests answered at once
    Q_PROPERTY(QString apiKey READ apiKey NOTIFY changed) // empty: none asked (loopback only)
    Q_PROPERTY(bool running READ running NOTIFY changed)
    // What to paste into an editor: "http://127.0.0.1:8080/v1" while running, empty otherwise.
    Q_PROPERTY(QString address READ address NOTIFY changed)
    Q_PROPERTY(int boundPort READ boundPort NOTIFY changed) // the port listened on (0: not running)
    // Why it is not running although enabled (the port taken, the key file unreadable); empty otherwise.
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY changed)

public:
    // keyFile: where the API key is kept (the app's config folder; tests their own).
    LocalServer(ModelManager& models, QString keyFile, QObject* parent = nullptr);
    ~LocalServer() override; // stops the server, ending its requests

    bool enabled() const { return enabled_; }
    void setEnabled(bool enabled);
    int port() const { return port_; }
    void setPort(int port);
    bool otherMachines() const { return otherMachines_; }
    void setOtherMachines(bool otherMachines);
    int parallel() const { return parallel_; }
    void setParallel(int parallel);
    QString apiKey() const { return apiKey_; }
    bool running() const { return server_ != nullptr; }
    QString address() const;
    int boundPort() const { return boundPort_; }
    QString errorMessage() const { return errorMessage_; }

    // A new random key replaces the one clients use now (they must be given the new one).
    Q_INVOKABLE void makeNewKey();
    // No key any more: then only this machine may connect ("other machines" turns off).
    Q_INVOKABLE void forgetKey();

signals:
    void changed();

private:
    void restart(); // with the settings now: stops a running server, starts one if enabled
    void stop();
    void saveKey(const QString& key);
    void remember(const QString& name, const QVariant& value);

    ModelManager& models_;
    QString keyFile_;
    bool enabled_ = false;
    int port_ = 8080;
    bool otherMachines_ = false;
    int parallel_ = 1;
    QString apiKey_;
    std::shared_ptr<server::OpenAiServer> server_;
    int boundPort_ = 0;
    QString errorMessage_;
};

} // namespace latent::app
