#pragma once

#include "app/coding/coding_prompts.h"

#include <QObject>

namespace latent::app {
class ChatController;
class ModelManager;
} // namespace latent::app

namespace latent::ui {

class CodeEditor;

// Explain, Review, Write docs and Write tests: the code goes to the chat as the first message of
// a new conversation titled by the action and the file, and the answer streams in the chat like
// any other. The code is the selection; with nothing selected, the function at the cursor
// (enclosing_block.h), or the whole file for Review. It is cut to the context left, the cut said.
class CodingActions : public QObject {
    Q_OBJECT

public:
    CodingActions(app::ChatController& chat, app::ModelManager& models, QObject* parent = nullptr);

    // The code an action sends, and the prompt it makes of it (for tests and for run()).
    static app::CodeExcerpt excerptFor(app::CodingAction action, const CodeEditor& editor);
    app::CodingPrompt promptFor(app::CodingAction action, const CodeEditor& editor, const QString& uiLanguage) const;

    void run(app::CodingAction action, const CodeEditor& editor, const QString& uiLanguage);

private:
    app::ChatController& chat_;
    app::ModelManager& models_;
};

} // namespace latent::ui
