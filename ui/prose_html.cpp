#include "ui/prose_html.h"

#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextDocumentFragment>
#include <QTextFrame>
#include <QTextList>
#include <QTextTable>

namespace latent::ui {

namespace {

// The vertical rhythm, in pixels (see styleProse).
constexpr int blockGap = 8;
constexpr int headingGap = 16;
constexpr int listItemGap = 2;
constexpr int quoteIndent = 16; // per level of a quote nested in a quote (splitBlockQuotes)
constexpr int cellPaddingX = 8;
constexpr int cellPaddingY = 4;

// Headings' size steps over the body's (QTextCharFormat's font size adjustment: 2 is 1.5x, 1 is 1.2x).
int headingSizeAdjustment(int level)
{
    return level == 1 ? 2 : level == 2 ? 1 : 0;
}

QTextCursor selecting(QTextDocument& document, int from, int to)
{
    QTextCursor cursor(&document);
    cursor.setPosition(from);
    cursor.setPosition(to, QTextCursor::KeepAnchor);
    return cursor;
}

int endOf(const QTextBlock& block)
{
    return block.position() + block.length() - 1;
}

int quoteLevel(const QTextBlock& block)
{
    return block.blockFormat().intProperty(QTextFormat::BlockQuoteLevel);
}

void styleTableCell(QTextDocument& document, const QTextTableCell& cell, Qt::Alignment alignment, bool header)
{
    QTextTableCellFormat format = cell.format().toTableCellFormat();
    format.setTopPadding(cellPaddingY);
    format.setBottomPadding(cellPaddingY);
    format.setLeftPadding(cellPaddingX);
    format.setRightPadding(cellPaddingX);
    QTextTableCell(cell).setFormat(format);

    QTextCursor contents = selecting(document, cell.firstPosition(), cell.lastPosition());
    QTextBlockFormat block;
    block.setAlignment(alignment);
    contents.setBlockFormat(block); // no margins: the padding spaces the cell
    if (header) {
        QTextCharFormat bold;
        bold.setFontWeight(QFont::Bold);
        contents.mergeCharFormat(bold);
    }
}

// Markdown's importer sets a column's alignment on its body cells only, and gives the first header
// cell a paragraph's margins and no bold: the header row takes its column's alignment and bold.
void styleTable(QTextDocument& document, QTextTable* table, const ProseColors& colors)
{
    QTextTableFormat format = table->format();
    format.setBorderCollapse(true);
    format.setBorder(1);
    format.setBorderBrush(colors.border);
    format.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
    format.setCellSpacing(0);
    format.setCellPadding(0);
    format.setTopMargin(blockGap);
    format.setBottomMargin(blockGap);
    format.setHeaderRowCount(1);
    table->setFormat(format);

    for (int column = 0; column < table->columns(); ++column) {
        const int alignmentRow = table->rows() > 1 ? 1 : 0;
        const Qt::Alignment alignment =
            QTextCursor(table->cellAt(alignmentRow, column).firstCursorPosition()).blockFormat().alignment()
            & Qt::AlignHorizontal_Mask;
        for (int row = 0; row < table->rows(); ++row)
            styleTableCell(document, table->cellAt(row, column), alignment, row == 0);
    }
}

bool isInTable(const QTextBlock& block)
{
    return QTextCursor(block).currentTable() != nullptr;
}

// Margins for the rhythm; a nested quote is indented less than Qt's 40 px on each side.
void spaceBlock(QTextCursor& cursor, const QTextBlock& block)
{
    QTextBlockFormat format = block.blockFormat();
    const int gap = format.headingLevel() > 0 ? headingGap : block.textList() ? listItemGap : blockGap;
    format.setTopMargin(gap);
    format.setBottomMargin(format.headingLevel() > 0 ? blockGap : gap);
    if (quoteLevel(block) > 0) {
        format.setLeftMargin(quoteLevel(block) * quoteIndent);
        format.setRightMargin(0);
    }
    cursor.setBlockFormat(format);
}

void styleHeading(QTextCursor& cursor, int level)
{
    QTextCharFormat format;
    format.setProperty(QTextFormat::FontSizeAdjustment, headingSizeAdjustment(level));
    format.setFontWeight(QFont::Bold);
    cursor.mergeCharFormat(format);
}

void colorLinks(QTextDocument& document, const QTextBlock& block, const ProseColors& colors)
{
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        if (!fragment.charFormat().isAnchor() || fragment.charFormat().anchorHref().isEmpty())
            continue;
        QTextCharFormat link;
        link.setForeground(colors.link);
        link.setFontUnderline(true);
        selecting(document, fragment.position(), fragment.position() + fragment.length()).mergeCharFormat(link);
    }
}

// Links everywhere; rhythm and headings outside tables (styleTable spaces the cells).
void styleBlocks(QTextDocument& document, const ProseColors& colors)
{
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        colorLinks(document, block, colors);
        if (isInTable(block))
            continue;
        QTextCursor cursor = selecting(document, block.position(), endOf(block));
        spaceBlock(cursor, block);
        if (block.blockFormat().headingLevel() > 0)
            styleHeading(cursor, block.blockFormat().headingLevel());
    }
}

} // namespace

void styleProse(QTextDocument& document, const ProseColors& colors)
{
    for (QTextFrame* frame : document.rootFrame()->childFrames())
        if (auto* table = qobject_cast<QTextTable*>(frame))
            styleTable(document, table, colors);
    styleBlocks(document, colors);
}

QString proseHtml(const QString& markdown, const ProseColors& colors)
{
    QTextDocument document;
    document.setMarkdown(markdown, QTextDocument::MarkdownDialectGitHub);
    styleProse(document, colors);
    // A fragment's HTML sets no font on its body, so the TextEdit's font applies.
    return QTextDocumentFragment(&document).toHtml();
}

} // namespace latent::ui
