#include "ui/editor/inline_completion.h"

#include "app/chat/engine_worker.h"
#include "ui/editor/code_editor.h"

#include <QElapsedTimer>

#include <algorithm>

namespace latent::ui {
namespace {

InlineCompletion::Clock monotonicClock()
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return [timer] { return timer->elapsed(); };
}

} // namespace

InlineCompletion::InlineCompletion(app::EngineWorker& worker, QObject* parent, Clock clock)
    : QObject(parent), worker_(worker), clock_(clock ? std::move(clock) : monotonicClock())
{
    requestTimer_.setSingleShot(true);
    // A coarse timer may fire up to 5% early, before the state machine's request is due.
    requestTimer_.setTimerType(Qt::PreciseTimer);
    connect(&requestTimer_, &QTimer::timeout, this, &InlineCompletion::requestNow);
    settleTimer_.setSingleShot(true);
    settleTimer_.setInterval(0);
    connect(&settleTimer_, &QTimer::timeout, this, &InlineCompletion::settle);
    connect(&worker_, &app::EngineWorker::completionGrew, this, &InlineCompletion::onGrew);
    connect(&worker_, &app::EngineWorker::completed, this, &InlineCompletion::onCompleted);
    connect(&worker_, &app::EngineWorker::completionSkipped, this, &InlineCompletion::onSkipped);
    connect(&worker_, &app::EngineWorker::completionFailed, this, &InlineCompletion::onFailed);
}

void InlineCompletion::setEditor(CodeEditor* editor)
{
    if (editor == editor_)
        return;
    if (editor_) {
        for (const QMetaObject::Connection& connection : editorConnections_)
            disconnect(connection);
        editor_->setGhostText({});
    }
    forgetEditor();
    editor_ = editor;
    if (!editor)
        return;
    const auto later = [this] {
        if (!applying_)
            settleTimer_.start();
    };
    editorConnections_ << connect(editor, &CodeEditor::textChanged, this, [this, later] {
        edited_ = edited_ || !applying_;
        later();
    });
    editorConnections_ << connect(editor, &CodeEditor::cursorMoved, this, [this, later] {
        moved_ = moved_ || !applying_;
        later();
    });
    editorConnections_ << connect(editor, &CodeEditor::typed, this, [this, later](const QString& text) {
        typed_ += text;
        later();
    });
    editorConnections_ << connect(editor, &CodeEditor::ghostKeyPressed, this, [this](GhostKey key) {
        settle(); // what was typed before the key counts first
        switch (key) {
        case GhostKey::AcceptAll: act(state_.acceptAll(clock_())); break;
        case GhostKey::AcceptWord: act(state_.acceptWord(clock_())); break;
        case GhostKey::Dismiss: act(state_.dismiss()); break;
        }
    });
    // By now editor_ reads null (a QPointer), so setEditor(nullptr) would see no change.
    editorConnections_ << connect(editor, &QObject::destroyed, this, &InlineCompletion::forgetEditor);
}

// Drops the suggestion, the request and the events of the editor left (or destroyed).
void InlineCompletion::forgetEditor()
{
    editorConnections_.clear();
    act(state_.dismiss());
    typed_.clear();
    edited_ = moved_ = false;
}

void InlineCompletion::setEnabled(bool enabled)
{
    act(state_.setEnabled(enabled));
}

void InlineCompletion::setRequestSettings(const app::FimSettings& window, int maxTokens)
{
    window_ = window;
    maxTokens_ = maxTokens;
}

void InlineCompletion::settle()
{
    settleTimer_.stop();
    if (!editor_)
        return;
    const int cursor = editor_->cursorOffset();
    const qint64 now = clock_();
    // The typing (or the edit) first, then the move it made, as GhostText wants them.
    if (!typed_.isEmpty())
        act(state_.onTyped(typed_, cursor, now));
    else if (edited_)
        act(state_.onEdited(cursor, now));
    if (moved_ || !typed_.isEmpty() || edited_)
        act(state_.onCursorMoved(cursor));
    typed_.clear();
    edited_ = moved_ = false;
}

void InlineCompletion::act(const app::GhostEffects& effects)
{
    if (effects.cancelInFlight && workerRequest_) {
        worker_.cancelCompletion(workerRequest_);
        workerRequest_ = 0;
    }
    if (!effects.insert.isEmpty() && editor_) {
        applying_ = true;
        editor_->insertAtCursor(effects.insert);
        applying_ = false;
    }
    if (effects.suggestionChanged && editor_) {
        editor_->setGhostText(state_.suggestion());
        if (!state_.suggestion().isEmpty())
            emit ghostShown(state_.suggestion());
    }
    if (effects.requestDueAt)
        requestTimer_.start(int(std::max<qint64>(0, *effects.requestDueAt - clock_())));
}

void InlineCompletion::suggestNow()
{
    if (!editor_)
        return;
    settle();
    act(state_.requestNow(editor_->cursorOffset(), clock_()));
}

void InlineCompletion::requestNow()
{
    if (!editor_)
        return;
    settle();
    const std::optional<quint64> request = state_.startRequest(clock_());
    if (!request) {
        // Early by the clock (or typed again meanwhile): wait for the time it is due.
        if (const std::optional<qint64> due = state_.requestDueAt())
            requestTimer_.start(int(std::max<qint64>(1, *due - clock_())));
        return;
    }
    stateRequest_ = *request;
    workerRequest_ = worker_.complete({editor_->text(), editor_->cursorOffset(), window_, maxTokens_});
}

void InlineCompletion::onGrew(qint64 workerRequest, const QString& textSoFar)
{
    if (workerRequest != workerRequest_)
        return;
    settle(); // typing that arrived meanwhile counts first
    if (workerRequest == workerRequest_) // and may have cancelled it
        act(state_.onPartialCompletion(stateRequest_, textSoFar));
}

void InlineCompletion::onCompleted(qint64 workerRequest, const QString& text, const app::CompletionStats& stats)
{
    const bool ours = workerRequest == workerRequest_;
    endRequest(workerRequest, text);
    if (ours)
        emit completionFinished(stats); // after the ghost text it brought is shown
}

void InlineCompletion::onSkipped(qint64 workerRequest)
{
    endRequest(workerRequest, {});
}

void InlineCompletion::onFailed(qint64 workerRequest, const QString& message)
{
    const bool ours = workerRequest == workerRequest_;
    endRequest(workerRequest, {});
    if (ours)
        emit failed(message);
}

void InlineCompletion::endRequest(qint64 workerRequest, const QString& text)
{
    if (workerRequest != workerRequest_)
        return; // an older request's answer: the state machine has moved on
    workerRequest_ = 0;
    settle(); // typing that arrived while the answer crossed over counts first
    act(state_.onCompletion(stateRequest_, text));
}

} // namespace latent::ui
