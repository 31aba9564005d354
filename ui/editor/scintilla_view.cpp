#include "ui/editor/scintilla_view.h"

#include "ui/editor/editor_theme.h"
#include "ui/editor/lexer_for_language.h"

#include <Qsci/qscilexer.h>

#include <QFontDatabase>
#include <QFontMetricsF>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QContextMenuEvent>
#include <QMenu>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <optional>

namespace latent::ui {
namespace {

constexpr int kTabWidth = 4;

std::optional<GhostKey> ghostKeyOf(const QKeyEvent& event)
{
    const Qt::KeyboardModifiers modifiers = event.modifiers() & ~Qt::KeypadModifier;
    if (event.key() == Qt::Key_Tab && modifiers == Qt::NoModifier)
        return GhostKey::AcceptAll;
    if (event.key() == Qt::Key_Right && modifiers == Qt::ControlModifier)
        return GhostKey::AcceptWord;
    if (event.key() == Qt::Key_Escape && modifiers == Qt::NoModifier)
        return GhostKey::Dismiss;
    return std::nullopt;
}

bool isPrintable(const QString& text)
{
    if (text.isEmpty())
        return false;
    const QList<uint> codePoints = text.toUcs4();
    return std::all_of(codePoints.begin(), codePoints.end(), [](uint c) { return QChar::isPrint(char32_t(c)); });
}

// The ghost text's lines, without the \r of CRLF line ends.
QStringList linesOf(const QString& text)
{
    QStringList lines = text.split(u'\n');
    for (QString& line : lines)
        if (line.endsWith(u'\r'))
            line.chop(1);
    return lines;
}

// Annotations draw a tab as a control character: lay tabs out as spaces from column.
QString expandTabs(const QString& text, qsizetype column)
{
    QString expanded;
    for (const QChar c : text) {
        if (c == u'\t') {
            const qsizetype spaces = kTabWidth - (column + expanded.size()) % kTabWidth;
            expanded.append(QString(spaces, u' '));
        } else {
            expanded.append(c);
        }
    }
    return expanded;
}

QColor colorOfScintilla(long bgr)
{
    return QColor(int(bgr & 0xff), int((bgr >> 8) & 0xff), int((bgr >> 16) & 0xff));
}

// Draws text from x on the baseline with Scintilla's tab stops (every kTabWidth spaces from the
// line's start); returns where it ends.
qreal drawRun(QPainter& painter, const QString& text, qreal x, qreal baseline, qreal lineStartX)
{
    const QFontMetricsF metrics(painter.font());
    const qreal tabPixels = kTabWidth * metrics.horizontalAdvance(u' ');
    const QStringList pieces = text.split(u'\t');
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        if (i > 0)
            x = lineStartX + (std::floor((x - lineStartX) / tabPixels) + 1) * tabPixels;
        painter.drawText(QPointF(x, baseline), pieces[i]);
        x += metrics.horizontalAdvance(pieces[i]);
    }
    return x;
}

} // namespace

ScintillaView::ScintillaView(QWidget* parent)
    : QsciScintilla(parent)
    , font_(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
    if (font_.pointSizeF() <= 0) // a font sized in pixels; Scintilla sizes fonts in points
        font_.setPointSize(10);
    setUtf8(true);
    // Offsets cross the CodeEditor interface in UTF-16: Scintilla keeps where each line starts in
    // UTF-16 code units, so converting an offset costs one line, not the whole document.
    SendScintilla(SCI_ALLOCATELINECHARACTERINDEX, SC_LINECHARACTERINDEX_UTF16);

    setMarginLineNumbers(0, true);
    setMarginWidth(1, 0); // no symbol margin: nothing sets markers
    setFolding(BoxedTreeFoldStyle, 2);
    SendScintilla(SCI_SETMARGINLEFT, 0UL, 4L); // a little room between the margins and the text
    setBraceMatching(SloppyBraceMatch);
    setCaretLineVisible(true);
    // Shown without focus too, so that the ghost line's cover always matches the line behind it.
    SendScintilla(SCI_SETCARETLINEVISIBLEALWAYS, 1UL);
    setIndentationGuides(true);
    setAutoIndent(true);
    setTabWidth(kTabWidth);
    setIndentationsUseTabs(false);
    setTabIndents(true);
    setBackspaceUnindents(true);
    setScrollWidth(1); // the horizontal scroll bar follows the longest line seen, not 2000 pixels
    setScrollWidthTracking(true);

    setAnnotationDisplay(AnnotationStandard);
    ghostStyles_ = int(SendScintilla(SCI_ALLOCATEEXTENDEDSTYLES, 2UL));
    SendScintilla(SCI_ANNOTATIONSETSTYLEOFFSET, ulong(ghostStyles_));

    connect(this, &QsciScintilla::textChanged, this, [this] { ++edits_; });
    connect(this, &QsciScintilla::linesChanged, this, &ScintillaView::updateLineNumberWidth);
    connect(this, &QsciScintillaBase::SCN_ZOOM, this, &ScintillaView::updateLineNumberWidth);
    // Scintilla reports edits, cursor moves and scrolls here, just before it paints them: the
    // ghost annotation follows the cursor's line and the rest of that line, and the ghost line is
    // repainted whole (Scintilla repaints only what it changed).
    connect(this, &QsciScintillaBase::SCN_UPDATEUI, this, [this] {
        if (ghostText_.isEmpty())
            return;
        placeGhostAnnotation();
        viewport()->update();
    });
    applyTheme();
}

// Here, where QsciLexer is complete. The lexer goes before QsciScintilla's destructor runs, which
// holds it by a guarded pointer and so leaves it alone.
ScintillaView::~ScintillaView() = default;

QByteArray ScintillaView::bytesBetween(long start, long end) const
{
    const long length = SendScintilla(SCI_GETLENGTH);
    start = std::clamp(start, 0L, length);
    end = std::clamp(end, start, length);
    QByteArray bytes(end - start + 1, Qt::Uninitialized); // and the NUL SCI_GETTEXTRANGE ends with
    SendScintilla(SCI_GETTEXTRANGE, start, end, bytes.data());
    bytes.resize(end - start);
    return bytes;
}

void ScintillaView::setLanguage(const QString& languageId)
{
    std::unique_ptr<QsciLexer> lexer = lexerForLanguage(languageId);
    setLexer(lexer.get());
    lexer_ = std::move(lexer);
    applyTheme();
}

void ScintillaView::setDarkTheme(bool dark)
{
    dark_ = dark;
    applyTheme();
}

void ScintillaView::setGhostText(const QString& text)
{
    if (text == ghostText_)
        return;
    ghostText_ = text;
    placeGhostAnnotation();
    viewport()->update();
}

bool ScintillaView::event(QEvent* event)
{
    // Take the ghost keys before a window shortcut (Esc closing a panel) can.
    if (event->type() == QEvent::ShortcutOverride && !ghostText_.isEmpty()
        && ghostKeyOf(*static_cast<QKeyEvent*>(event))) {
        event->accept();
        return true;
    }
    return QsciScintilla::event(event);
}

void ScintillaView::keyPressEvent(QKeyEvent* event)
{
    if (const std::optional<GhostKey> key = ghostKeyOf(*event); key && !ghostText_.isEmpty()) {
        event->accept();
        emit ghostKeyPressed(*key);
        return;
    }
    const int editsBefore = edits_;
    QsciScintilla::keyPressEvent(event);
    if (edits_ != editsBefore && isPrintable(event->text()))
        emit typed(event->text());
}

void ScintillaView::inputMethodEvent(QInputMethodEvent* event)
{
    const int editsBefore = edits_;
    QsciScintilla::inputMethodEvent(event);
    if (edits_ != editsBefore && isPrintable(event->commitString()))
        emit typed(event->commitString());
}

void ScintillaView::paintEvent(QPaintEvent* event)
{
    QsciScintilla::paintEvent(event);
    if (ghostText_.isEmpty())
        return;
    QPainter painter(viewport());
    paintGhostLine(painter);
}

void ScintillaView::applyTheme()
{
    applyEditorTheme(*this, editorPalette(dark_), font_);
    styleGhostAnnotations(); // after the lexer change or the style reset that came before
    updateLineNumberWidth();
    viewport()->update();
}

void ScintillaView::styleGhostAnnotations()
{
    const EditorPalette& palette = editorPalette(dark_);
    QFont italic = font_;
    italic.setItalic(true);
    const struct {
        const QFont& font;
        QColor color;
    } looks[] = {{italic, palette.ghost}, {font_, palette.text}};
    for (int i = 0; i < 2; ++i) {
        setStyleFont(*this, ghostStyles_ + i, looks[i].font);
        SendScintilla(SCI_STYLESETFORE, ulong(ghostStyles_ + i), looks[i].color);
        SendScintilla(SCI_STYLESETBACK, ulong(ghostStyles_ + i), palette.paper);
    }
}

void ScintillaView::updateLineNumberWidth()
{
    // One digit more than the line count needs: room on both sides of the numbers.
    const qsizetype digits = std::max<qsizetype>(QString::number(lines()).size(), 2) + 1;
    setMarginWidth(0, QString(digits, u'9'));
}

void ScintillaView::placeGhostAnnotation()
{
    const QStringList lines = linesOf(ghostText_);
    long line = -1;
    QByteArray annotation;
    QByteArray styles; // one a byte: 0 ghost text, 1 the text after it (offsets from ghostStyles_)
    if (lines.size() > 1) {
        const long position = SendScintilla(SCI_GETCURRENTPOS);
        line = SendScintilla(SCI_LINEFROMPOSITION, position);
        const QString rest = QString::fromUtf8(bytesBetween(position, SendScintilla(SCI_GETLINEENDPOSITION, line)));
        QStringList shown;
        for (qsizetype i = 1; i < lines.size(); ++i)
            shown << expandTabs(lines[i], 0);
        const QByteArray ghost = shown.join(u'\n').toUtf8();
        const QByteArray after = expandTabs(rest, shown.last().size()).toUtf8();
        annotation = ghost + after;
        styles = QByteArray(ghost.size(), '\0') + QByteArray(after.size(), '\1');
    }
    // Unchanged, and still on its line (Scintilla moves annotations with the lines they are on).
    if (line == annotatedLine_ && annotation == annotation_
        && (line < 0 || SendScintilla(SCI_ANNOTATIONGETLINES, ulong(line)) > 0))
        return;
    SendScintilla(SCI_ANNOTATIONCLEARALL);
    annotatedLine_ = line;
    annotation_ = annotation;
    if (line < 0)
        return;
    SendScintilla(SCI_ANNOTATIONSETTEXT, uintptr_t(line), annotation.constData());
    SendScintilla(SCI_ANNOTATIONSETSTYLES, uintptr_t(line), styles.constData());
}

void ScintillaView::paintGhostLine(QPainter& painter)
{
    const long position = SendScintilla(SCI_GETCURRENTPOS);
    const long line = SendScintilla(SCI_LINEFROMPOSITION, position);
    if (!SendScintilla(SCI_GETLINEVISIBLE, ulong(line)))
        return; // folded away
    const EditorPalette& palette = editorPalette(dark_);
    const int x = int(SendScintilla(SCI_POINTXFROMPOSITION, 0UL, position));
    const int y = int(SendScintilla(SCI_POINTYFROMPOSITION, 0UL, position));
    const int height = int(SendScintilla(SCI_TEXTHEIGHT, ulong(line)));
    const qreal lineStartX = qreal(SendScintilla(SCI_POINTXFROMPOSITION, 0UL, SendScintilla(SCI_POSITIONFROMLINE, line)));
    const int left = textAreaLeft();
    painter.setClipRect(QRect(left, 0, viewport()->width() - left, viewport()->height()));

    const int ghostX = x + int(SendScintilla(SCI_GETCARETWIDTH)); // the caret stays in sight, left of it
    painter.fillRect(QRect(ghostX, y, viewport()->width() - ghostX, height),
                     SendScintilla(SCI_GETCARETLINEVISIBLE) ? palette.caretLine : palette.paper);
    // Scintilla puts every line's baseline at the tallest font's ascent, truncated to whole pixels.
    const qreal baseline = y + std::trunc(QFontMetricsF(zoomedFont(false)).ascent());
    painter.setFont(zoomedFont(true));
    painter.setPen(palette.ghost);
    const QStringList lines = linesOf(ghostText_);
    const qreal end = drawRun(painter, lines.first(), ghostX, baseline, lineStartX);
    if (lines.size() == 1) // otherwise the rest of the line follows the last ghost line, below
        paintRestOfLine(painter, position, SendScintilla(SCI_GETLINEENDPOSITION, line), end, baseline, lineStartX);
}

// The text of [from, to) on the cursor's line from x, each run of one style in that style's colour.
void ScintillaView::paintRestOfLine(QPainter& painter, long from, long to, qreal x, qreal baseline, qreal lineStartX)
{
    painter.setFont(zoomedFont(false));
    long runStart = from;
    while (runStart < to) {
        const long style = SendScintilla(SCI_GETSTYLEAT, runStart);
        long runEnd = runStart + 1;
        while (runEnd < to && SendScintilla(SCI_GETSTYLEAT, runEnd) == style)
            ++runEnd;
        painter.setPen(colorOfScintilla(SendScintilla(SCI_STYLEGETFORE, ulong(style))));
        x = drawRun(painter, QString::fromUtf8(bytesBetween(runStart, runEnd)), x, baseline, lineStartX);
        runStart = runEnd;
    }
}

// The editor's font as Scintilla draws it now: zoom adds points (to 2 at the least).
QFont ScintillaView::zoomedFont(bool italic) const
{
    QFont font = font_;
    font.setPointSizeF(std::max(2.0, font_.pointSizeF() + qreal(SendScintilla(SCI_GETZOOM))));
    font.setItalic(italic);
    return font;
}

int ScintillaView::textAreaLeft() const
{
    long left = SendScintilla(SCI_GETMARGINLEFT);
    const long margins = SendScintilla(SCI_GETMARGINS);
    for (long margin = 0; margin < margins; ++margin)
        left += SendScintilla(SCI_GETMARGINWIDTHN, ulong(margin));
    return int(left);
}

void ScintillaView::contextMenuEvent(QContextMenuEvent* event)
{
    const std::unique_ptr<QMenu> menu(createStandardContextMenu());
    if (!menu)
        return;
    if (!contextActions_.isEmpty()) {
        menu->addSeparator();
        menu->addActions(contextActions_);
    }
    menu->exec(event->globalPos());
}

} // namespace latent::ui
