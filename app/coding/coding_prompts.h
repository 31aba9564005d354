#pragma once

#include "app/coding/code_language.h"

#include <QString>

#include <functional>

namespace latent::app {

// What the editor panel asks the chat model to do with code.
enum class CodingAction { Explain, Review, WriteDocs, WriteTests, Generate };

// The code Explain, Review, WriteDocs and WriteTests work on: a selection, the function at the
// cursor (enclosing_block.h) or the whole file.
struct CodeExcerpt {
    QString filePath;      // the message names the file, not its folders; empty for a new file
    CodeLanguage language;
    QString code;          // lines firstLine..lastLine, "\n" or "\r\n" line ends
    int firstLine = 1;     // from 1
    int lastLine = 1;
    bool wholeFile = false;
};

// What Generate works on: the user's request and the document around the cursor.
struct GenerateRequest {
    QString request;       // the user's words
    QString filePath;
    CodeLanguage language;
    QString text;          // the whole document
    int cursorOffset = 0;  // UTF-16 index into text
    int linesBefore = 120; // whole lines of context before the cursor's line, at most
    int linesAfter = 40;   // and after it
};

// A chat turn for an action.
struct CodingPrompt {
    QString title;       // the conversation's title: the action and the file, "Explain · parser.py"
    QString message;     // the user message to send
    bool cut = false;    // code was left out for want of room (the message says so for excerpts)
    int firstLineSent = 0; // from 1: the code lines the message holds (lastLineSent < firstLineSent:
    int lastLineSent = 0;  // none, the budget does not even hold the instructions)
};

// Tokens of a text in the chat model's tokenizer.
using TokenCounter = std::function<int(const QString& text)>;

// The prompt of Explain, Review, WriteDocs or WriteTests (Generate: generatePrompt) in the user's
// language ("zh_CN", or any "zh...": Chinese; anything else: English). tokenBudget is the
// context left for this message: when the code does not fit, whole lines are left out at its end
// and the message says which. WriteDocs asks for the documented code back and WriteTests for a
// test file, each in one fenced block (fenced_code.h unwraps it). Throws std::invalid_argument
// for Generate.
CodingPrompt codingPrompt(CodingAction action, const CodeExcerpt& excerpt, const QString& uiLanguage,
                          int tokenBudget, const TokenCounter& countTokens);

// The prompt of Generate: the request, then the whole lines around the cursor with the marker
// kCursorMarker where it is (lines after the cursor take up to a quarter of the room, see
// LinesAroundCursor); the model is asked for only the code to insert, in one fenced block.
CodingPrompt generatePrompt(const GenerateRequest& request, const QString& uiLanguage, int tokenBudget,
                            const TokenCounter& countTokens);

// Where the cursor is in Generate's code.
inline constexpr char16_t kCursorMarker[] = u"<CURSOR>";

// The action's name in the user's language: "Explain", "解释", ...
QString codingActionName(CodingAction action, const QString& uiLanguage);

} // namespace latent::app
