// The diff preview before a chat code block is applied (ui/editor/diff_preview_dialog.h): an
// insertion, a deletion, a replacement, a whole file, empty texts on either side and identical
// texts; what each row of the view says (both line numbers and a + or - marker), the colour
// behind it, the counts and the summary, Apply enabled only when something changes, and the
// light and dark colours.

#include "ui/editor/diff_preview_dialog.h"

#include <QApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>
#include <QTextBlock>

#include <optional>

using latent::app::DiffLine;
using latent::ui::DiffPreviewDialog;
using Kind = DiffLine::Kind;

namespace {

// A row as the view must show it, written here independently of the dialog: the old and the
// new line number (blank where the line has none), each right-aligned in 5 columns, then the
// marker and the text.
QString shown(int oldLine, int newLine, char marker, const QString& text)
{
    const auto number = [](int n) { return (n > 0 ? QString::number(n) : QString()).rightJustified(5); };
    return number(oldLine) + u' ' + number(newLine) + QStringLiteral("  ") + QLatin1Char(marker) + u' ' + text;
}

QStringList blockTexts(const DiffPreviewDialog& dialog)
{
    QStringList texts;
    for (QTextBlock block = dialog.view()->document()->begin(); block.isValid(); block = block.next())
        texts.append(block.text());
    return texts;
}

QBrush background(const DiffPreviewDialog& dialog, int row)
{
    return dialog.view()->document()->findBlockByNumber(row).blockFormat().background();
}

QPushButton* applyButton(const DiffPreviewDialog& dialog)
{
    return dialog.findChild<QPushButton*>(QStringLiteral("applyButton"));
}

QString summary(const DiffPreviewDialog& dialog)
{
    const auto* label = dialog.findChild<QLabel*>(QStringLiteral("diffSummary"));
    return label ? label->text() : QString();
}

QString kinds(const DiffPreviewDialog& dialog)
{
    QString marks;
    for (const DiffLine& row : dialog.rows())
        marks += row.isGap() ? u'~' : row.kind == Kind::Added ? u'+' : row.kind == Kind::Removed ? u'-' : u' ';
    return marks;
}

QString numberedLines(int count)
{
    QString text;
    for (int i = 1; i <= count; ++i)
        text += QStringLiteral("line %1\n").arg(i);
    return text;
}

} // namespace

class DiffPreviewTest : public QObject {
    Q_OBJECT

    // Every row's colour: added and removed have their own, unlike each other and unlike the
    // unchanged lines (which have none, showing the view's base).
    static void checkColours(const DiffPreviewDialog& dialog)
    {
        std::optional<QColor> added, removed;
        for (int row = 0; row < dialog.rows().size(); ++row) {
            const DiffLine& line = dialog.rows()[row];
            const QBrush brush = background(dialog, row);
            if (line.isGap())
                continue;
            if (line.kind == Kind::Same) {
                QCOMPARE(brush.style(), Qt::NoBrush);
                continue;
            }
            QCOMPARE(brush.style(), Qt::SolidPattern);
            QVERIFY(brush.color() != dialog.view()->palette().color(QPalette::Base));
            std::optional<QColor>& seen = line.kind == Kind::Added ? added : removed;
            if (seen)
                QCOMPARE(brush.color(), *seen); // one colour for every row of a kind
            seen = brush.color();
        }
        if (added && removed)
            QVERIFY(*added != *removed);
    }

private slots:
    void anInsertion()
    {
        DiffPreviewDialog dialog(QStringLiteral("Apply to main.py"), QStringLiteral("a\nb\nc\n"),
                                 QStringLiteral("a\nb\nnew 1\nnew 2\nc\n"), false);
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Apply to main.py"));
        QCOMPARE(dialog.addedLines(), 2);
        QCOMPARE(dialog.removedLines(), 0);
        QCOMPARE(kinds(dialog), QStringLiteral("  ++ "));
        QCOMPARE(blockTexts(dialog), (QStringList{shown(1, 1, ' ', "a"), shown(2, 2, ' ', "b"),
                                                  shown(0, 3, '+', "new 1"), shown(0, 4, '+', "new 2"),
                                                  shown(3, 5, ' ', "c")}));
        checkColours(dialog);
        QVERIFY(background(dialog, 2).style() != background(dialog, 1).style());
        QVERIFY(applyButton(dialog));
        QVERIFY(applyButton(dialog)->isEnabled());
        QVERIFY2(QRegularExpression(QStringLiteral("^2 line.* added, 0 line.* removed$")).match(summary(dialog)).hasMatch(),
                 qPrintable(summary(dialog)));
    }

    void aDeletion()
    {
        DiffPreviewDialog dialog(QStringLiteral("Apply"), QStringLiteral("a\nb\nc\nd\n"), QStringLiteral("a\nd\n"),
                                 false);
        QCOMPARE(dialog.addedLines(), 0);
        QCOMPARE(dialog.removedLines(), 2);
        QCOMPARE(kinds(dialog), QStringLiteral(" -- "));
        QCOMPARE(blockTexts(dialog), (QStringList{shown(1, 1, ' ', "a"), shown(2, 0, '-', "b"), shown(3, 0, '-', "c"),
                                                  shown(4, 2, ' ', "d")}));
        checkColours(dialog);
        QVERIFY(applyButton(dialog)->isEnabled());
        QVERIFY2(QRegularExpression(QStringLiteral("^0 line.* added, 2 line.* removed$")).match(summary(dialog)).hasMatch(),
                 qPrintable(summary(dialog)));
    }

    void aReplacementRemovesBeforeItAdds()
    {
        DiffPreviewDialog dialog(QStringLiteral("Apply"), QStringLiteral("int f() {\n    return 1;\n}\n"),
                                 QStringLiteral("int f() {\n    int x = 2;\n    return x;\n}\n"), false);
        QCOMPARE(dialog.addedLines(), 2);
        QCOMPARE(dialog.removedLines(), 1);
        QCOMPARE(kinds(dialog), QStringLiteral(" -++ "));
        QCOMPARE(blockTexts(dialog),
                 (QStringList{shown(1, 1, ' ', "int f() {"), shown(2, 0, '-', "    return 1;"),
                              shown(0, 2, '+', "    int x = 2;"), shown(0, 3, '+', "    return x;"), shown(3, 4, ' ', "}")}));
        checkColours(dialog);
        // Both colours are there, and they differ.
        QCOMPARE(background(dialog, 1).style(), Qt::SolidPattern);
        QCOMPARE(background(dialog, 2).style(), Qt::SolidPattern);
        QVERIFY(background(dialog, 1).color() != background(dialog, 2).color());
        QVERIFY(applyButton(dialog)->isEnabled());
    }

    void aWholeFileReplaced()
    {
        DiffPreviewDialog dialog(QStringLiteral("Apply"), QStringLiteral("old 1\nold 2\n"),
                                 QStringLiteral("new 1\nnew 2\nnew 3"), false);
        QCOMPARE(dialog.addedLines(), 3);
        QCOMPARE(dialog.removedLines(), 2);
        QCOMPARE(kinds(dialog), QStringLiteral("--+++"));
        QCOMPARE(blockTexts(dialog), (QStringList{shown(1, 0, '-', "old 1"), shown(2, 0, '-', "old 2"),
                                                  shown(0, 1, '+', "new 1"), shown(0, 2, '+', "new 2"),
                                                  shown(0, 3, '+', "new 3")}));
        checkColours(dialog);
        QVERIFY(applyButton(dialog)->isEnabled());
    }

    void anEmptyBeforeIsAllAdded()
    {
        DiffPreviewDialog dialog(QStringLiteral("Apply"), QString(), QStringLiteral("x = 1\ny = 2\n"), false);
        QCOMPARE(dialog.addedLines(), 2);
        QCOMPARE(dialog.removedLines(), 0);
        QCOMPARE(blockTexts(dialog), (QStringList{shown(0, 1, '+', "x = 1"), shown(0, 2, '+', "y = 2")}));
        checkColours(dialog);
        QVERIFY(applyButton(dialog)->isEnabled());
    }

    void anEmptyAfterIsAllRemoved()
    {
        DiffPreviewDialog dialog(QStringLiteral("Apply"), QStringLiteral("x = 1\ny = 2\n"), QString(), false);
        QCOMPARE(dialog.addedLines(), 0);
        QCOMPARE(dialog.removedLines(), 2);
        QCOMPARE(blockTexts(dialog), (QStringList{shown(1, 0, '-', "x = 1"), shown(2, 0, '-', "y = 2")}));
        checkColours(dialog);
        QVERIFY(applyButton(dialog)->isEnabled());
    }

    void identicalTextsChangeNothing()
    {
        const QString code = QStringLiteral("def f():\n    return 1\n");
        DiffPreviewDialog dialog(QStringLiteral("Apply"), code, code, false);
        QCOMPARE(dialog.rows().size(), 0);
        QCOMPARE(dialog.addedLines(), 0);
        QCOMPARE(dialog.removedLines(), 0);
        QCOMPARE(dialog.view()->toPlainText(), QString());
        QVERIFY(!applyButton(dialog)->isEnabled());
        QVERIFY2(summary(dialog).contains(QStringLiteral("Nothing changes")), qPrintable(summary(dialog)));

        // The same lines with other line ends are no change either.
        DiffPreviewDialog crlf(QStringLiteral("Apply"), code, QString(code).replace(u'\n', QStringLiteral("\r\n")), false);
        QVERIFY(!applyButton(crlf)->isEnabled());
    }

    void changesFarApartShowAGap()
    {
        QString after = numberedLines(20);
        after.replace(QStringLiteral("line 2\n"), QStringLiteral("line two\n"));
        after.replace(QStringLiteral("line 18\n"), QStringLiteral("line eighteen\n"));
        DiffPreviewDialog dialog(QStringLiteral("Apply"), numberedLines(20), after, false);
        QCOMPARE(dialog.addedLines(), 2);
        QCOMPARE(dialog.removedLines(), 2);
        // line 1, the change at 2, lines 3-5; a gap; lines 15-17, the change at 18, lines 19-20.
        QCOMPARE(kinds(dialog), QStringLiteral(" -+   ~   -+  "));
        const QStringList texts = blockTexts(dialog);
        QCOMPARE(texts.size(), dialog.rows().size());
        QCOMPARE(texts[1], shown(2, 0, '-', "line 2"));
        QCOMPARE(texts[2], shown(0, 2, '+', "line two"));
        QCOMPARE(texts[6], QStringLiteral("  ⋯"));
        QCOMPARE(texts[7], shown(15, 15, ' ', "line 15"));
        QCOMPARE(texts[10], shown(18, 0, '-', "line 18"));
        QCOMPARE(texts[11], shown(0, 18, '+', "line eighteen"));
        checkColours(dialog);
        const QBrush gap = background(dialog, 6);
        QCOMPARE(gap.style(), Qt::SolidPattern);
        QVERIFY(gap.color() != background(dialog, 1).color());
        QVERIFY(gap.color() != background(dialog, 2).color());
    }

    void lightAndDarkHaveTheirOwnColours()
    {
        const QString before = QStringLiteral("a\nb\n");
        const QString after = QStringLiteral("a\nc\n");
        DiffPreviewDialog light(QStringLiteral("Apply"), before, after, false);
        DiffPreviewDialog dark(QStringLiteral("Apply"), before, after, true);
        QCOMPARE(kinds(light), QStringLiteral(" -+"));
        QCOMPARE(blockTexts(dark), blockTexts(light));
        checkColours(light);
        checkColours(dark);
        for (int row : {1, 2})
            QVERIFY(background(light, row).color() != background(dark, row).color());
        const QColor lightBase = light.view()->palette().color(QPalette::Base);
        const QColor darkBase = dark.view()->palette().color(QPalette::Base);
        QVERIFY(lightBase != darkBase);
        QVERIFY(darkBase.lightness() < lightBase.lightness());
        // Text stays readable on each: dark text on light, light text on dark.
        QVERIFY(light.view()->palette().color(QPalette::Text).lightness() < lightBase.lightness());
        QVERIFY(dark.view()->palette().color(QPalette::Text).lightness() > darkBase.lightness());
    }

    void applyAcceptsAndEscapeRejects()
    {
        DiffPreviewDialog applied(QStringLiteral("Apply"), QStringLiteral("a\n"), QStringLiteral("b\n"), false);
        applied.show();
        QVERIFY(QTest::qWaitForWindowExposed(&applied));
        applyButton(applied)->click();
        QCOMPARE(applied.result(), int(QDialog::Accepted));
        QVERIFY(!applied.isVisible());

        DiffPreviewDialog escaped(QStringLiteral("Apply"), QStringLiteral("a\n"), QStringLiteral("b\n"), false);
        escaped.show();
        QVERIFY(QTest::qWaitForWindowExposed(&escaped));
        QTest::keyClick(&escaped, Qt::Key_Escape);
        QCOMPARE(escaped.result(), int(QDialog::Rejected));
        QVERIFY(!escaped.isVisible());

        // With nothing to change, Return does not apply.
        DiffPreviewDialog unchanged(QStringLiteral("Apply"), QStringLiteral("a\n"), QStringLiteral("a\n"), false);
        unchanged.show();
        QVERIFY(QTest::qWaitForWindowExposed(&unchanged));
        QTest::keyClick(&unchanged, Qt::Key_Return);
        QVERIFY(unchanged.result() != int(QDialog::Accepted));
    }
};

QTEST_MAIN(DiffPreviewTest)
#include "test_diff_preview.moc"
