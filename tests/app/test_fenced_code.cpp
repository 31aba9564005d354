// Unwrapping a model's answer to its code while it streams (app/coding/fenced_code.h): prose
// before the fence, no fence, an unclosed fence, fences inside the code, and the same code
// however the answer is split into pieces (every split point, single characters, random pieces).

#include "app/coding/fenced_code.h"

#include <QRandomGenerator>
#include <QTest>

using namespace latent::app;

namespace {

QString unwrap(const QStringList& pieces)
{
    FencedCodeStream stream;
    QString code;
    for (const QString& piece : pieces)
        code += stream.add(piece);
    return code + stream.finish();
}

QString unwrapInPieces(const QString& answer, const QList<qsizetype>& cuts)
{
    QStringList pieces;
    qsizetype start = 0;
    for (qsizetype cut : cuts) {
        pieces.append(answer.sliced(start, cut - start));
        start = cut;
    }
    pieces.append(answer.sliced(start));
    return unwrap(pieces);
}

} // namespace

class FencedCodeTest : public QObject {
    Q_OBJECT

private slots:
    void answers_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("code");
        QTest::newRow("fence only") << "```python\ndef f():\n    return 1\n```\n"
                                    << "def f():\n    return 1";
        QTest::newRow("prose before and after")
            << "Here is the function:\n\n```cpp\nint twice(int x) { return 2 * x; }\n```\n\nIt doubles x.\n"
            << "int twice(int x) { return 2 * x; }";
        QTest::newRow("no fence") << "\n\n    x = compute()\nprint(x)\n\n" << "    x = compute()\nprint(x)";
        QTest::newRow("no fence, CRLF") << "a = 1\r\nb = 2\r\n" << "a = 1\nb = 2";
        QTest::newRow("unclosed fence") << "Sure:\n```js\nconst a = 1;\nconst b = `x`;" << "const a = 1;\nconst b = `x`;";
        QTest::newRow("unclosed, ends with a partial fence") << "```\nx\n``" << "x\n``";
        QTest::newRow("closing fence without a line end") << "```\nx\n```" << "x";
        QTest::newRow("backticks inside the code")
            << "```python\ns = \"```\"\nt = '``'\n  ```python\n```\n"
            << "s = \"```\"\nt = '``'\n  ```python";
        QTest::newRow("longer fence holds a fence")
            << "````markdown\n# Title\n```sh\nls\n```\n````\nthe end\n" << "# Title\n```sh\nls\n```";
        QTest::newRow("tilde fence") << "~~~rust\nfn main() {}\n```\n~~~\n" << "fn main() {}\n```";
        QTest::newRow("blank lines inside") << "```\n\na\n\n\nb\n\n```" << "\na\n\n\nb\n";
        QTest::newRow("CRLF inside") << "```c\r\nint x;\r\nint y;\r\n```\r\n" << "int x;\nint y;";
        QTest::newRow("indented fence") << "1. Do this:\n   ```go\n   func f() {\n       g()\n   }\n   ```\n"
                                        << "func f() {\n    g()\n}";
        QTest::newRow("empty block") << "```\n```\nprose" << "";
        QTest::newRow("ends on the opening fence") << "Here:\n```python" << "";
        QTest::newRow("second block dropped") << "```\none\n```\n```\ntwo\n```\n" << "one";
        QTest::newRow("inline triple backticks are prose") << "Use ```x``` here\n" << "Use ```x``` here";
        QTest::newRow("Chinese and emoji") << "代码如下：\n```\nprint(\"你好 😀\")\n```\n" << "print(\"你好 😀\")";
        QTest::newRow("empty answer") << "" << "";
    }

    void answers()
    {
        QFETCH(QString, answer);
        QFETCH(QString, code);
        QCOMPARE(unwrap({answer}), code);
    }

    void everySplitGivesTheSameCode_data() { answers_data(); }
    void everySplitGivesTheSameCode()
    {
        QFETCH(QString, answer);
        QFETCH(QString, code);
        // One cut anywhere, two cuts anywhere.
        for (qsizetype a = 0; a <= answer.size(); ++a) {
            QCOMPARE(unwrapInPieces(answer, {a}), code);
            for (qsizetype b = a; b <= answer.size(); ++b)
                QCOMPARE(unwrapInPieces(answer, {a, b}), code);
        }
        // Single characters.
        QStringList characters;
        for (QChar c : answer)
            characters.append(QString(c));
        QCOMPARE(unwrap(characters), code);
        // Random pieces.
        QRandomGenerator random(7);
        for (int round = 0; round < 50; ++round) {
            QList<qsizetype> cuts;
            for (qsizetype at = random.bounded(4); at < answer.size(); at += 1 + random.bounded(6))
                cuts.append(at);
            QCOMPARE(unwrapInPieces(answer, cuts), code);
        }
    }

    void codeStreamsBeforeTheAnswerEnds()
    {
        FencedCodeStream stream;
        QCOMPARE(stream.add(QStringLiteral("Here you go:\n")), QString()); // prose is held back
        QCOMPARE(stream.add(QStringLiteral("```py")), QString());
        QCOMPARE(stream.add(QStringLiteral("thon\nimport os")), QStringLiteral("import os"));
        QCOMPARE(stream.add(QStringLiteral("\n")), QString()); // the line end waits for the next line
        QCOMPARE(stream.add(QStringLiteral("print(")), QStringLiteral("\nprint("));
        QCOMPARE(stream.add(QStringLiteral("os.name)\n`")), QStringLiteral("os.name)"));
        QCOMPARE(stream.add(QStringLiteral("`")), QString()); // could be the closing fence
        QCOMPARE(stream.add(QStringLiteral("`\nMore prose.")), QString());
        QCOMPARE(stream.finish(), QString());
    }

    void partialLineThatIsNoFenceStreams()
    {
        FencedCodeStream stream;
        stream.add(QStringLiteral("```\n"));
        QCOMPARE(stream.add(QStringLiteral("    ")), QString()); // indentation: could precede a fence
        QCOMPARE(stream.add(QStringLiteral("``")), QString());
        QCOMPARE(stream.add(QStringLiteral("x")), QStringLiteral("    ``x")); // no fence after all
        QCOMPARE(stream.add(QStringLiteral("y\r")), QStringLiteral("y"));     // a "\r" may start "\r\n"
        QCOMPARE(stream.add(QStringLiteral("\n```")), QString());
        QCOMPARE(stream.finish(), QString());
    }

    void fenceLines()
    {
        QString info;
        const std::optional<CodeFence> fence = openingFence(u"  ````c++ title=x", &info);
        QVERIFY(fence);
        QCOMPARE(fence->marker, QChar(u'`'));
        QCOMPARE(fence->length, qsizetype(4));
        QCOMPARE(fence->indent, qsizetype(2));
        QCOMPARE(info, QStringLiteral("c++ title=x"));
        QVERIFY(!openingFence(u"``"));
        QVERIFY(!openingFence(u"```a`b"));
        QVERIFY(openingFence(u"~~~a`b")); // backticks are allowed after tildes
        QVERIFY(closesFence(u"  ````  ", *fence));
        QVERIFY(closesFence(u"`````", *fence));
        QVERIFY(!closesFence(u"```", *fence));
        QVERIFY(!closesFence(u"````c", *fence));
        QVERIFY(!closesFence(u"~~~~", *fence));
    }
};

QTEST_GUILESS_MAIN(FencedCodeTest)
#include "test_fenced_code.moc"
