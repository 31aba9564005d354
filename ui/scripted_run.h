#pragma once

#include <QObject>
#include <QString>

namespace latent::app {
class ChatController;
class ModelManager;
} // namespace latent::app

namespace latent::ui {

class MainWindow;

// What `latent --send TEXT --screenshot FILE` does for scripts (the README's screenshot, smoke
// tests): once the model is ready, sends the text; once the answer is complete (or, with nothing
// to send, once the model is ready or absent) waits for the scene to render, saves the window as
// a PNG and quits. With suggestLine (from 1), it first asks for a completion at the end of that
// line of the file open in the editor and waits for its ghost text (or for the model to have
// nothing to suggest there, which it reports). An answer cut short by the limit of an answer or a
// full context is still an answer: the picture is taken, status 0, the reason on stderr. Any other
// error goes to stderr and quits with status 1.
class ScriptedRun : public QObject {
    Q_OBJECT

public:
    ScriptedRun(app::ChatController& chat, app::ModelManager& models, MainWindow& window, QString send,
                QString screenshot, int suggestLine = 0, QObject* parent = nullptr);

    // Call after the model's load was asked for (or not, when there is none), before the event loop.
    void start();

private:
    void onModelState();
    void onAnswerDone();
    void onError(const QString& title, const QString& message);
    void suggestThenFinish();
    void finishAfterNextFrame();
    void finish();
    void fail(const QString& message);

    app::ChatController& chat_;
    app::ModelManager& models_;
    MainWindow& window_;
    QString send_;
    QString screenshot_;
    int suggestLine_ = 0;
    bool sent_ = false;
    bool contextFilled_ = false; // the answer ended on a full context: the error that follows is why
    bool finishing_ = false;
    bool failed_ = false;
};

} // namespace latent::ui
