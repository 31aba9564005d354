// The coding actions' prompts (app/coding/coding_prompts.h): each action's message in English and
// in Chinese (instruction, file, language, lines, the code fenced with the language's tag; line
// numbers for Review), the conventions and frameworks per language, the cut when the code does
// not fit, and Generate's window around the cursor. Tokens are counted as UTF-16 units here, so
// that budgets are exact.

#include "app/coding/coding_prompts.h"

#include <QTest>

#include <stdexcept>

using namespace latent::app;

namespace {

int characters(const QString& text) { return int(text.size()); }

constexpr int kRoomy = 1000000;

CodeExcerpt parserExcerpt()
{
    CodeExcerpt excerpt;
    excerpt.filePath = QStringLiteral("/home/user/project/parser.py");
    excerpt.language = languageOfFile(excerpt.filePath);
    excerpt.code = QStringLiteral("def parse(text):\n    return text.split()\n");
    excerpt.firstLine = 9;
    excerpt.lastLine = 10;
    return excerpt;
}

// 300 lines "v001 = 0" .. "v300 = 0" of a whole Python file.
CodeExcerpt longExcerpt()
{
    CodeExcerpt excerpt;
    excerpt.filePath = QStringLiteral("values.py");
    excerpt.language = languageOfFile(excerpt.filePath);
    for (int i = 1; i <= 300; ++i)
        excerpt.code += QStringLiteral("v%1 = 0\n").arg(i, 3, 10, QLatin1Char('0'));
    excerpt.firstLine = 1;
    excerpt.lastLine = 300;
    excerpt.wholeFile = true;
    return excerpt;
}

CodeExcerpt excerptOf(const QString& fileName, const QString& code)
{
    CodeExcerpt excerpt;
    excerpt.filePath = fileName;
    excerpt.language = languageOfFile(fileName);
    excerpt.code = code;
    excerpt.firstLine = 1;
    excerpt.lastLine = int(code.count(u'\n'));
    return excerpt;
}

QString writeDocsMessage(const QString& fileName, const QString& uiLanguage)
{
    return codingPrompt(CodingAction::WriteDocs, excerptOf(fileName, QStringLiteral("x\n")), uiLanguage, kRoomy, characters)
        .message;
}

QString writeTestsMessage(const QString& fileName, const QString& code, const QString& uiLanguage = QStringLiteral("en"))
{
    return codingPrompt(CodingAction::WriteTests, excerptOf(fileName, code), uiLanguage, kRoomy, characters).message;
}

} // namespace

class CodingPromptsTest : public QObject {
    Q_OBJECT

private slots:
    void explainInEnglish()
    {
        const CodingPrompt prompt =
            codingPrompt(CodingAction::Explain, parserExcerpt(), QStringLiteral("en"), kRoomy, characters);
        QCOMPARE(prompt.title, QStringLiteral("Explain · parser.py"));
        QCOMPARE(prompt.message,
                 QStringLiteral("Explain this code: what it does, how it does it, and anything surprising or easy to "
                                "miss (edge cases, hidden assumptions, side effects). Refer to line numbers where it "
                                "helps.\n"
                                "\n"
                                "File: parser.py (Python), lines 9–10.\n"
                                "\n"
                                "```python\n"
                                "def parse(text):\n"
                                "    return text.split()\n"
                                "```"));
        QVERIFY(!prompt.cut);
        QCOMPARE(prompt.firstLineSent, 9);
        QCOMPARE(prompt.lastLineSent, 10);
    }

    void explainInChinese()
    {
        const CodingPrompt prompt =
            codingPrompt(CodingAction::Explain, parserExcerpt(), QStringLiteral("zh_CN"), kRoomy, characters);
        QCOMPARE(prompt.title, QStringLiteral("解释 · parser.py"));
        QCOMPARE(prompt.message,
                 QStringLiteral("解释这段代码：它做什么、怎样做到，以及任何出人意料或容易忽略的地方（边界情况、隐含的假设、"
                                "副作用）。必要时引用行号。\n"
                                "\n"
                                "文件：parser.py（Python），第 9–10 行。\n"
                                "\n"
                                "```python\n"
                                "def parse(text):\n"
                                "    return text.split()\n"
                                "```"));
    }

    void reviewNumbersEachLine()
    {
        const CodingPrompt prompt =
            codingPrompt(CodingAction::Review, parserExcerpt(), QStringLiteral("en"), kRoomy, characters);
        QCOMPARE(prompt.title, QStringLiteral("Review · parser.py"));
        QVERIFY(prompt.message.startsWith(QStringLiteral("Review this code. List its bugs, risks")));
        QVERIFY(prompt.message.contains(QStringLiteral("cite its line numbers and give a concrete fix")));
        QVERIFY(prompt.message.endsWith(QStringLiteral("File: parser.py (Python), lines 9–10.\n"
                                                       "\n"
                                                       "```python\n"
                                                       " 9| def parse(text):\n"
                                                       "10|     return text.split()\n"
                                                       "```")));
        const CodingPrompt chinese =
            codingPrompt(CodingAction::Review, parserExcerpt(), QStringLiteral("zh_CN"), kRoomy, characters);
        QCOMPARE(chinese.title, QStringLiteral("审查 · parser.py"));
        QVERIFY(chinese.message.startsWith(QStringLiteral("审查这段代码。")));
        QVERIFY(chinese.message.contains(QStringLiteral("每一条都注明行号")));
        QVERIFY(chinese.message.endsWith(QStringLiteral("文件：parser.py（Python），第 9–10 行。\n\n```python\n"
                                                        " 9| def parse(text):\n10|     return text.split()\n```")));
    }

    void writeDocsUsesTheLanguagesConvention()
    {
        const CodingPrompt prompt =
            codingPrompt(CodingAction::WriteDocs, parserExcerpt(), QStringLiteral("en"), kRoomy, characters);
        QCOMPARE(prompt.title, QStringLiteral("Write docs · parser.py"));
        QVERIFY(prompt.message.startsWith(QStringLiteral(
            "Write documentation comments for this code as docstrings (PEP 257, with Args, Returns and Raises "
            "sections in Google style).")));
        QVERIFY(prompt.message.contains(QStringLiteral("Reply with the whole documented code in one fenced code block.")));
        QVERIFY(writeDocsMessage(QStringLiteral("a.cpp"), QStringLiteral("en"))
                    .contains(QStringLiteral("as Doxygen comments (/** ... */ or ///)")));
        QVERIFY(writeDocsMessage(QStringLiteral("a.js"), QStringLiteral("en")).contains(QStringLiteral("JSDoc")));
        QVERIFY(writeDocsMessage(QStringLiteral("a.ts"), QStringLiteral("en")).contains(QStringLiteral("TSDoc")));
        QVERIFY(writeDocsMessage(QStringLiteral("A.java"), QStringLiteral("en")).contains(QStringLiteral("Javadoc")));
        QVERIFY(writeDocsMessage(QStringLiteral("a.rs"), QStringLiteral("en")).contains(QStringLiteral("/// doc comments")));
        QVERIFY(writeDocsMessage(QStringLiteral("a.go"), QStringLiteral("en")).contains(QStringLiteral("Go doc comments")));
        QVERIFY(writeDocsMessage(QStringLiteral("a.lua"), QStringLiteral("en"))
                    .contains(QStringLiteral("the usual documentation-comment convention of Lua")));
        const QString chinese = writeDocsMessage(QStringLiteral("a.py"), QStringLiteral("zh_CN"));
        QVERIFY(chinese.startsWith(QStringLiteral("为这段代码编写文档注释，采用 docstring（遵循 PEP 257")));
        QVERIFY(chinese.contains(QStringLiteral("文件：a.py（Python），第 1 行。")));
        QCOMPARE(codingPrompt(CodingAction::WriteDocs, parserExcerpt(), QStringLiteral("zh_CN"), kRoomy, characters).title,
                 QStringLiteral("编写文档 · parser.py"));
    }

    void writeTestsUsesTheLanguagesFramework()
    {
        QVERIFY(writeTestsMessage(QStringLiteral("a.py"), QStringLiteral("x\n"))
                    .startsWith(QStringLiteral("Write unit tests for this code with pytest.")));
        QVERIFY(writeTestsMessage(QStringLiteral("a.cpp"), QStringLiteral("int f();\n"))
                    .startsWith(QStringLiteral("Write unit tests for this code with GoogleTest.")));
        QVERIFY(writeTestsMessage(QStringLiteral("a.cpp"), QStringLiteral("QString f();\n"))
                    .startsWith(QStringLiteral("Write unit tests for this code with Qt Test (QTest).")));
        QVERIFY(writeTestsMessage(QStringLiteral("a.js"), QStringLiteral("x\n")).contains(QStringLiteral("with Jest.")));
        QVERIFY(writeTestsMessage(QStringLiteral("a.go"), QStringLiteral("x\n")).contains(QStringLiteral("Go's testing package")));
        QVERIFY(writeTestsMessage(QStringLiteral("A.java"), QStringLiteral("x\n")).contains(QStringLiteral("JUnit 5")));
        QVERIFY(writeTestsMessage(QStringLiteral("a.rs"), QStringLiteral("x\n")).contains(QStringLiteral("#[test]")));
        const QString chinese = writeTestsMessage(QStringLiteral("a.py"), QStringLiteral("x\n"), QStringLiteral("zh_CN"));
        QVERIFY(chinese.startsWith(QStringLiteral("使用 pytest 为这段代码编写单元测试。")));
        QCOMPARE(codingPrompt(CodingAction::WriteTests, parserExcerpt(), QStringLiteral("en"), kRoomy, characters).title,
                 QStringLiteral("Write tests · parser.py"));
    }

    void wholeFileSaysSo()
    {
        CodeExcerpt excerpt = parserExcerpt();
        excerpt.firstLine = 1;
        excerpt.lastLine = 2;
        excerpt.wholeFile = true;
        QVERIFY(codingPrompt(CodingAction::Explain, excerpt, QStringLiteral("en"), kRoomy, characters)
                    .message.contains(QStringLiteral("File: parser.py (Python), the whole file (lines 1–2).")));
        QVERIFY(codingPrompt(CodingAction::Explain, excerpt, QStringLiteral("zh_CN"), kRoomy, characters)
                    .message.contains(QStringLiteral("文件：parser.py（Python），整个文件（第 1–2 行）。")));
    }

    void newFileIsUntitled()
    {
        CodeExcerpt excerpt = parserExcerpt();
        excerpt.filePath.clear();
        QCOMPARE(codingPrompt(CodingAction::Explain, excerpt, QStringLiteral("en"), kRoomy, characters).title,
                 QStringLiteral("Explain · untitled"));
        QCOMPARE(codingPrompt(CodingAction::Explain, excerpt, QStringLiteral("zh_CN"), kRoomy, characters).title,
                 QStringLiteral("解释 · 未命名"));
    }

    void codeHoldingAFenceGetsALongerOne()
    {
        const QString message =
            codingPrompt(CodingAction::Explain, excerptOf(QStringLiteral("README.md"), QStringLiteral("```sh\nls\n```\n")),
                         QStringLiteral("en"), kRoomy, characters)
                .message;
        QVERIFY(message.endsWith(QStringLiteral("````markdown\n```sh\nls\n```\n````")));
    }

    void codeThatDoesNotFitIsCutAtLines()
    {
        const CodeExcerpt excerpt = longExcerpt();
        const QString note = QStringLiteral("(cut: lines 201–300 are not included; the context has room for 200 of "
                                            "the 300 lines)");
        // The budget of the message with 200 lines, measured by building it by hand.
        QString expected = QStringLiteral("Explain this code: what it does, how it does it, and anything surprising or "
                                          "easy to miss (edge cases, hidden assumptions, side effects). Refer to line "
                                          "numbers where it helps.\n\nFile: values.py (Python), the whole file (lines "
                                          "1–300).\n") +
                           note + QStringLiteral("\n\n```python\n");
        for (int i = 1; i <= 200; ++i)
            expected += QStringLiteral("v%1 = 0\n").arg(i, 3, 10, QLatin1Char('0'));
        expected += QStringLiteral("```");
        const int budget = int(expected.size());
        const CodingPrompt prompt = codingPrompt(CodingAction::Explain, excerpt, QStringLiteral("en"), budget, characters);
        QCOMPARE(prompt.message, expected);
        QVERIFY(prompt.cut);
        QCOMPARE(prompt.firstLineSent, 1);
        QCOMPARE(prompt.lastLineSent, 200);
        // One less: a line less.
        const CodingPrompt tighter = codingPrompt(CodingAction::Explain, excerpt, QStringLiteral("en"), budget - 1, characters);
        QCOMPARE(tighter.lastLineSent, 199);
        QVERIFY(tighter.message.size() <= budget - 1);
        QVERIFY(tighter.message.contains(QStringLiteral("(cut: lines 200–300 are not included")));
        // In Chinese.
        const CodingPrompt chinese = codingPrompt(CodingAction::Explain, excerpt, QStringLiteral("zh_CN"), budget, characters);
        QVERIFY(chinese.cut);
        QVERIFY(chinese.message.size() <= budget);
        const QString chineseNote = QStringLiteral("（已截断：第 %1–300 行未包含，上下文只容得下 300 行中的 %2 行）")
                                        .arg(chinese.lastLineSent + 1)
                                        .arg(chinese.lastLineSent);
        QVERIFY2(chinese.message.contains(chineseNote), qPrintable(chinese.message.left(300)));
        // The whole file when it fits.
        const CodingPrompt whole = codingPrompt(CodingAction::Explain, excerpt, QStringLiteral("en"), kRoomy, characters);
        QVERIFY(!whole.cut);
        QCOMPARE(whole.lastLineSent, 300);
        QVERIFY(!whole.message.contains(QStringLiteral("(cut")));
    }

    void cutCountsTheNumberedLinesOfReview()
    {
        const CodeExcerpt excerpt = longExcerpt();
        for (const int budget : {1000, 2500, 4000}) {
            const CodingPrompt prompt = codingPrompt(CodingAction::Review, excerpt, QStringLiteral("en"), budget, characters);
            QVERIFY(prompt.cut);
            QVERIFY(prompt.message.size() <= budget);
            const QString lastSent = QStringLiteral("%1| v%2 = 0\n```").arg(prompt.lastLineSent, 3).arg(prompt.lastLineSent, 3, 10, QLatin1Char('0'));
            QVERIFY2(prompt.message.endsWith(lastSent), qPrintable(prompt.message.right(40)));
            // One more line would not have fitted.
            QVERIFY(prompt.message.size() + QStringLiteral("301| v301 = 0\n").size() > budget);
        }
    }

    void budgetBelowTheInstructionsSendsNoCode()
    {
        const CodingPrompt prompt = codingPrompt(CodingAction::Explain, parserExcerpt(), QStringLiteral("en"), 10, characters);
        QVERIFY(prompt.cut);
        QCOMPARE(prompt.firstLineSent, 9);
        QCOMPARE(prompt.lastLineSent, 8);
        QVERIFY(prompt.message.contains(QStringLiteral("(cut: lines 9–10 are not included; the context has room for 0 of the 2 lines)")));
    }

    void generateRejectsCodingPrompt()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 codingPrompt(CodingAction::Generate, parserExcerpt(), QStringLiteral("en"), kRoomy, characters));
    }

    void generateAsksForTheCodeAtTheCursor()
    {
        GenerateRequest request;
        request.request = QStringLiteral("  sort the items by name  ");
        request.filePath = QStringLiteral("src/items.py");
        request.language = languageOfFile(request.filePath);
        request.text = QStringLiteral("import os\n\ndef load(items):\n    \n    return items\n");
        request.cursorOffset = int(request.text.indexOf(QStringLiteral("    \n")) + 4);
        const CodingPrompt prompt = generatePrompt(request, QStringLiteral("en"), kRoomy, characters);
        QCOMPARE(prompt.title, QStringLiteral("Generate · items.py"));
        QCOMPARE(prompt.message,
                 QStringLiteral("Write Python code for this request; it will be inserted at the cursor in items.py:\n"
                                "\n"
                                "sort the items by name\n"
                                "\n"
                                "Reply with only the code to insert at the cursor, in one fenced code block: no "
                                "explanation, and do not repeat the code around the cursor. Match its indentation and "
                                "style.\n"
                                "\n"
                                "File: items.py (Python), lines 1–5; the cursor is at <CURSOR> on line 4 (the marker is "
                                "not part of the code).\n"
                                "\n"
                                "```python\n"
                                "import os\n"
                                "\n"
                                "def load(items):\n"
                                "    <CURSOR>\n"
                                "    return items\n"
                                "```"));
        QVERIFY(!prompt.cut);
        QCOMPARE(prompt.firstLineSent, 1);
        QCOMPARE(prompt.lastLineSent, 5);

        const CodingPrompt chinese = generatePrompt(request, QStringLiteral("zh_CN"), kRoomy, characters);
        QCOMPARE(chinese.title, QStringLiteral("生成 · items.py"));
        QVERIFY(chinese.message.startsWith(
            QStringLiteral("按下面的要求编写 Python 代码，它将插入到 items.py 中光标所在的位置：\n\nsort the items by name\n\n")));
        QVERIFY(chinese.message.contains(
            QStringLiteral("文件：items.py（Python），第 1–5 行；光标位于第 4 行的 <CURSOR> 处（该标记不属于代码）。")));
        QVERIFY(chinese.message.endsWith(QStringLiteral("    <CURSOR>\n    return items\n```")));
    }

    void generateKeepsTheLinesNearTheCursor()
    {
        GenerateRequest request;
        request.request = QStringLiteral("add a field");
        request.filePath = QStringLiteral("big.go");
        request.language = languageOfFile(request.filePath);
        for (int i = 1; i <= 400; ++i)
            request.text += QStringLiteral("x%1 := %1\n").arg(i, 3, 10, QLatin1Char('0'));
        request.cursorOffset = int(request.text.indexOf(QStringLiteral("x200")));
        // The defaults: 120 lines before, 40 after, when there is room.
        const CodingPrompt roomy = generatePrompt(request, QStringLiteral("en"), kRoomy, characters);
        QVERIFY(!roomy.cut);
        QCOMPARE(roomy.firstLineSent, 200 - 120);
        QCOMPARE(roomy.lastLineSent, 200 + 40);
        QVERIFY(roomy.message.contains(QStringLiteral("lines 80–240; the cursor is at <CURSOR> on line 200")));
        QVERIFY(roomy.message.contains(QStringLiteral("\n<CURSOR>x200 := 200\n")));
        // A tight budget: fewer lines, most of them before the cursor, within the budget.
        const CodingPrompt tight = generatePrompt(request, QStringLiteral("en"), 1500, characters);
        QVERIFY(tight.cut);
        QVERIFY(tight.message.size() <= 1500);
        QVERIFY(tight.firstLineSent > 80 && tight.lastLineSent < 240);
        QVERIFY(200 - tight.firstLineSent > 2 * (tight.lastLineSent - 200));
        QVERIFY(tight.message.contains(QStringLiteral("x%1 := %1\n").arg(tight.firstLineSent, 3, 10, QLatin1Char('0'))));
        QVERIFY(!tight.message.contains(QStringLiteral("x%1 := %1\n").arg(tight.firstLineSent - 1, 3, 10, QLatin1Char('0'))));
        // The cursor at the very start of an empty file.
        request.text.clear();
        request.cursorOffset = 0;
        const CodingPrompt empty = generatePrompt(request, QStringLiteral("en"), kRoomy, characters);
        QVERIFY(empty.message.endsWith(QStringLiteral("line 1; the cursor is at <CURSOR> on line 1 (the marker is not "
                                                      "part of the code).\n\n```go\n<CURSOR>\n```")));
    }

    void actionNames()
    {
        QCOMPARE(codingActionName(CodingAction::Explain, QStringLiteral("en")), QStringLiteral("Explain"));
        QCOMPARE(codingActionName(CodingAction::Generate, QStringLiteral("zh_CN")), QStringLiteral("生成"));
        QCOMPARE(codingActionName(CodingAction::WriteTests, QStringLiteral("zh")), QStringLiteral("编写测试"));
        QCOMPARE(codingActionName(CodingAction::Review, QStringLiteral("de")), QStringLiteral("Review"));
    }
};

QTEST_GUILESS_MAIN(CodingPromptsTest)
#include "test_coding_prompts.moc"
