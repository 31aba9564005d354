#pragma once

#include "app/coding/completion_run.h"
#include "app/coding/ghost_text.h"

#include "ui/editor/code_editor.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace latent::app {
class EngineWorker;
struct CompletionStats;
} // namespace latent::app

namespace latent::ui {


// Completion as one types, for the editor that has the focus: the editor's events go to the
// ghost-text state machine (app/coding/ghost_text.h), and its effects come back as requests to the
// engine worker (a fill-in-the-middle completion in the worker's completion session), ghost text
// shown (growing as the completion is generated) or hidden, and accepted text inserted (one undo
// step each).
//
// The editor reports typing after the edit and the cursor move it causes, so the events of one
// turn of the event loop are gathered and reported together, in the order the state machine
// wants (the typing, then the move).
class InlineCompletion : public QObject {
    Q_OBJECT

public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic

    explicit InlineCompletion(app::EngineWorker& worker, QObject* parent = nullptr, Clock clock = {});

    void setEditor(CodeEditor* editor); // null: none (the ghost text of the last one is hidden)
    CodeEditor* editor() const { return editor_; }
    void setEnabled(bool enabled);
    bool isEnabled() const { return state_.isEnabled(); }
    void setDebounceMs(int debounceMs) { state_.setDebounceMs(debounceMs); }
    void setRequestSettings(const app::FimSettings& window, int maxTokens);

    const app::GhostText& state() const { return state_; }
    // Asks for a completion at the cursor at once, without waiting for a pause (Ctrl+Space).
    void suggestNow();

signals:
    // Ghost text went on screen, or grew (for the benchmark and tests: the time it took is
    // measured here).
    void ghostShown(const QString& text);
    // A completion could not run; message says why and what to do (a model without
    // fill-in-the-middle tokens names the models that have them).
    void failed(const QString& message);
    // A completion ended, with its sizes (the tokens it evaluated show what its cache saved).
    void completionFinished(const latent::app::CompletionStats& stats);

private:
    void forgetEditor();
    void act(const app::GhostEffects& effects);
    void settle(); // reports the editor's events of this turn of the event loop
    void requestNow();
    void onGrew(qint64 workerRequest, const QString& textSoFar);
    void onCompleted(qint64 workerRequest, const QString& text, const app::CompletionStats& stats);
    void onSkipped(qint64 workerRequest);
    void onFailed(qint64 workerRequest, const QString& message);
    void endRequest(qint64 workerRequest, const QString& text);

    app::EngineWorker& worker_;
    Clock clock_;
    app::GhostText state_;
    app::FimSettings window_;
    int maxTokens_ = 64;
    QPointer<CodeEditor> editor_;
    QList<QMetaObject::Connection> editorConnections_;
    QTimer requestTimer_;
    QTimer settleTimer_;

    // The request in flight: the state machine's number and the worker's.
    quint64 stateRequest_ = 0;
    qint64 workerRequest_ = 0;

    // The editor's events since the last settle().
    QString typed_;
    bool edited_ = false;
    bool moved_ = false;
    bool applying_ = false; // our own insertion is not the user's edit
};

} // namespace latent::ui
