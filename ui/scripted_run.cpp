#include "ui/scripted_run.h"

#include "app/chat/chat_controller.h"
#include "app/chat/model_manager.h"
#include "ui/editor/editor_area.h"
#include "ui/editor/editor_panel.h"
#include "ui/main_window.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QQuickWidget>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>
#include <utility>

namespace latent::ui {

namespace {

// After the first frame, delegates created lazily and text laid out in that frame get a few more
// frames to settle before the picture is taken.
constexpr int settleMilliseconds = 700;

} // namespace

ScriptedRun::ScriptedRun(app::ChatController& chat, app::ModelManager& models, MainWindow& window, QString send,
                         QString screenshot, int suggestLine, QObject* parent)
    : QObject(parent), chat_(chat), models_(models), window_(window), send_(std::move(send)),
      screenshot_(std::move(screenshot)), suggestLine_(suggestLine)
{
    connect(&models_, &app::ModelManager::stateChanged, this, &ScriptedRun::onModelState);
    connect(&models_, &app::ModelManager::loadFailed, this, &ScriptedRun::fail);
    connect(&chat_, &app::ChatController::generatingChanged, this, &ScriptedRun::onAnswerDone);
    connect(&chat_, &app::ChatController::errorOccurred, this, &ScriptedRun::onError);
}

void ScriptedRun::start()
{
    // Queued: quitting works only once the event loop runs.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (models_.state() != app::ModelManager::State::NoModel)
                onModelState(); // loading, or already ready or failed
            else if (!send_.isEmpty())
                fail(QStringLiteral("--send needs a model: pass --model PATH"));
            else
                finishAfterNextFrame();
        },
        Qt::QueuedConnection);
}

void ScriptedRun::onModelState()
{
    using State = app::ModelManager::State;
    if (models_.state() == State::Failed) {
        fail(models_.errorMessage());
    } else if (models_.state() == State::Ready && !sent_) {
        if (send_.isEmpty()) {
            suggestThenFinish();
            return;
        }
        sent_ = true;
        chat_.send(send_);
    }
}

void ScriptedRun::onAnswerDone()
{
    if (!sent_ || chat_.generating())
        return;
    const QList<app::MessageListModel::Row>& rows = chat_.messages()->rows();
    const QString finish = rows.isEmpty() ? QString() : rows.back().message.finishReason;
    if (finish == QLatin1String("maxTokens"))
        std::fprintf(stderr, "latent: the answer was cut at the limit of %d tokens (Settings > Max tokens)\n",
                     rows.back().message.generatedTokens);
    contextFilled_ = finish == QLatin1String("contextFull");
    suggestThenFinish();
}

void ScriptedRun::onError(const QString& title, const QString& message)
{
    const QString said = title + QStringLiteral(": ") + message;
    if (!std::exchange(contextFilled_, false)) // one error follows a full context: its reason
        return fail(said);
    std::fprintf(stderr, "latent: %s\n", qPrintable(said)); // the picture is taken all the same
}

void ScriptedRun::suggestThenFinish()
{
    if (suggestLine_ <= 0)
        return finishAfterNextFrame();
    EditorArea* area = window_.editorArea();
    CodeEditor* editor = area->panel()->currentEditor();
    if (!editor)
        return fail(QStringLiteral("--suggest needs a file open in the editor: name one after the options"));
    const QStringList lines = editor->text().split(u'\n');
    if (suggestLine_ > lines.size())
        return fail(QStringLiteral("--suggest %1: the file has %2 lines").arg(suggestLine_).arg(lines.size()));
    int offset = 0;
    for (int line = 0; line < suggestLine_ - 1; ++line)
        offset += int(lines[line].size()) + 1;
    QString line = lines[suggestLine_ - 1];
    if (line.endsWith(u'\r'))
        line.chop(1);
    editor->setCursorOffset(offset + int(line.size()));
    editor->focus();
    InlineCompletion* completion = area->completion();
    connect(completion, &InlineCompletion::ghostShown, this, &ScriptedRun::finishAfterNextFrame);
    connect(completion, &InlineCompletion::failed, this, &ScriptedRun::fail);
    // A model may have nothing to suggest there: the picture is taken all the same, and said so.
    connect(completion, &InlineCompletion::completionFinished, this, [this, editor] {
        if (!editor->ghostText().isEmpty())
            return;
        std::fprintf(stderr, "latent: the completion at line %d was empty: no ghost text in the picture\n",
                     suggestLine_);
        finishAfterNextFrame();
    });
    completion->suggestNow();
}

void ScriptedRun::finishAfterNextFrame()
{
    if (finishing_)
        return;
    finishing_ = true;
    QQuickWindow* scene = window_.chatView()->quickWindow();
    auto frame = std::make_shared<QMetaObject::Connection>();
    *frame = connect(
        scene, &QQuickWindow::afterRendering, this,
        [this, frame] {
            disconnect(*frame);
            QTimer::singleShot(settleMilliseconds, this, &ScriptedRun::finish);
        },
        Qt::QueuedConnection);
    scene->update();
}

void ScriptedRun::finish()
{
    if (!screenshot_.isEmpty() && !window_.grab().save(screenshot_, "PNG"))
        return fail(QStringLiteral("could not write the screenshot %1").arg(screenshot_));
    QCoreApplication::exit(0);
}

void ScriptedRun::fail(const QString& message)
{
    if (failed_)
        return; // a failed load reports twice: loadFailed and the Failed state
    failed_ = true;
    std::fprintf(stderr, "latent: %s\n", qPrintable(message));
    // Queued: an error may come before the event loop runs (a --conversation that is not there).
    QMetaObject::invokeMethod(QCoreApplication::instance(), [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
}

} // namespace latent::ui
