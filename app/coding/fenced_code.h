#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace latent::app {

// A Markdown code fence: three or more backticks or tildes, after any indentation.
struct CodeFence {
    QChar marker;         // ` or ~
    qsizetype length = 0; // how many markers
    qsizetype indent = 0; // removed from each line of the code, as CommonMark does
};

// The fence a line (without its line end) opens, with its info string ("python", "c++ title=x")
// put in *info: markers after any indentation, then an info string which, after backticks, holds
// none (so that ```inline``` in prose is not a fence).
std::optional<CodeFence> openingFence(QStringView line, QString* info = nullptr);
// A line of the fenced code without the fence's indentation (at most that much of it).
QStringView withoutFenceIndent(QStringView line, const CodeFence& fence);
// Whether a line (without its line end) closes the fence: its markers, at least as many, alone.
bool closesFence(QStringView line, const CodeFence& fence);

// The code in a model's answer to a "write code" action, unwrapped while the answer streams in.
// The answer's first fenced block is the code: the text before its opening fence is held back
// (and dropped once it opens), the block's lines stream out as they come, and its closing fence
// ends it (what follows is dropped). An answer with no fence at all is code as a whole, which
// only finish() can tell. The code has "\n" line ends and no line end after its last line.
//
// A piece may end anywhere, even inside a "\r\n": the output is the same however the answer is
// split. Inside the block, what is held back is only what may not be code: a partial line that
// could still become the closing fence (whitespace and markers so far), a last "\r", and the
// line end of the last line until another line comes.
class FencedCodeStream {
public:
    // Adds the next piece of the answer; returns the code to append now.
    QString add(const QString& piece);
    // The answer has ended: returns the rest of the code (for an answer without a fence, all of
    // it, without its leading blank lines and trailing whitespace).
    QString finish();

private:
    enum class State { BeforeFence, InFence, AfterFence };

    QString takeLine();
    QString partialLine();
    QString restOfLine(QStringView line);

    State state_ = State::BeforeFence;
    CodeFence fence_;
    QString answer_;       // the whole answer, while no fence has opened
    QString line_;         // the line being received, without its line end
    qsizetype emitted_ = 0; // how much of line_ (after the fence's indentation) is out already
    bool lineEndPending_ = false; // the last code line's line end, written once another line comes
};

} // namespace latent::app
