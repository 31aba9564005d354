#include "ui/editor/code_generation.h"

#include "app/chat/answer_engine.h"
#include "app/chat/model_manager.h"
#include "app/coding/code_language.h"
#include "app/coding/coding_prompts.h"
#include "ui/editor/code_editor.h"
#include "ui/editor/token_estimate.h"

namespace latent::ui {

CodeGeneration::CodeGeneration(app::ModelManager& models, QObject* parent) : QObject(parent), models_(models)
{
    for (app::AnswerEngine* engine : models_.answerEngines()) {
        connect(engine, &app::AnswerEngine::piecesGenerated, this, &CodeGeneration::onPieces);
        connect(engine, &app::AnswerEngine::finished, this,
                [this](qint64 id, const QString& reason) { onFinished(id, reason); });
        connect(engine, &app::AnswerEngine::failed, this, &CodeGeneration::onFailed);
    }
}

CodeGeneration::~CodeGeneration()
{
    stop();
    end();
}

bool CodeGeneration::start(CodeEditor* editor, const QString& request, const QString& uiLanguage)
{
    if (isRunning()) {
        emit failed(tr("Code is being generated already. Stop it first."));
        return false;
    }
    if (!editor || request.trimmed().isEmpty()) {
        emit failed(tr("Say what code to write, with a file open in the editor."));
        return false;
    }
    app::GenerateRequest generate;
    generate.request = request.trimmed();
    generate.filePath = editor->filePath();
    generate.language = app::languageOfFile(editor->filePath());
    generate.text = editor->text();
    generate.cursorOffset = editor->cursorOffset();
    const app::CodingPrompt prompt =
        app::generatePrompt(generate, uiLanguage, promptBudget(models_), estimatedTokens);

    editor_ = editor;
    insertAt_ = editor->cursorOffset();
    code_ = {};
    editor->beginUndoStep();
    editor->setReadOnly(true);
    engine_ = models_.answerEngine();
    requestId_ = engine_->generate({{QStringLiteral("user"), prompt.message}}, models_.generationOptions());
    emit runningChanged(true);
    return true;
}

void CodeGeneration::stop()
{
    if (isRunning())
        engine_->stop(requestId_);
}

void CodeGeneration::onPieces(qint64 requestId, const QString& text, const app::AnswerStats&)
{
    if (requestId == requestId_)
        insert(code_.add(text));
}

void CodeGeneration::onFinished(qint64 requestId, const QString& reason)
{
    if (requestId != requestId_)
        return;
    insert(code_.finish());
    end();
    emit finished(reason);
}

void CodeGeneration::onFailed(qint64 requestId, const QString& message)
{
    if (requestId != requestId_)
        return;
    end();
    emit failed(message);
}

void CodeGeneration::insert(const QString& code)
{
    if (code.isEmpty() || !editor_)
        return;
    editor_->setCursorOffset(insertAt_);
    editor_->insertAtCursor(code);
    insertAt_ += int(code.size());
}

void CodeGeneration::end()
{
    if (!requestId_)
        return;
    requestId_ = 0;
    if (editor_) {
        editor_->setReadOnly(false);
        editor_->endUndoStep();
    }
    editor_ = nullptr;
    emit runningChanged(false);
}

} // namespace latent::ui
