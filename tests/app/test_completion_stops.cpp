// When an inline completion stops and what of it is shown (app/coding/completion_stops.h): a
// blank line after content, leading line ends, trailing whitespace-only lines, a repeat of the
// line after the cursor, and the same results however the text is split into pieces.

#include "app/coding/completion_stops.h"

#include <QTest>

#include <string>

using namespace latent::app;

namespace {

struct Outcome {
    bool stopped = false;
    int piecesTaken = 0; // the pieces added up to the one that stopped it
    QString text;
};

Outcome feed(const QString& suffix, const std::vector<std::string>& pieces)
{
    CompletionStops stops(suffix);
    Outcome outcome;
    for (const std::string& piece : pieces) {
        ++outcome.piecesTaken;
        if (stops.add(piece)) {
            outcome.stopped = true;
            break;
        }
    }
    outcome.text = stops.text();
    return outcome;
}

// The text in pieces of one UTF-8 character each.
std::vector<std::string> characters(const QString& text)
{
    std::vector<std::string> pieces;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const qsizetype length = text[i].isHighSurrogate() ? 2 : 1;
        pieces.push_back(text.sliced(i, length).toStdString());
        i += length - 1;
    }
    return pieces;
}

} // namespace

class CompletionStopsTest : public QObject {
    Q_OBJECT

private slots:
    void runsToTheEndWithoutABlankLine()
    {
        const Outcome outcome = feed(QString(), {"return", " a", " +", " b"});
        QVERIFY(!outcome.stopped);
        QCOMPARE(outcome.text, QStringLiteral("return a + b"));
    }

    void blankLineAfterContentStops()
    {
        const Outcome outcome = feed(QString(), {"x = 1", "\n", "y = 2", "\n", "\n", "def other():", "\n"});
        QVERIFY(outcome.stopped);
        QCOMPARE(outcome.piecesTaken, 5); // the second "\n" makes the blank line
        QCOMPARE(outcome.text, QStringLiteral("x = 1\ny = 2"));
        // A blank line holding blanks, in one piece with what follows it.
        const Outcome blanks = feed(QString(), {"    total += x\n", "    \t\n    return total"});
        QVERIFY(blanks.stopped);
        QCOMPARE(blanks.text, QStringLiteral("    total += x"));
        // A line of blanks that goes on with code is no blank line.
        const Outcome indented = feed(QString(), {"if x:\n", "    ", "    y()"});
        QVERIFY(!indented.stopped);
        QCOMPARE(indented.text, QStringLiteral("if x:\n        y()"));
        // CRLF line ends.
        const Outcome crlf = feed(QString(), {"a();\r\n", "\r\n", "b();"});
        QVERIFY(crlf.stopped);
        QCOMPARE(crlf.text, QStringLiteral("a();"));
    }

    void leadingLineEndsAreNotAfterContent()
    {
        const Outcome outcome = feed(QString(), {"\n", "\n", "    ", "return 1", "\n"});
        QVERIFY(!outcome.stopped);
        QCOMPARE(outcome.text, QStringLiteral("\n\n    return 1"));
        const Outcome then = feed(QString(), {"\n\n", "x()\n", "\n", "y()"});
        QVERIFY(then.stopped);
        QCOMPARE(then.text, QStringLiteral("\n\nx()"));
    }

    void addAfterAStopChangesNothing()
    {
        CompletionStops stops({});
        QVERIFY(!stops.add("a\n"));
        QVERIFY(stops.add("\nb"));
        QVERIFY(stops.stopped());
        QVERIFY(stops.add("more"));
        QCOMPARE(stops.text(), QStringLiteral("a"));
    }

    void trailingWhitespaceLinesAreDropped()
    {
        QCOMPARE(feed(QString(), {"foo()\n", "    "}).text, QStringLiteral("foo()"));
        QCOMPARE(feed(QString(), {"foo()\r\n", "\t"}).text, QStringLiteral("foo()"));
        // Blanks at the end of a line with content stay: the user may be mid-expression.
        QCOMPARE(feed(QString(), {"foo(a, "}).text, QStringLiteral("foo(a, "));
        // Only whitespace: nothing to show.
        QCOMPARE(feed(QString(), {"\n", "   ", "\n"}).text, QString());
        QCOMPARE(feed(QString(), {}).text, QString());
    }

    void repeatOfTheSuffixIsDropped()
    {
        const QString suffix = QStringLiteral("\n\n    return result\n}\n");
        QCOMPARE(feed(suffix, {"    return", " result", "\n"}).text, QString());
        QCOMPARE(feed(suffix, {"return result  "}).text, QString());
        // More than the repeat is kept.
        QCOMPARE(feed(suffix, {"    result += 1\n", "    return result"}).text,
                 QStringLiteral("    result += 1\n    return result"));
        // The rest of the cursor's line counts as the suffix's first line.
        QCOMPARE(feed(QStringLiteral(")\n}"), {")"}).text, QString());
        QCOMPARE(feed(QStringLiteral("   \n"), {"x"}).text, QStringLiteral("x")); // no non-empty line
    }

    void sameResultHoweverTheTextIsSplit()
    {
        const QString text = QStringLiteral("\n    # 计算总和 😀\r\n    total = sum(值)\n  \n    return total\n");
        const Outcome whole = feed(QString(), {text.toStdString()});
        const Outcome pieces = feed(QString(), characters(text));
        QVERIFY(whole.stopped && pieces.stopped);
        QCOMPARE(whole.text, QStringLiteral("\n    # 计算总和 😀\r\n    total = sum(值)"));
        QCOMPARE(pieces.text, whole.text);
    }
};

QTEST_GUILESS_MAIN(CompletionStopsTest)
#include "test_completion_stops.moc"
