#include "ui/editor/coding_actions.h"

#include "app/chat/chat_controller.h"
#include "app/coding/code_language.h"
#include "app/coding/enclosing_block.h"
#include "ui/editor/code_editor.h"
#include "ui/editor/token_estimate.h"

#include <QStringList>

namespace latent::ui {
namespace {

// Lines first..last (from 0) of text, with their line ends but the last one's.
QString linesOf(const QString& text, int first, int last)
{
    const QStringList lines = text.split(u'\n');
    QStringList taken;
    for (int line = std::max(0, first); line <= last && line < lines.size(); ++line)
        taken << lines[line];
    return taken.join(u'\n');
}

int lineAt(const QString& text, int offset)
{
    return int(QStringView(text).left(offset).count(u'\n'));
}

} // namespace

CodingActions::CodingActions(app::ChatController& chat, app::ModelManager& models, QObject* parent)
    : QObject(parent), chat_(chat), models_(models)
{
}

app::CodeExcerpt CodingActions::excerptFor(app::CodingAction action, const CodeEditor& editor)
{
    const QString text = editor.text();
    app::CodeExcerpt excerpt;
    excerpt.filePath = editor.filePath();
    excerpt.language = app::languageOfFile(editor.filePath());
    if (editor.hasSelection()) {
        // Whole lines: the line numbers say where the code is, and a half line reads badly.
        const int first = lineAt(text, editor.selectionStart());
        int last = lineAt(text, editor.selectionEnd());
        if (last > first && editor.selectionEnd() > 0 && text.at(editor.selectionEnd() - 1) == u'\n')
            --last; // a selection of whole lines ends at the start of the next one
        excerpt.firstLine = first + 1;
        excerpt.lastLine = last + 1;
        excerpt.code = linesOf(text, first, last);
    } else if (action == app::CodingAction::Review) {
        excerpt.code = text;
        excerpt.firstLine = 1;
        excerpt.lastLine = std::max(1, editor.lineCount());
        excerpt.wholeFile = true;
    } else {
        const app::LineRange range = app::enclosingFunction(text, editor.cursorLine(), excerpt.language.id);
        excerpt.firstLine = range.first + 1;
        excerpt.lastLine = range.last + 1;
        excerpt.code = linesOf(text, range.first, range.last);
        excerpt.wholeFile = range.first == 0 && range.last + 1 >= editor.lineCount();
    }
    return excerpt;
}

app::CodingPrompt CodingActions::promptFor(app::CodingAction action, const CodeEditor& editor,
                                           const QString& uiLanguage) const
{
    return app::codingPrompt(action, excerptFor(action, editor), uiLanguage, promptBudget(models_), estimatedTokens);
}

void CodingActions::run(app::CodingAction action, const CodeEditor& editor, const QString& uiLanguage)
{
    const app::CodingPrompt prompt = promptFor(action, editor, uiLanguage);
    chat_.startConversation(prompt.title, prompt.message);
}

} // namespace latent::ui
