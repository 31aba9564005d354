#pragma once

#include "app/coding/fenced_code.h"

#include "ui/editor/code_editor.h"

#include <QObject>
#include <QPointer>

namespace latent::app {
class AnswerEngine;
class ModelManager;
struct AnswerStats;
} // namespace latent::app

namespace latent::ui {


// Generate at the cursor: the user's request goes to the chat model with the code around the
// cursor (app/coding/coding_prompts.h), and the code of its answer (a fenced block unwrapped as
// it streams, fenced_code.h) goes into the editor at the cursor as it comes. The whole insertion
// is one undo step; the editor is read-only meanwhile, so that the code lands where it was asked
// for. Stop keeps what came so far (still one step).
class CodeGeneration : public QObject {
    Q_OBJECT

public:
    explicit CodeGeneration(app::ModelManager& models, QObject* parent = nullptr);
    ~CodeGeneration() override;

    // False (with failed emitted) when it cannot start: no editor, an empty request, or one
    // already running.
    bool start(CodeEditor* editor, const QString& request, const QString& uiLanguage);
    void stop();
    bool isRunning() const { return requestId_ != 0; }

signals:
    void runningChanged(bool running);
    // reason as AnswerEngine::finished gives it ("endOfGeneration", "maxTokens", "cancelled", ...).
    void finished(const QString& reason);
    void failed(const QString& message);

private:
    void onPieces(qint64 requestId, const QString& text, const app::AnswerStats& stats);
    void onFinished(qint64 requestId, const QString& reason);
    void onFailed(qint64 requestId, const QString& message);
    void insert(const QString& code);
    void end();

    app::ModelManager& models_;
    QPointer<CodeEditor> editor_;
    app::AnswerEngine* engine_ = nullptr; // the one writing the running generation
    qint64 requestId_ = 0;
    int insertAt_ = 0;
    app::FencedCodeStream code_;
};

} // namespace latent::ui
