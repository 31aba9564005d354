// Answers are split into prose and fenced code blocks as markdown defines them, and code blocks
// are highlighted into rich text that escapes every character of the code. A user's own text
// stays as typed, with its fenced, indented and pasted code taken out as code. An answer's quotes
// are segments of their own, and its prose is styled as chat apps draw markdown; the checks read
// the rich text back into a document, as the TextEdit does.

#include "ui/code_highlighter.h"
#include "ui/markdown.h"
#include "ui/prose_html.h"
#include "ui/user_text.h"

#include <QGuiApplication>
#include <QStandardPaths>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextTable>

using latent::ui::CodeToken;
using latent::ui::CodeTokenKind;
using latent::ui::Markdown;
using latent::ui::MarkdownSegment;

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

// A user's text split, each segment as "text: ..." or "code: ...".
QStringList userSegments(const QString& text)
{
    QStringList parts;
    for (const MarkdownSegment& segment : latent::ui::splitUserText(text))
        parts << (segment.kind == MarkdownSegment::Kind::Code ? QStringLiteral("code: ") : QStringLiteral("text: ")) + segment.text;
    return parts;
}

const latent::ui::ProseColors testColors{QColor(0x11, 0x22, 0x33), QColor(0x0b, 0x57, 0xd0)};

// Prose as the TextEdit gets it: its rich text read into a document.
struct RenderedProse {
    explicit RenderedProse(const QString& markdown) { document.setHtml(latent::ui::proseHtml(markdown, testColors)); }

    QTextBlock block(const QString& text) const
    {
        for (QTextBlock block = document.begin(); block.isValid(); block = block.next())
            if (block.text() == text)
                return block;
        return {};
    }
    QList<QTextTable*> tables() const
    {
        QList<QTextTable*> found;
        for (QTextFrame* frame : document.rootFrame()->childFrames())
            if (auto* table = qobject_cast<QTextTable*>(frame))
                found << table;
        return found;
    }

    QTextDocument document;
};

QTextCharFormat charFormatOf(const QTextTableCell& cell)
{
    QTextCursor cursor = cell.firstCursorPosition();
    cursor.movePosition(QTextCursor::NextCharacter);
    return cursor.charFormat();
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

    void userTextKeepsItsLineBreaksAndMarkdownSigns()
    {
        // Neither soft breaks nor emphasis: what the user typed is what the bubble shows.
        const QString text = QStringLiteral("Hi,\nwhy is *p = 0 wrong?\n# not a heading\n1. not\n2. a list");
        QCOMPARE(userSegments(text), QStringList{QStringLiteral("text: ") + text});
    }

    void userPastedSnippetBecomesCode()
    {
        // The example: a question, then a function typed with Shift+Enter between lines.
        QCOMPARE(userSegments(QStringLiteral("Why does this fail?\ndef f(x):\n    if x:\n        return 1 * 2\n    return 0")),
                 (QStringList{QStringLiteral("text: Why does this fail?"),
                              QStringLiteral("code: def f(x):\n    if x:\n        return 1 * 2\n    return 0")}));
        // A C function closes with an unindented bracket, and the next function joins the block.
        QCOMPARE(userSegments(QStringLiteral("int f() {\n  return 1;\n}\nint g() {\n  return 2;\n}\nThoughts?")),
                 (QStringList{QStringLiteral("code: int f() {\n  return 1;\n}\nint g() {\n  return 2;\n}"),
                              QStringLiteral("text: Thoughts?")}));
        // Nor does a blank line between two functions.
        QCOMPARE(userSegments(QStringLiteral("int f() {\n  return 1;\n}\n\nint g() {\n  return 2;\n}")),
                 QStringList{QStringLiteral("code: int f() {\n  return 1;\n}\n\nint g() {\n  return 2;\n}")});
        // A blank line inside a body does not end it.
        QCOMPARE(userSegments(QStringLiteral("def f():\n    x = 1\n\n    return x\n\nOK?")),
                 (QStringList{QStringLiteral("code: def f():\n    x = 1\n\n    return x"), QStringLiteral("text: OK?")}));
    }

    void userStackTraceBecomesCode()
    {
        const QString trace = QStringLiteral("Traceback (most recent call last):\n  File \"a.py\", line 3, in <module>\n"
                                             "    f()\n\tat Main.main(Main.java:5)");
        QCOMPARE(userSegments(QStringLiteral("I get this:\n\n") + trace + QStringLiteral("\n\nAny idea?")),
                 (QStringList{QStringLiteral("text: I get this:"), QStringLiteral("code: ") + trace,
                              QStringLiteral("text: Any idea?")}));
    }

    void userIndentedAndFencedCode()
    {
        // Markdown's indented block loses its four spaces; a fence works as in answers.
        QCOMPARE(userSegments(QStringLiteral("See:\n\n    x = 1\n    y = 2\n\nand\n```sh\nmake\n```")),
                 (QStringList{QStringLiteral("text: See:"), QStringLiteral("code: x = 1\ny = 2"),
                              QStringLiteral("text: and"), QStringLiteral("code: make")}));
    }

    void userProseWithIndentationStaysText()
    {
        const QStringList prose{
            QStringLiteral("My plan:\n  - read the file\n  - count words\n    1. by line\nDone."), // indented lists
            QStringLiteral("第一段。\n\u3000\u3000第二段，全角空格缩进。"),                   // Chinese indentation
            QStringLiteral("- item\n  its second line"),                                      // a list item's continuation
            QStringLiteral("  Just one indented line."),                                       // nothing heads it
            QStringLiteral("Thanks,\n  Ann"),                                                  // a signature
        };
        for (const QString& text : prose)
            QCOMPARE(userSegments(text), QStringList{QStringLiteral("text: ") + text});
    }

    void userSegmentsForQml()
    {
        const QVariantList segments = Markdown().userSegments(QStringLiteral("Why?\nfor x in y:\n    print(x)"), false);
        QCOMPARE(segments.size(), 2);
        QCOMPARE(field(segments, 0, "kind"), QStringLiteral("text"));
        QCOMPARE(field(segments, 1, "kind"), QStringLiteral("code"));
        QCOMPARE(field(segments, 1, "code"), QStringLiteral("for x in y:\n    print(x)"));
        QVERIFY(field(segments, 1, "html").startsWith(QStringLiteral("<pre")));
    }

    void tablesHaveHairlineRulesAndAnAlignedBoldHeader()
    {
        const RenderedProse prose(QStringLiteral("Sizes:\n\n| Name | Size |\n|---|---:|\n| a | 1 |\n| b | 22 |"));
        QCOMPARE(prose.tables().size(), 1);
        QTextTable* table = prose.tables().first();
        const QTextTableFormat format = table->format();
        QVERIFY(format.borderCollapse());
        QCOMPARE(format.border(), 1.0);
        QCOMPARE(format.borderBrush().color(), testColors.border);
        QCOMPARE(format.cellSpacing(), 0.0);
        for (int column = 0; column < 2; ++column) {
            const QTextTableCell header = table->cellAt(0, column);
            QCOMPARE(charFormatOf(header).fontWeight(), int(QFont::Bold));
            QCOMPARE(charFormatOf(table->cellAt(1, column)).fontWeight(), int(QFont::Normal));
            // The header is aligned like its column, with the same (no) margins as the body cells.
            const QTextBlockFormat headerBlock = header.firstCursorPosition().blockFormat();
            const QTextBlockFormat bodyBlock = table->cellAt(1, column).firstCursorPosition().blockFormat();
            QCOMPARE(headerBlock.alignment() & Qt::AlignHorizontal_Mask, bodyBlock.alignment() & Qt::AlignHorizontal_Mask);
            QCOMPARE(headerBlock.topMargin(), 0.0);
            QCOMPARE(bodyBlock.topMargin(), 0.0);
            QVERIFY(header.format().toTableCellFormat().leftPadding() > 0);
        }
        QVERIFY(table->cellAt(1, 1).firstCursorPosition().blockFormat().alignment() & Qt::AlignRight);
    }

    void quotesAreSegmentsOfTheirOwn()
    {
        // The QML draws a quote's bar; a nested quote stays a quote inside, lazy lines continue it.
        const QVariantList segments = Markdown().segments(
            QStringLiteral("He wrote:\n\n> first **line**\nstill quoted\n>\n> > nested\n\nThen more.\n> - a list in a quote\n\n```\n> code\n```"),
            false);
        QCOMPARE(segments.size(), 5);
        QCOMPARE(field(segments, 0, "text"), QStringLiteral("He wrote:"));
        QCOMPARE(field(segments, 1, "kind"), QStringLiteral("quote"));
        QCOMPARE(field(segments, 1, "text"), QStringLiteral("first **line**\nstill quoted\n\n> nested"));
        QCOMPARE(field(segments, 2, "text"), QStringLiteral("Then more."));
        QCOMPARE(field(segments, 3, "kind"), QStringLiteral("quote"));
        QCOMPARE(field(segments, 3, "text"), QStringLiteral("- a list in a quote"));
        QCOMPARE(field(segments, 4, "kind"), QStringLiteral("code")); // a ">" in code is code
        // A user's text has no quotes: it is not markdown.
        QCOMPARE(userSegments(QStringLiteral("> as typed")), QStringList{QStringLiteral("text: > as typed")});
    }

    void nestedQuotesIndentLess()
    {
        const RenderedProse prose(QStringLiteral("outer\n\n> nested"));
        const QTextBlockFormat nested = prose.block(QStringLiteral("nested")).blockFormat();
        QVERIFY(nested.leftMargin() > 0 && nested.leftMargin() < 40); // Qt's own is 40 px, both sides
        QCOMPARE(nested.rightMargin(), 0.0);
    }

    void blocksHaveAVerticalRhythm()
    {
        const RenderedProse prose(QStringLiteral("Intro.\n\n## Steps\n\nFirst.\n\n- a\n- b\n\nEnd."));
        const QTextBlockFormat heading = prose.block(QStringLiteral("Steps")).blockFormat();
        const QTextBlockFormat paragraph = prose.block(QStringLiteral("First.")).blockFormat();
        const QTextBlockFormat item = prose.block(QStringLiteral("b")).blockFormat();
        QCOMPARE(heading.headingLevel(), 2);
        QVERIFY(heading.topMargin() > paragraph.topMargin()); // more space before a heading
        QVERIFY(paragraph.topMargin() > 0);
        QCOMPARE(paragraph.topMargin(), prose.block(QStringLiteral("End.")).blockFormat().topMargin());
        QVERIFY(item.topMargin() > 0 && item.topMargin() < paragraph.topMargin()); // items closer
        // The heading stands out by size and weight, not by Qt's doubled size.
        QTextCursor cursor(prose.block(QStringLiteral("Steps")));
        cursor.movePosition(QTextCursor::NextCharacter);
        QCOMPARE(cursor.charFormat().fontWeight(), int(QFont::Bold));
        QCOMPARE(cursor.charFormat().intProperty(QTextFormat::FontSizeAdjustment), 1);
    }

    void linksTakeTheThemeColour()
    {
        const RenderedProse prose(QStringLiteral("See [the docs](https://example.org)."));
        QTextCursor cursor(prose.block(QStringLiteral("See the docs.")));
        cursor.setPosition(cursor.position() + 6);
        QVERIFY(cursor.charFormat().isAnchor());
        QCOMPARE(cursor.charFormat().foreground().color(), testColors.link);
    }

    void proseHtmlLeavesTheFontToTheTextEdit()
    {
        const QString html = latent::ui::proseHtml(QStringLiteral("Plain *text*."), testColors);
        QVERIFY(html.contains(QStringLiteral("<body>")));
        QVERIFY(!html.contains(QStringLiteral("font-size")));
        QVERIFY(!html.contains(QStringLiteral("font-family")));
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
