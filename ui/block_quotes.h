#pragma once

#include "ui/markdown.h"

#include <QList>

namespace latent::ui {

// Takes the block quotes out of an answer's prose segments, each a Quote segment of its own
// holding the quoted markdown (so the QML draws the bar beside it that Qt Quick's text cannot).
// A quote is CommonMark's: lines that start with ">" after at most three spaces, with the lazy
// lines that continue its paragraph (a non-blank line that starts no list item, heading, table
// row or fence); a blank line ends it. Each line loses its ">" and one space after it, so a
// nested quote stays a quote inside. Code segments pass through.
QList<MarkdownSegment> splitBlockQuotes(const QList<MarkdownSegment>& segments);

} // namespace latent::ui
