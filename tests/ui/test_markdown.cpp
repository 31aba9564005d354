// Answers are split into prose and fenced code blocks as markdown defines them, and code blocks
// are highlighted into rich text that escapes every character of the code.

#include "ui/code_highlighter.h"
#include "ui/markdown.h"

#include <QGuiApplication>
#include <QStandardPaths>
#include <QTest>

using latent::ui::CodeToken;
using latent::ui::CodeTokenKind;
using latent::ui::Markdown;

namespace {

// A field of a segment, such as field(segments, 1, "code").
QString field(const QVariantList& segments, int index, const char* key)
{
    return index < segments.size() ? segments.at(index).toMap().value(QLatin1String(key)).toString()
                                   : QStringLiteral("<no segment %1>").arg(index);
}

// The text of the tokens of one kind, in order.
QStringList tokensOf(const QString& code, const QString& language, CodeTokenKind kind)
{
    QStringList texts;
    for (const CodeToken& token : latent::ui::tokenizeCode(code, language))
        if (token.kind == kind)
            texts << code.mid(token.start, token.length);
    return texts;
}

} // namespace

class MarkdownTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void splitsTextCodeText()
    {
        const QVariantList segments =
            Markdown().segments(QStringLiteral("Here:\n\n```cpp\nint main() {}\n```\n\nDone."), false);
        QCOMPARE(segments.size(), 3);
        QCOMPARE(field(segments, 0, "kind"), QStringLiteral("text"));
        QCOMPARE(field(segments, 0, "text"), QStringLiteral("Here:"));
        QCOMPARE(field(segments, 1, "kind"), QStringLiteral("code"));
        QCOMPARE(field(segments, 1, "language"), QStringLiteral("cpp"));
        QCOMPARE(field(segments, 1, "code"), QStringLiteral("int main() {}"));
        QVERIFY(field(segments, 1, "html").contains(QStringLiteral("main() {}")));
        QCOMPARE(field(segments, 2, "text"), QStringLiteral("Done."));
    }

    void tildeFencesAndInfoStrings()
    {
        const QVariantList segments = Markdown().segments(
            QStringLiteral("~~~Python title=\"a.py\"\nprint(1)\n```\nstill code\n~~~~\n````{.rust}\nfn f() {}\n````"),
            false);
        QCOMPARE(segments.size(), 2);
        QCOMPARE(field(segments, 0, "language"), QStringLiteral("python"));
        // A fence closes only with its own character, at least as long as the opening.
        QCOMPARE(field(segments, 0, "code"), QStringLiteral("print(1)\n```\nstill code"));
        QCOMPARE(field(segments, 1, "language"), QStringLiteral("rust"));
        QCOMPARE(field(segments, 1, "code"), QStringLiteral("fn f() {}"));
    }

    void noLanguage()
    {
        const QVariantList segments = Markdown().segments(QStringLiteral("```\nplain <b>\n```"), false);
        QCOMPARE(segments.size(), 1);
        QCOMPARE(field(segments, 0, "language"), QString());
        QCOMPARE(field(segments, 0, "code"), QStringLiteral("plain <b>"));
    }

    void unclosedFenceRunsToTheEnd()
    {
        // While an answer streams, its last code block is not closed yet.
        const QVariantList segments =
            Markdown().segments(QStringLiteral("Start\n```js\nconst a = 1;\nconst b"), false);
        QCOMPARE(segments.size(), 2);
        QCOMPARE(field(segments, 1, "kind"), QStringLiteral("code"));
        QCOMPARE(field(segments, 1, "code"), QStringLiteral("const a = 1;\nconst b"));
        // A fence that has just begun is already a code block, empty.
        const QVariantList opening = Markdown().segments(QStringLiteral("Start\n```cpp\n"), false);
        QCOMPARE(opening.size(), 2);
        QCOMPARE(field(opening, 1, "code"), QString());
    }

    void fencesInsideTextLinesStayText()
    {
        const QString text = QStringLiteral("Use ```cpp``` or ``x`` inline.\nA line with ``` in the middle.");
        const QVariantList segments = Markdown().segments(text, false);
        QCOMPARE(segments.size(), 1);
        QCOMPARE(field(segments, 0, "text"), text);
    }

    void indentedFenceInAListItem()
    {
        const QVariantList segments =
            Markdown().segments(QStringLiteral("1. Run:\n   ```sh\n   make\n     -j2\n   ```\n2. Done"), false);
        QCOMPARE(segments.size(), 3);
        QCOMPARE(field(segments, 1, "code"), QStringLiteral("make\n  -j2"));
        QCOMPARE(field(segments, 2, "text"), QStringLiteral("2. Done"));
    }

    void emptyInput()
    {
        QVERIFY(Markdown().segments(QString(), false).isEmpty());
        QVERIFY(Markdown().segments(QStringLiteral("\n\n  \n"), false).isEmpty());
    }

    void crlfLineEnds()
    {
        const QVariantList segments =
            Markdown().segments(QStringLiteral("a\r\nb\r\n```c\r\nx;\r\ny;\r\n```\r\n"), false);
        QCOMPARE(segments.size(), 2);
        QCOMPARE(field(segments, 0, "text"), QStringLiteral("a\nb"));
        QCOMPARE(field(segments, 1, "code"), QStringLiteral("x;\ny;"));
    }

    void chineseTextUntouched()
    {
        const QString text = QStringLiteral("这是一个函数：\n\n- 反转字符串\n- 返回结果 😀");
        const QVariantList segments = Markdown().segments(text + QStringLiteral("\n```python\n# 注释\ns = \"你好\"\n```"), false);
        QCOMPARE(segments.size(), 2);
        QCOMPARE(field(segments, 0, "text"), text);
        QCOMPARE(field(segments, 1, "code"), QStringLiteral("# 注释\ns = \"你好\""));
        QVERIFY(field(segments, 1, "html").contains(QStringLiteral("你好")));
    }

    void highlightsCpp()
    {
        const QString code = QStringLiteral("#include <string>\n// reverse it\nstd::string r(const std::string& s) {\n"
                                            "    return \"a\\\"b\" + 42;\n}");
        QCOMPARE(tokensOf(code, QStringLiteral("cpp"), CodeTokenKind::Preprocessor),
                 QStringList{QStringLiteral("#include <string>")});
        QCOMPARE(tokensOf(code, QStringLiteral("c++"), CodeTokenKind::Comment), QStringList{QStringLiteral("// reverse it")});
        QCOMPARE(tokensOf(code, QStringLiteral("cpp"), CodeTokenKind::Keyword),
                 (QStringList{QStringLiteral("const"), QStringLiteral("return")}));
        QCOMPARE(tokensOf(code, QStringLiteral("cpp"), CodeTokenKind::Type),
                 (QStringList{QStringLiteral("string"), QStringLiteral("string")}));
        QCOMPARE(tokensOf(code, QStringLiteral("cpp"), CodeTokenKind::String), QStringList{QStringLiteral("\"a\\\"b\"")});
        QCOMPARE(tokensOf(code, QStringLiteral("cpp"), CodeTokenKind::Number), QStringList{QStringLiteral("42")});

        const QString html = latent::ui::highlightCodeHtml(code, u"cpp", false);
        QVERIFY(html.startsWith(QStringLiteral("<pre")));
        QVERIFY(html.endsWith(QStringLiteral("</pre>")));
        QVERIFY(html.contains(QStringLiteral("\">return</span>")));
        QVERIFY(html.contains(QStringLiteral(";font-style:italic\">// reverse it</span>")));
        QVERIFY(html.contains(QStringLiteral("\">#include &lt;string&gt;</span>")));
        QVERIFY(html.contains(QStringLiteral("\">&quot;a\\&quot;b&quot;</span>")));
        // The two themes colour differently.
        QVERIFY(html != latent::ui::highlightCodeHtml(code, u"cpp", true));
    }

    void highlightsOtherLanguages()
    {
        QCOMPARE(tokensOf(QStringLiteral("def f(x):  # twice\n    return '''a\nb'''"), QStringLiteral("py"),
                          CodeTokenKind::Keyword),
                 (QStringList{QStringLiteral("def"), QStringLiteral("return")}));
        QCOMPARE(tokensOf(QStringLiteral("def f(x):  # twice\n    return '''a\nb'''"), QStringLiteral("python"),
                          CodeTokenKind::String),
                 QStringList{QStringLiteral("'''a\nb'''")});
        QCOMPARE(tokensOf(QStringLiteral("fn f<'a>(s: &'a str) -> char { 'x' }"), QStringLiteral("rust"),
                          CodeTokenKind::String),
                 QStringList{QStringLiteral("'x'")}); // lifetimes are not characters
        QCOMPARE(tokensOf(QStringLiteral("echo $# # count"), QStringLiteral("bash"), CodeTokenKind::Comment),
                 QStringList{QStringLiteral("# count")});
        QCOMPARE(tokensOf(QStringLiteral("SELECT id FROM t -- all\nwhere x = 'a'"), QStringLiteral("sql"),
                          CodeTokenKind::Keyword),
                 (QStringList{QStringLiteral("SELECT"), QStringLiteral("FROM"), QStringLiteral("where")}));
        QCOMPARE(tokensOf(QStringLiteral("{\"a\": [1.5e-3, true, null]}"), QStringLiteral("json"), CodeTokenKind::Number),
                 QStringList{QStringLiteral("1.5e-3")});
        QCOMPARE(tokensOf(QStringLiteral("const s = `a\n${b}`; /* c */"), QStringLiteral("ts"), CodeTokenKind::Comment),
                 QStringList{QStringLiteral("/* c */")});
        QCOMPARE(tokensOf(QStringLiteral("func main() { var x int }"), QStringLiteral("go"), CodeTokenKind::Type),
                 QStringList{QStringLiteral("int")});
        QCOMPARE(tokensOf(QStringLiteral("@Override public String f()"), QStringLiteral("java"),
                          CodeTokenKind::Preprocessor),
                 QStringList{QStringLiteral("@Override")});
    }

    void unclosedStringsAndCommentsEnd()
    {
        // An answer cut short: the open string ends with its line, the open comment with the code.
        QCOMPARE(tokensOf(QStringLiteral("x = \"abc\ny = 1 /* open"), QStringLiteral("c"), CodeTokenKind::String),
                 QStringList{QStringLiteral("\"abc")});
        QCOMPARE(tokensOf(QStringLiteral("x = \"abc\ny = 1 /* open"), QStringLiteral("c"), CodeTokenKind::Comment),
                 QStringList{QStringLiteral("/* open")});
    }

    void tokensCoverTheCode()
    {
        const QString code = QStringLiteral("for (int i = 0; i < n; ++i) { s += \"\\t\"; } // é 😀");
        qsizetype next = 0;
        for (const CodeToken& token : latent::ui::tokenizeCode(code, u"cpp")) {
            QCOMPARE(token.start, next);
            QVERIFY(token.length > 0);
            next = token.start + token.length;
        }
        QCOMPARE(next, code.size());
    }

    void escapesHtml()
    {
        const QString html = latent::ui::highlightCodeHtml(u"if (a < b && c > \"d\") {}\t<script>&amp;", u"js", false);
        QVERIFY(!html.contains(QStringLiteral("<script>")));
        QVERIFY(html.contains(QStringLiteral("&lt;script&gt;&amp;amp;")));
        QVERIFY(html.contains(QStringLiteral("a &lt; b &amp;&amp; c &gt; ")));
        QVERIFY(html.contains(QStringLiteral("&quot;d&quot;")));
        QVERIFY(!html.contains(u'\t')); // rich text has no useful tab stops
    }

    void unknownLanguageIsPlainText()
    {
        QVERIFY(!latent::ui::isKnownCodeLanguage(u"brainfuck"));
        QVERIFY(latent::ui::isKnownCodeLanguage(u"TypeScript"));
        const QString html = latent::ui::highlightCodeHtml(u"int x = 1; // <b>", u"brainfuck", false);
        QVERIFY(!html.contains(QStringLiteral("<span")));
        QVERIFY(html.contains(QStringLiteral("int x = 1; // &lt;b&gt;")));
    }

    void longCodeStaysLinear()
    {
        // Quadratic work on a 400 KB block (an unterminated comment, many strings) would take
        // minutes; linear work finishes at once. The test asserts the output, not a time.
        QString code = QStringLiteral("/*");
        for (int i = 0; i < 20000; ++i)
            code += QStringLiteral("\"a\" 'b' x1 <&> \n");
        const QString html = latent::ui::highlightCodeHtml(code, u"cpp", true);
        QVERIFY(html.contains(QStringLiteral("&lt;&amp;&gt;")));
        QCOMPARE(latent::ui::tokenizeCode(code, u"cpp").size(), 1);
    }
};

QTEST_MAIN(MarkdownTest)
#include "test_markdown.moc"
