#pragma once

#include <QList>
#include <QString>

namespace latent::app {

// One row of the diff preview: a line both texts share, or one only the old or the new text has.
struct DiffLine {
    enum class Kind { Same, Added, Removed };
    Kind kind = Kind::Same;
    int oldLine = 0; // from 1; 0 for an added line (and a gap)
    int newLine = 0; // from 1; 0 for a removed line (and a gap)
    QString text;    // without its line end

    // The row diffHunks puts between two hunks where unchanged lines are left out.
    bool isGap() const { return kind == Kind::Same && oldLine == 0 && newLine == 0; }
};

// Every line of both texts in order, as dtl's shortest edit script has them, the removed lines
// of a change before the added ones. Lines are compared without their line ends, so a "\r\n"
// file against the same text with "\n" is unchanged; a last line end does not start a line.
QList<DiffLine> lineDiff(const QString& before, const QString& after);

// Only the changed lines with up to contextLines unchanged lines around each, a gap row (see
// DiffLine::isGap) where lines between two hunks are left out. Empty when nothing changed.
QList<DiffLine> diffHunks(const QList<DiffLine>& lines, int contextLines = 3);

// The document with [start, end) (UTF-16 offsets, clamped to it) replaced: the "after" text of
// an insertion at the cursor (start == end), a replaced selection, or a replaced file (0, size).
QString applyEdit(const QString& document, int start, int end, const QString& replacement);

} // namespace latent::app
