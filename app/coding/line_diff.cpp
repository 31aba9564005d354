#include "app/coding/line_diff.h"

#include <dtl/dtl.hpp>

#include <algorithm>
#include <vector>

namespace latent::app {
namespace {

std::vector<QStringView> linesOf(const QString& text)
{
    std::vector<QStringView> lines;
    QStringView rest(text);
    if (rest.endsWith(u'\n'))
        rest.chop(1); // the last line end ends the last line; it does not start an empty one
    if (text.isEmpty())
        return lines;
    for (QStringView line : rest.split(u'\n'))
        lines.push_back(line.endsWith(u'\r') ? line.chopped(1) : line);
    return lines;
}

} // namespace

QList<DiffLine> lineDiff(const QString& before, const QString& after)
{
    dtl::Diff<QStringView, std::vector<QStringView>> diff(linesOf(before), linesOf(after), /*deletesFirst=*/true);
    diff.compose();
    QList<DiffLine> lines;
    for (const auto& [line, info] : diff.getSes().getSequence()) {
        const DiffLine::Kind kind = info.type == dtl::SES_ADD      ? DiffLine::Kind::Added
                                    : info.type == dtl::SES_DELETE ? DiffLine::Kind::Removed
                                                                   : DiffLine::Kind::Same;
        lines.append({kind, int(info.beforeIdx), int(info.afterIdx), line.toString()});
    }
    return lines;
}

QList<DiffLine> diffHunks(const QList<DiffLine>& lines, int contextLines)
{
    // Each line is kept when a changed line is at most contextLines rows away.
    std::vector<bool> kept(size_t(lines.size()), false);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].kind == DiffLine::Kind::Same)
            continue;
        const qsizetype first = std::max<qsizetype>(0, i - contextLines);
        const qsizetype last = std::min<qsizetype>(lines.size() - 1, i + contextLines);
        std::fill(kept.begin() + first, kept.begin() + last + 1, true);
    }
    QList<DiffLine> hunks;
    bool leftOut = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (!kept[size_t(i)]) {
            leftOut = true;
            continue;
        }
        if (leftOut && !hunks.isEmpty())
            hunks.append(DiffLine{});
        leftOut = false;
        hunks.append(lines[i]);
    }
    return hunks;
}

QString applyEdit(const QString& document, int start, int end, const QString& replacement)
{
    const qsizetype from = std::clamp<qsizetype>(start, 0, document.size());
    const qsizetype to = std::clamp<qsizetype>(end, from, document.size());
    return document.first(from) + replacement + document.sliced(to);
}

} // namespace latent::app
