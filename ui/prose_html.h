#pragma once

#include <QColor>
#include <QString>

class QTextDocument;

namespace latent::ui {

// The theme's colours that markdown prose draws with besides its text (Theme.qml holds them).
struct ProseColors {
    QColor border; // table rules
    QColor link;
};

// Qt's markdown import gives a document that looks like a 1990s web page: tables with double
// borders and a first header cell neither bold nor aligned, and the same 6 px around every block.
// This restyles such a document as chat apps draw markdown:
//   - tables: single hairline rules in the border colour (collapsed), cell padding, the header
//     row bold and aligned like its column;
//   - rhythm: paragraphs 8 px apart, 16 px before a heading, lists and tables 8 px from their
//     neighbours and list items 2 px apart (Qt collapses adjacent margins: the larger wins);
//     headings 1.5x, 1.2x and 1x the body size, bold; a quote nested in a quote indented 16 px
//     (a quote's bar is the QML's: splitBlockQuotes takes quotes out of the prose);
//   - links in the theme's link colour, underlined.
void styleProse(QTextDocument& document, const ProseColors& colors);

// Markdown prose (Markdown.segments takes fenced code and quotes out of it) as rich text for a
// Qt Quick TextEdit (textFormat: TextEdit.RichText), styled by styleProse. The HTML sets no font,
// so the TextEdit's own font and colour apply.
QString proseHtml(const QString& markdown, const ProseColors& colors);

} // namespace latent::ui
