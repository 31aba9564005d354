// The diff preview's data (app/coding/line_diff.h): line diffs by dtl for an insertion, a
// deletion, a replacement, a whole file, empty texts and CRLF files; hunks with their context
// and gaps; and the edit that gives the "after" text.

#include "app/coding/line_diff.h"

#include <QTest>

#include <algorithm>

using namespace latent::app;
using Kind = DiffLine::Kind;

namespace {

// A diff written compactly: one row per line, "  text" same, "+ text" added, "- text" removed,
// with the line numbers each row must carry.
struct Row {
    char mark;
    int oldLine;
    int newLine;
    const char* text;
};

void compareRows(const QList<DiffLine>& actual, const std::vector<Row>& expected)
{
    QStringList got, want;
    const auto mark = [](Kind kind) { return QChar(kind == Kind::Added ? u'+' : kind == Kind::Removed ? u'-' : u' '); };
    for (const DiffLine& line : actual)
        got.append(QStringLiteral("%1 %2 %3 %4").arg(mark(line.kind)).arg(line.oldLine).arg(line.newLine).arg(line.text));
    for (const Row& row : expected)
        want.append(QStringLiteral("%1 %2 %3 %4").arg(QChar::fromLatin1(row.mark)).arg(row.oldLine).arg(row.newLine)
                        .arg(QString::fromUtf8(row.text)));
    QCOMPARE(got, want);
}

QString numberedLines(int count)
{
    QString text;
    for (int i = 1; i <= count; ++i)
        text += QStringLiteral("line %1\n").arg(i);
    return text;
}

} // namespace

class LineDiffTest : public QObject {
    Q_OBJECT

private slots:
    void insertion()
    {
        compareRows(lineDiff(QStringLiteral("a\nb\nc\n"), QStringLiteral("a\nb\nnew 1\nnew 2\nc\n")),
                    {{' ', 1, 1, "a"}, {' ', 2, 2, "b"}, {'+', 0, 3, "new 1"}, {'+', 0, 4, "new 2"}, {' ', 3, 5, "c"}});
    }

    void deletion()
    {
        compareRows(lineDiff(QStringLiteral("a\nb\nc\nd\n"), QStringLiteral("a\nd\n")),
                    {{' ', 1, 1, "a"}, {'-', 2, 0, "b"}, {'-', 3, 0, "c"}, {' ', 4, 2, "d"}});
    }

    void replacementRemovesBeforeItAdds()
    {
        compareRows(lineDiff(QStringLiteral("int f() {\n    return 1;\n}\n"),
                             QStringLiteral("int f() {\n    int x = 2;\n    return x;\n}\n")),
                    {{' ', 1, 1, "int f() {"},
                     {'-', 2, 0, "    return 1;"},
                     {'+', 0, 2, "    int x = 2;"},
                     {'+', 0, 3, "    return x;"},
                     {' ', 3, 4, "}"}});
    }

    void wholeFileReplaced()
    {
        compareRows(lineDiff(QStringLiteral("old 1\nold 2\n"), QStringLiteral("new 1\nnew 2\nnew 3")),
                    {{'-', 1, 0, "old 1"}, {'-', 2, 0, "old 2"}, {'+', 0, 1, "new 1"}, {'+', 0, 2, "new 2"},
                     {'+', 0, 3, "new 3"}});
    }

    void emptyTexts()
    {
        compareRows(lineDiff(QString(), QStringLiteral("a\nb")), {{'+', 0, 1, "a"}, {'+', 0, 2, "b"}});
        compareRows(lineDiff(QStringLiteral("a\nb\n"), QString()), {{'-', 1, 0, "a"}, {'-', 2, 0, "b"}});
        compareRows(lineDiff(QString(), QString()), {});
        // One empty line is a line.
        compareRows(lineDiff(QString(), QStringLiteral("\n")), {{'+', 0, 1, ""}});
    }

    void unchangedTexts()
    {
        const QString text = numberedLines(4);
        const QList<DiffLine> lines = lineDiff(text, text);
        QCOMPARE(lines.size(), 4);
        for (const DiffLine& line : lines)
            QCOMPARE(line.kind, Kind::Same);
        QVERIFY(diffHunks(lines).isEmpty());
    }

    void crlfLinesCompareWithoutTheirEnds()
    {
        compareRows(lineDiff(QStringLiteral("a\r\nb\r\nc\r\n"), QStringLiteral("a\r\nB\r\nc\r\n")),
                    {{' ', 1, 1, "a"}, {'-', 2, 0, "b"}, {'+', 0, 2, "B"}, {' ', 3, 3, "c"}});
        // The same lines with other line ends are unchanged.
        for (const DiffLine& line : lineDiff(QStringLiteral("a\r\nb\r\n"), QStringLiteral("a\nb\n")))
            QCOMPARE(line.kind, Kind::Same);
    }

    void chineseLines()
    {
        compareRows(lineDiff(QStringLiteral("# 你好\nx = 1\n"), QStringLiteral("# 你好，世界\nx = 1\n")),
                    {{'-', 1, 0, "# 你好"}, {'+', 0, 1, "# 你好，世界"}, {' ', 2, 2, "x = 1"}});
    }

    void hunksKeepContextAndMarkGaps()
    {
        QString after = numberedLines(20);
        after.replace(QStringLiteral("line 3\n"), QStringLiteral("line three\n"));
        after.replace(QStringLiteral("line 16\n"), QString());
        const QList<DiffLine> hunks = diffHunks(lineDiff(numberedLines(20), after), 2);
        compareRows(hunks, {{' ', 1, 1, "line 1"},
                            {' ', 2, 2, "line 2"},
                            {'-', 3, 0, "line 3"},
                            {'+', 0, 3, "line three"},
                            {' ', 4, 4, "line 4"},
                            {' ', 5, 5, "line 5"},
                            {' ', 0, 0, ""}, // the gap: lines 6 to 13 left out
                            {' ', 14, 14, "line 14"},
                            {' ', 15, 15, "line 15"},
                            {'-', 16, 0, "line 16"},
                            {' ', 17, 16, "line 17"},
                            {' ', 18, 17, "line 18"}});
        QVERIFY(hunks[6].isGap());
        QVERIFY(!hunks[0].isGap());
        // Hunks whose context touches are one.
        QString near = numberedLines(10);
        near.replace(QStringLiteral("line 2\n"), QString()).replace(QStringLiteral("line 7\n"), QString());
        const QList<DiffLine> joined = diffHunks(lineDiff(numberedLines(10), near), 2);
        QCOMPARE(std::count_if(joined.begin(), joined.end(), [](const DiffLine& l) { return l.isGap(); }), 0);
        QCOMPARE(joined.first().oldLine, 1);
        QCOMPARE(joined.last().oldLine, 9);
        // No context: the changed lines only, a gap between them.
        compareRows(diffHunks(lineDiff(numberedLines(10), near), 0),
                    {{'-', 2, 0, "line 2"}, {' ', 0, 0, ""}, {'-', 7, 0, "line 7"}});
    }

    void hunksUseThreeLinesOfContextByDefault()
    {
        QString after = numberedLines(30);
        after.replace(QStringLiteral("line 15\n"), QStringLiteral("line fifteen\n"));
        const QList<DiffLine> hunks = diffHunks(lineDiff(numberedLines(30), after));
        QCOMPARE(hunks.size(), 8); // 3 before, the removed and added line, 3 after
        QCOMPARE(hunks.first().oldLine, 12);
        QCOMPARE(hunks.last().oldLine, 18);
    }

    void applyEditMakesTheAfterText()
    {
        const QString document = QStringLiteral("def f():\n    pass\n");
        // Insert at the cursor.
        QCOMPARE(applyEdit(document, 9, 9, QStringLiteral("    x = 1\n")), QStringLiteral("def f():\n    x = 1\n    pass\n"));
        // Replace a selection.
        QCOMPARE(applyEdit(document, 13, 17, QStringLiteral("return 1")), QStringLiteral("def f():\n    return 1\n"));
        // Replace the file.
        QCOMPARE(applyEdit(document, 0, int(document.size()), QStringLiteral("x = 2\n")), QStringLiteral("x = 2\n"));
        // Offsets outside the document are clamped; an end before the start inserts.
        QCOMPARE(applyEdit(document, 100, 200, QStringLiteral("#")), document + u'#');
        QCOMPARE(applyEdit(document, -5, 0, QStringLiteral("#")), u'#' + document);
        QCOMPARE(applyEdit(document, 4, 2, QStringLiteral("#")), QStringLiteral("def #f():\n    pass\n"));
        QCOMPARE(applyEdit(QString(), 0, 0, QStringLiteral("a")), QStringLiteral("a"));
    }
};

QTEST_GUILESS_MAIN(LineDiffTest)
#include "test_line_diff.moc"
