#include "ui/editor/scintilla_editor.h"

#include "app/coding/code_language.h"
#include "ui/editor/scintilla_view.h"
#include "ui/editor/text_search.h"
#include "ui/editor/utf8_file.h"

#include <QFileInfo>

#include <algorithm>
#include <utility>

namespace latent::ui {
namespace {

using Sci = QsciScintillaBase;

// One undo step of edits made through the interface. They are the program's, not the user's, so
// they go through while the editor is read-only.
class EditStep {
public:
    explicit EditStep(QsciScintillaBase& editor)
        : editor_(editor)
        , wasReadOnly_(editor.SendScintilla(Sci::SCI_GETREADONLY))
    {
        editor_.SendScintilla(Sci::SCI_SETREADONLY, 0UL);
        editor_.SendScintilla(Sci::SCI_BEGINUNDOACTION);
    }
    ~EditStep()
    {
        editor_.SendScintilla(Sci::SCI_ENDUNDOACTION);
        editor_.SendScintilla(Sci::SCI_SETREADONLY, ulong(wasReadOnly_));
    }
    Q_DISABLE_COPY_MOVE(EditStep)

private:
    QsciScintillaBase& editor_;
    long wasReadOnly_;
};

QsciScintilla::EolMode eolModeOf(LineEnding ending)
{
    switch (ending) {
    case LineEnding::Lf: return QsciScintilla::EolUnix;
    case LineEnding::CrLf: return QsciScintilla::EolWindows;
    case LineEnding::Cr: return QsciScintilla::EolMac;
    }
    return QsciScintilla::EolUnix;
}

// Bytes of text in UTF-8, without encoding it.
qsizetype utf8Length(QStringView text)
{
    qsizetype bytes = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c < 0x80) {
            bytes += 1;
        } else if (c < 0x800) {
            bytes += 2;
        } else if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            bytes += 4;
            ++i;
        } else {
            bytes += 3;
        }
    }
    return bytes;
}

// Bytes of the longest start of utf8 that holds at most units UTF-16 code units, never ending
// inside a character (so an offset inside a surrogate pair comes to the pair's start).
qsizetype utf8PrefixLength(QByteArrayView utf8, qsizetype units)
{
    qsizetype bytes = 0;
    while (bytes < utf8.size()) {
        const uchar lead = uchar(utf8[bytes]);
        const qsizetype characterBytes = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        const qsizetype characterUnits = characterBytes == 4 ? 2 : 1;
        if (characterUnits > units || bytes + characterBytes > utf8.size())
            break;
        units -= characterUnits;
        bytes += characterBytes;
    }
    return bytes;
}

} // namespace

ScintillaEditor::ScintillaEditor(QObject* parent)
    : CodeEditor(parent)
    , view_(new ScintillaView)
    , languageId_(app::languageOfFile(QString()).id) // plain text, as a new view has no lexer
{
    connect(view_, &QsciScintilla::textChanged, this, &CodeEditor::textChanged);
    connect(view_, &QsciScintilla::modificationChanged, this, &ScintillaEditor::reportModified);
    connect(view_, &QsciScintilla::cursorPositionChanged, this, &CodeEditor::cursorMoved);
    connect(view_, &ScintillaView::typed, this, &CodeEditor::typed);
    connect(view_, &ScintillaView::ghostKeyPressed, this, &CodeEditor::ghostKeyPressed);
}

ScintillaEditor::~ScintillaEditor()
{
    delete view_; // null if a parent widget deleted it already
}

QWidget* ScintillaEditor::widget()
{
    return view_;
}

bool ScintillaEditor::open(const QString& path, QString* error)
{
    const std::optional<Utf8File> file = readUtf8File(path, error);
    if (!file)
        return false;
    loadDocument(file->text);
    view_->setEolMode(eolModeOf(firstLineEnding(file->text).value_or(LineEnding::Lf)));
    byteOrderMark_ = file->byteOrderMark;
    path_ = QFileInfo(path).absoluteFilePath();
    setLanguageForFile(path);
    return true;
}

bool ScintillaEditor::save(const QString& path, QString* error)
{
    if (!writeUtf8File(path, {view_->bytesBetween(0, view_->length()), byteOrderMark_}, error))
        return false;
    const QString absolutePath = QFileInfo(path).absoluteFilePath();
    const bool renamed = absolutePath != path_;
    path_ = absolutePath;
    markedModified_ = false;
    view_->SendScintilla(Sci::SCI_SETSAVEPOINT);
    reportModified();
    if (renamed)
        setLanguageForFile(path);
    return true;
}

void ScintillaEditor::setLanguageForFile(const QString& fileName)
{
    const QString id = app::languageOfFile(fileName).id;
    if (id == languageId_)
        return; // a new lexer would recolour the whole document for nothing
    languageId_ = id;
    view_->setLanguage(id);
}

QString ScintillaEditor::text() const
{
    return QString::fromUtf8(view_->bytesBetween(0, view_->length()));
}

void ScintillaEditor::setText(const QString& text)
{
    const QByteArray bytes = text.toUtf8();
    loadDocument(bytes);
    if (const std::optional<LineEnding> ending = firstLineEnding(bytes))
        view_->setEolMode(eolModeOf(*ending));
}

bool ScintillaEditor::isModified() const
{
    return markedModified_ || view_->isModified();
}

void ScintillaEditor::setModified(bool modified)
{
    markedModified_ = modified; // Scintilla can only be told that the document is saved
    if (!modified)
        view_->SendScintilla(Sci::SCI_SETSAVEPOINT);
    reportModified();
}

int ScintillaEditor::cursorOffset() const
{
    return offsetOfPosition(view_->SendScintilla(Sci::SCI_GETCURRENTPOS));
}

void ScintillaEditor::setCursorOffset(int offset)
{
    view_->SendScintilla(Sci::SCI_GOTOPOS, positionOfOffset(offset));
}

int ScintillaEditor::cursorLine() const
{
    return int(view_->SendScintilla(Sci::SCI_LINEFROMPOSITION, view_->SendScintilla(Sci::SCI_GETCURRENTPOS)));
}

int ScintillaEditor::cursorColumn() const
{
    const long position = view_->SendScintilla(Sci::SCI_GETCURRENTPOS);
    const long lineStart = view_->SendScintilla(Sci::SCI_POSITIONFROMLINE, view_->SendScintilla(Sci::SCI_LINEFROMPOSITION, position));
    return int(view_->SendScintilla(Sci::SCI_COUNTCODEUNITS, ulong(lineStart), position));
}

int ScintillaEditor::lineCount() const
{
    return view_->lines();
}

bool ScintillaEditor::hasSelection() const
{
    return view_->SendScintilla(Sci::SCI_GETSELECTIONSTART) != view_->SendScintilla(Sci::SCI_GETSELECTIONEND);
}

QString ScintillaEditor::selectedText() const
{
    return QString::fromUtf8(view_->bytesBetween(view_->SendScintilla(Sci::SCI_GETSELECTIONSTART),
                                                 view_->SendScintilla(Sci::SCI_GETSELECTIONEND)));
}

int ScintillaEditor::selectionStart() const
{
    return offsetOfPosition(view_->SendScintilla(Sci::SCI_GETSELECTIONSTART));
}

int ScintillaEditor::selectionEnd() const
{
    return offsetOfPosition(view_->SendScintilla(Sci::SCI_GETSELECTIONEND));
}

void ScintillaEditor::setSelection(int start, int end)
{
    select(positionOfOffset(start), positionOfOffset(end));
}

void ScintillaEditor::insertAtCursor(const QString& text)
{
    if (text.isEmpty())
        return;
    const QByteArray bytes = text.toUtf8();
    {
        const EditStep step(*view_);
        // Inserts at the caret, not over the selection, and puts the caret after the text.
        view_->SendScintilla(Sci::SCI_ADDTEXT, uintptr_t(bytes.size()), bytes.constData());
    }
    view_->SendScintilla(Sci::SCI_SCROLLCARET);
}

void ScintillaEditor::replaceSelection(const QString& text)
{
    if (text.isEmpty() && !hasSelection())
        return;
    const QByteArray bytes = text.toUtf8();
    long end = 0;
    {
        const EditStep step(*view_);
        view_->SendScintilla(Sci::SCI_TARGETFROMSELECTION);
        view_->SendScintilla(Sci::SCI_REPLACETARGET, uintptr_t(bytes.size()), bytes.constData());
        end = view_->SendScintilla(Sci::SCI_GETTARGETEND);
    }
    view_->SendScintilla(Sci::SCI_GOTOPOS, end);
}

void ScintillaEditor::replaceAll(const QString& text)
{
    const long line = cursorLine();
    const int column = cursorColumn();
    const long firstVisibleLine = view_->SendScintilla(Sci::SCI_GETFIRSTVISIBLELINE);
    const QByteArray bytes = text.toUtf8();
    {
        const EditStep step(*view_);
        view_->SendScintilla(Sci::SCI_TARGETWHOLEDOCUMENT);
        view_->SendScintilla(Sci::SCI_REPLACETARGET, uintptr_t(bytes.size()), bytes.constData());
    }
    view_->SendScintilla(Sci::SCI_GOTOPOS, positionInLine(std::min<long>(line, lineCount() - 1), column));
    view_->SendScintilla(Sci::SCI_SETFIRSTVISIBLELINE, ulong(firstVisibleLine));
}

void ScintillaEditor::beginUndoStep()
{
    if (undoDepth_++ == 0)
        view_->SendScintilla(Sci::SCI_BEGINUNDOACTION);
}

void ScintillaEditor::endUndoStep()
{
    if (undoDepth_ > 0 && --undoDepth_ == 0)
        view_->SendScintilla(Sci::SCI_ENDUNDOACTION);
}

void ScintillaEditor::undo()
{
    view_->undo();
}

void ScintillaEditor::redo()
{
    view_->redo();
}

void ScintillaEditor::setReadOnly(bool readOnly)
{
    view_->setReadOnly(readOnly);
}

void ScintillaEditor::setGhostText(const QString& text)
{
    view_->setGhostText(text);
}

void ScintillaEditor::setContextActions(const QList<QAction*>& actions)
{
    view_->setContextActions(actions);
}

QString ScintillaEditor::ghostText() const
{
    return view_->ghostText();
}

bool ScintillaEditor::find(const FindOptions& options, bool forward)
{
    const TextSearch search(options);
    if (!search.isValid())
        return false;
    const int from = forward ? selectionEnd() : selectionStart();
    const std::optional<TextMatch> match = search.find(text(), from, forward);
    if (!match)
        return false;
    select(positionOfOffset(int(match->start)), positionOfOffset(int(match->start + match->length)));
    return true;
}

bool ScintillaEditor::replaceAndFindNext(const FindOptions& options, const QString& replacement)
{
    const TextSearch search(options);
    if (!search.isValid())
        return false;
    if (hasSelection())
        if (const std::optional<QString> replaced =
                search.replacementAt(text(), selectionStart(), selectionEnd(), replacement))
            replaceSelection(*replaced);
    return find(options, true);
}

int ScintillaEditor::replaceEveryMatch(const FindOptions& options, const QString& replacement)
{
    const QString text = this->text();
    const QList<TextReplacement> replacements = TextSearch(options).replaceEvery(text, replacement);
    if (replacements.isEmpty())
        return 0;
    // The matches' byte positions, in one pass over the text.
    QList<std::pair<long, long>> ranges;
    ranges.reserve(replacements.size());
    long position = 0;
    qsizetype offset = 0;
    for (const TextReplacement& replaced : replacements) {
        position += long(utf8Length(QStringView(text).sliced(offset, replaced.match.start - offset)));
        const long end = position + long(utf8Length(QStringView(text).sliced(replaced.match.start, replaced.match.length)));
        ranges.append({position, end});
        position = end;
        offset = replaced.match.start + replaced.match.length;
    }
    const EditStep step(*view_);
    for (qsizetype i = replacements.size() - 1; i >= 0; --i) { // from the end: earlier positions stay put
        const QByteArray bytes = replacements[i].text.toUtf8();
        view_->SendScintilla(Sci::SCI_SETTARGETRANGE, ulong(ranges[i].first), ranges[i].second);
        view_->SendScintilla(Sci::SCI_REPLACETARGET, uintptr_t(bytes.size()), bytes.constData());
    }
    return int(replacements.size());
}

void ScintillaEditor::goToLine(int line)
{
    const long clamped = std::clamp(line, 0, lineCount() - 1);
    view_->SendScintilla(Sci::SCI_ENSUREVISIBLEENFORCEPOLICY, ulong(clamped)); // unfolds it
    view_->SendScintilla(Sci::SCI_GOTOLINE, ulong(clamped));
}

void ScintillaEditor::zoomIn()
{
    view_->zoomIn();
}

void ScintillaEditor::zoomOut()
{
    view_->zoomOut();
}

void ScintillaEditor::resetZoom()
{
    view_->zoomTo(0);
}

void ScintillaEditor::setDarkTheme(bool dark)
{
    view_->setDarkTheme(dark);
}

void ScintillaEditor::focus()
{
    view_->setFocus();
}

// A fresh document of bytes: no undo history, unmodified, the cursor at the start, no ghost text.
void ScintillaEditor::loadDocument(const QByteArray& bytes)
{
    view_->setGhostText(QString());
    while (undoDepth_ > 0) // the history those steps group is about to go
        endUndoStep();
    {
        const EditStep step(*view_);
        view_->SendScintilla(Sci::SCI_CLEARALL);
        // With its length, so that nothing stops at a NUL byte.
        view_->SendScintilla(Sci::SCI_APPENDTEXT, uintptr_t(bytes.size()), bytes.constData());
    }
    view_->SendScintilla(Sci::SCI_EMPTYUNDOBUFFER);
    markedModified_ = false;
    view_->SendScintilla(Sci::SCI_SETSAVEPOINT);
    view_->SendScintilla(Sci::SCI_GOTOPOS, 0L);
    reportModified();
}

// modificationChanged, only when isModified() changes (setModified(true) outlasts Scintilla's
// save point notifications).
void ScintillaEditor::reportModified()
{
    const bool modified = isModified();
    if (modified == reportedModified_)
        return;
    reportedModified_ = modified;
    emit modificationChanged(modified);
}

long ScintillaEditor::positionOfOffset(int offset) const
{
    if (offset <= 0)
        return 0;
    const long line = view_->SendScintilla(Sci::SCI_LINEFROMINDEXPOSITION, ulong(offset), long(Sci::SC_LINECHARACTERINDEX_UTF16));
    const long lineOffset = view_->SendScintilla(Sci::SCI_INDEXPOSITIONFROMLINE, ulong(line), long(Sci::SC_LINECHARACTERINDEX_UTF16));
    const long lineStart = view_->SendScintilla(Sci::SCI_POSITIONFROMLINE, ulong(line));
    // The next line's start, or the document's end after the last line.
    const long lineEnd = view_->SendScintilla(Sci::SCI_POSITIONFROMLINE, ulong(line + 1));
    const qsizetype units = offset - lineOffset;
    // A UTF-16 code unit is at most 3 bytes of UTF-8: read no more of a long line than that.
    const QByteArray bytes = view_->bytesBetween(lineStart, std::min<long>(lineEnd, lineStart + 3 * units));
    return lineStart + long(utf8PrefixLength(bytes, units));
}

int ScintillaEditor::offsetOfPosition(long position) const
{
    const long line = view_->SendScintilla(Sci::SCI_LINEFROMPOSITION, position);
    const long lineStart = view_->SendScintilla(Sci::SCI_POSITIONFROMLINE, ulong(line));
    return int(view_->SendScintilla(Sci::SCI_INDEXPOSITIONFROMLINE, ulong(line), long(Sci::SC_LINECHARACTERINDEX_UTF16))
               + view_->SendScintilla(Sci::SCI_COUNTCODEUNITS, ulong(lineStart), position));
}

// The position column UTF-16 code units into line, at most its end (before the line break).
long ScintillaEditor::positionInLine(long line, int column) const
{
    const long lineStart = view_->SendScintilla(Sci::SCI_POSITIONFROMLINE, ulong(line));
    const long lineEnd = view_->SendScintilla(Sci::SCI_GETLINEENDPOSITION, ulong(line));
    return lineStart + long(utf8PrefixLength(view_->bytesBetween(lineStart, lineEnd), column));
}

void ScintillaEditor::select(long anchor, long caret)
{
    view_->SendScintilla(Sci::SCI_ENSUREVISIBLEENFORCEPOLICY, ulong(view_->SendScintilla(Sci::SCI_LINEFROMPOSITION, caret)));
    view_->SendScintilla(Sci::SCI_SETSEL, ulong(anchor), caret);
}

} // namespace latent::ui
