#pragma once

#include <QObject>
#include <QString>

namespace latent::app {

class ModelManager;

// Which model completes code as one types, and whether it can: the chat's model (the default,
// when it has fill-in-the-middle tokens), a model of its own (a DeepSeek-Coder base model beside
// a chat model), or none. Persisted in QSettings (group "completion"). `note` is the one line the
// editor shows when completion is off for a reason the user can act on.
class CompletionModel : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString choice READ choice WRITE setChoice NOTIFY changed)
    Q_PROPERTY(bool available READ available NOTIFY changed)
    Q_PROPERTY(QString note READ note NOTIFY changed)
    Q_PROPERTY(int debounceMs READ debounceMs WRITE setDebounceMs NOTIFY changed)

public:
    static const QString chatModel; // choice: the chat's model
    static const QString noModel;   // choice: completion off

    explicit CompletionModel(ModelManager& models, QObject* parent = nullptr);

    QString choice() const { return choice_; } // chatModel, noModel, or a GGUF file's path
    void setChoice(const QString& choice);
    bool available() const { return available_; }
    QString note() const { return note_; }
    int debounceMs() const { return debounceMs_; }
    void setDebounceMs(int debounceMs); // clamped to 50..2000

signals:
    void changed();

private:
    void update();
    void loadOwnModel();

    ModelManager& models_;
    QString choice_;
    int debounceMs_ = 250;
    bool ownModelReady_ = false;
    QString ownModelError_;
    bool available_ = false;
    QString note_;
};

} // namespace latent::app
