#include "app/coding/coding_prompts.h"

#include "app/coding/lines_around_cursor.h"

#include <QFileInfo>
#include <QStringList>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

namespace latent::app {
namespace {

// The instructions are written in both languages here, not translated by Qt: the model reads
// them, and a user who reads Chinese is answered best when asked in Chinese.
bool isChinese(const QString& uiLanguage) { return uiLanguage.startsWith(u"zh"); }

QString choose(bool chinese, const char* english, const char* simplifiedChinese)
{
    return QString::fromUtf8(chinese ? simplifiedChinese : english);
}

QString fileNameOf(const QString& path, bool chinese)
{
    const QString name = QFileInfo(path).fileName();
    return name.isEmpty() ? choose(chinese, "untitled", "未命名") : name;
}

// "lines 10–42", "line 7"; "第 10–42 行".
QString lineRange(int first, int last, bool chinese)
{
    if (first == last)
        return choose(chinese, "line %1", "第 %1 行").arg(first);
    return choose(chinese, "lines %1–%2", "第 %1–%2 行").arg(first).arg(last);
}

// A phrase that depends on the language of the code, in both UI languages.
struct LanguagePhrase {
    const char* languageId; // CodeLanguage::id
    const char* english;
    const char* chinese;
};

// clang-format off
constexpr std::array kDocConventions{
    LanguagePhrase{"python", "docstrings (PEP 257, with Args, Returns and Raises sections in Google style)",
                   "docstring（遵循 PEP 257，按 Google 风格写 Args、Returns 和 Raises 部分）"},
    LanguagePhrase{"cpp", "Doxygen comments (/** ... */ or ///) before each declaration",
                   "Doxygen 注释（写在每个声明之前的 /** ... */ 或 ///）"},
    LanguagePhrase{"c", "Doxygen comments (/** ... */ or ///) before each declaration",
                   "Doxygen 注释（写在每个声明之前的 /** ... */ 或 ///）"},
    LanguagePhrase{"javascript", "JSDoc comments (/** ... */ with @param and @returns)",
                   "JSDoc 注释（/** ... */，带 @param 和 @returns）"},
    LanguagePhrase{"typescript", "TSDoc comments (/** ... */ with @param and @returns; the types are in the signatures)",
                   "TSDoc 注释（/** ... */，带 @param 和 @returns；类型以函数签名为准）"},
    LanguagePhrase{"java", "Javadoc comments (/** ... */ with @param, @return and @throws)",
                   "Javadoc 注释（/** ... */，带 @param、@return 和 @throws）"},
    LanguagePhrase{"kotlin", "KDoc comments (/** ... */ with @param and @return)",
                   "KDoc 注释（/** ... */，带 @param 和 @return）"},
    LanguagePhrase{"rust", "/// doc comments (with # Errors, # Panics and # Examples sections where they apply)",
                   "/// 文档注释（适用时加上 # Errors、# Panics 和 # Examples 部分）"},
    LanguagePhrase{"go", "Go doc comments (// comments right before each declaration, starting with its name)",
                   "Go 文档注释（紧挨在每个声明之前、以其名称开头的 // 注释）"},
    LanguagePhrase{"csharp", "XML documentation comments (/// with <summary>, <param> and <returns>)",
                   "XML 文档注释（///，带 <summary>、<param> 和 <returns>）"},
    LanguagePhrase{"swift", "/// documentation comments in Swift markup (- Parameters:, - Returns:, - Throws:)",
                   "Swift 标记格式的 /// 文档注释（- Parameters:、- Returns:、- Throws:）"},
    LanguagePhrase{"bash", "# comments above each function: what it does, its arguments, its output and exit status",
                   "每个函数上方的 # 注释：它做什么、参数、输出和退出状态"},
    LanguagePhrase{"sql", "-- comments", "-- 注释"},
};

// C++ code that uses Qt is tested with Qt Test (usesQt); the table has the plain C++ choice.
constexpr std::array kTestFrameworks{
    LanguagePhrase{"python", "pytest", "pytest"},
    LanguagePhrase{"cpp", "GoogleTest", "GoogleTest"},
    LanguagePhrase{"c", "the Unity test framework", "Unity 测试框架"},
    LanguagePhrase{"javascript", "Jest", "Jest"},
    LanguagePhrase{"typescript", "Jest (with ts-jest)", "Jest（配合 ts-jest）"},
    LanguagePhrase{"go", "Go's testing package (table-driven tests in a _test.go file)",
                   "Go 的 testing 包（表驱动测试，写在 _test.go 文件中）"},
    LanguagePhrase{"java", "JUnit 5", "JUnit 5"},
    LanguagePhrase{"kotlin", "JUnit 5 with kotlin.test", "JUnit 5 和 kotlin.test"},
    LanguagePhrase{"rust", "Rust's built-in tests (#[test] functions in a #[cfg(test)] mod tests)",
                   "Rust 内置的测试（#[cfg(test)] mod tests 中的 #[test] 函数）"},
    LanguagePhrase{"csharp", "xUnit", "xUnit"},
    LanguagePhrase{"swift", "XCTest", "XCTest"},
    LanguagePhrase{"bash", "bats-core", "bats-core"},
    LanguagePhrase{"ruby", "RSpec", "RSpec"},
};
// clang-format on

// The table's phrase for the language, or `fallback` (with %1: the language's name).
template <size_t N>
QString phraseFor(const std::array<LanguagePhrase, N>& table, const CodeLanguage& language, bool chinese,
                  const LanguagePhrase& fallback)
{
    for (const LanguagePhrase& phrase : table)
        if (language.id == QLatin1String(phrase.languageId))
            return choose(chinese, phrase.english, phrase.chinese);
    return choose(chinese, fallback.english, fallback.chinese).arg(language.name);
}

QString docConvention(const CodeLanguage& language, bool chinese)
{
    return phraseFor(kDocConventions, language, chinese,
                     {"", "the usual documentation-comment convention of %1", "%1 惯用的文档注释格式"});
}

bool usesQt(const QString& code)
{
    return code.contains(QStringLiteral("#include <Q")) || code.contains(QStringLiteral("Q_OBJECT")) ||
           code.contains(QStringLiteral("QString"));
}

QString testFramework(const CodeLanguage& language, const QString& code, bool chinese)
{
    if (language.id == u"cpp" && usesQt(code))
        return choose(chinese, "Qt Test (QTest)", "Qt Test（QTest）");
    return phraseFor(kTestFrameworks, language, chinese,
                     {"", "the usual unit-test framework for %1", "%1 常用的单元测试框架"});
}

QString instruction(CodingAction action, const CodeExcerpt& excerpt, bool chinese)
{
    switch (action) {
    case CodingAction::Explain:
        return choose(chinese,
                      "Explain this code: what it does, how it does it, and anything surprising or easy to miss "
                      "(edge cases, hidden assumptions, side effects). Refer to line numbers where it helps.",
                      "解释这段代码：它做什么、怎样做到，以及任何出人意料或容易忽略的地方（边界情况、隐含的假设、"
                      "副作用）。必要时引用行号。");
    case CodingAction::Review:
        return choose(chinese,
                      "Review this code. List its bugs, risks (crashes, wrong results in edge cases, security, "
                      "performance, resource leaks, thread safety) and unclear parts, the most serious first. For "
                      "each, cite its line numbers and give a concrete fix as code. Each line below starts with its "
                      "line number and \"| \", which are not part of the code. If you find nothing serious, say so.",
                      "审查这段代码。按严重程度从高到低列出其中的缺陷、风险（崩溃、边界情况下的错误结果、安全、性能、"
                      "资源泄漏、线程安全）和不清楚的地方。每一条都注明行号，并用代码给出具体的修改方法。下面每行开头"
                      "是它的行号和“| ”，它们不属于代码。如果没有发现严重的问题，请直接说明。");
    case CodingAction::WriteDocs:
        return choose(chinese,
                      "Write documentation comments for this code as %1. Document each function, class and "
                      "non-obvious constant: what it does, its parameters, what it returns and the errors it raises "
                      "or returns. Leave the code itself unchanged. Reply with the whole documented code in one "
                      "fenced code block.",
                      "为这段代码编写文档注释，采用 %1。为每个函数、类和含义不明显的常量写明：它做什么、参数、返回值，"
                      "以及会抛出或返回的错误。不要改动代码本身。请把加好注释的完整代码放在一个代码块中回复。")
            .arg(docConvention(excerpt.language, chinese));
    case CodingAction::WriteTests:
        return choose(chinese,
                      "Write unit tests for this code with %1. Cover the normal cases, the edge cases (empty input, "
                      "limits, invalid values) and the error paths; each test checks one behaviour and its name says "
                      "which. Reply with the complete test file, ready to run, in one fenced code block, and say in "
                      "one sentence how to run it.",
                      "使用 %1 为这段代码编写单元测试。覆盖常规情况、边界情况（空输入、极限值、无效值）和错误路径；"
                      "每个测试只检查一种行为，并用名称说明检查的是什么。请把完整、可直接运行的测试文件放在一个代码块"
                      "中回复，并用一句话说明如何运行。")
            .arg(testFramework(excerpt.language, excerpt.code, chinese));
    case CodingAction::Generate:
        break;
    }
    throw std::invalid_argument("codingPrompt: Generate takes a request; use generatePrompt");
}

// A backtick fence longer than any backtick run that starts a line of the code, so that code
// holding a fence of its own stays inside the block.
QString fenceFor(const QStringList& lines)
{
    qsizetype longest = 0;
    for (const QString& line : lines) {
        const QString trimmed = line.trimmed();
        qsizetype run = 0;
        while (run < trimmed.size() && trimmed[run] == u'`')
            ++run;
        longest = std::max(longest, run);
    }
    return QString(std::max<qsizetype>(3, longest + 1), u'`');
}

QStringList linesOf(const QString& code)
{
    QStringList lines = code.split(u'\n');
    if (lines.size() > 1 && lines.back().isEmpty())
        lines.removeLast(); // a last line end ends the last line; it does not start one
    for (QString& line : lines)
        if (line.endsWith(u'\r'))
            line.chop(1);
    return lines;
}

// "File: parser.py (Python), lines 10–42." and, for a whole file, "the whole file".
QString excerptHeader(const CodeExcerpt& excerpt, int lastLine, bool chinese)
{
    const QString range = lineRange(excerpt.firstLine, lastLine, chinese);
    const QString where = excerpt.wholeFile ? choose(chinese, "the whole file (%1)", "整个文件（%1）").arg(range) : range;
    return choose(chinese, "File: %1 (%2), %3.", "文件：%1（%2），%3。")
        .arg(fileNameOf(excerpt.filePath, chinese), excerpt.language.name, where);
}

QString cutNote(int firstLeftOut, int lastLine, int linesSent, int lineCount, bool chinese)
{
    const char* english = firstLeftOut == lastLine
                              ? "(cut: %1 is not included; the context has room for %2 of the %3 lines)"
                              : "(cut: %1 are not included; the context has room for %2 of the %3 lines)";
    return choose(chinese, english, "（已截断：%1未包含，上下文只容得下 %3 行中的 %2 行）")
        .arg(lineRange(firstLeftOut, lastLine, chinese))
        .arg(linesSent)
        .arg(lineCount);
}

// The line as the message shows it: with its number for Review ("  7| code"), else as it is.
QString shownLine(CodingAction action, const QString& line, int number, int numberWidth)
{
    if (action != CodingAction::Review)
        return line;
    return QString::number(number).rightJustified(numberWidth) + QStringLiteral("| ") + line;
}

} // namespace

QString codingActionName(CodingAction action, const QString& uiLanguage)
{
    const bool chinese = isChinese(uiLanguage);
    switch (action) {
    case CodingAction::Explain:
        return choose(chinese, "Explain", "解释");
    case CodingAction::Review:
        return choose(chinese, "Review", "审查");
    case CodingAction::WriteDocs:
        return choose(chinese, "Write docs", "编写文档");
    case CodingAction::WriteTests:
        return choose(chinese, "Write tests", "编写测试");
    case CodingAction::Generate:
        return choose(chinese, "Generate", "生成");
    }
    return {};
}

CodingPrompt codingPrompt(CodingAction action, const CodeExcerpt& excerpt, const QString& uiLanguage,
                          int tokenBudget, const TokenCounter& countTokens)
{
    const bool chinese = isChinese(uiLanguage);
    const QString intro = instruction(action, excerpt, chinese);
    const QStringList lines = linesOf(excerpt.code);
    const int lineCount = int(lines.size());
    const int lastLine = excerpt.firstLine + lineCount - 1;
    const int numberWidth = int(QString::number(lastLine).size());
    const QString fence = fenceFor(lines);

    // The message with the first `sent` lines of the code.
    const auto render = [&](int sent) {
        QString message = intro + QStringLiteral("\n\n") + excerptHeader(excerpt, lastLine, chinese);
        if (sent < lineCount)
            message += u'\n' + cutNote(excerpt.firstLine + sent, lastLine, sent, lineCount, chinese);
        message += QStringLiteral("\n\n") + fence + excerpt.language.fence + u'\n';
        for (int i = 0; i < sent; ++i)
            message += shownLine(action, lines[i], excerpt.firstLine + i, numberWidth) + u'\n';
        return message + fence;
    };

    CodingPrompt prompt;
    prompt.title = codingActionName(action, uiLanguage) + QStringLiteral(" · ") + fileNameOf(excerpt.filePath, chinese);
    prompt.firstLineSent = excerpt.firstLine;
    prompt.message = render(lineCount);
    int sent = lineCount;
    if (countTokens(prompt.message) > tokenBudget) {
        // Whole lines from the top while they fit, each counted once; then the exact count, with
        // lines taken off the end while it is over.
        std::vector<int> lineTokens;
        int room = tokenBudget - countTokens(render(0));
        sent = 0;
        for (; sent < lineCount; ++sent) {
            lineTokens.push_back(countTokens(shownLine(action, lines[sent], excerpt.firstLine + sent, numberWidth) + u'\n'));
            if (lineTokens.back() > room)
                break;
            room -= lineTokens.back();
        }
        prompt.message = render(sent);
        for (int over = countTokens(prompt.message) - tokenBudget; over > 0 && sent > 0;
             over = countTokens(prompt.message) - tokenBudget) {
            while (over > 0 && sent > 0)
                over -= lineTokens[size_t(--sent)];
            prompt.message = render(sent);
        }
        prompt.cut = true;
    }
    prompt.lastLineSent = excerpt.firstLine + sent - 1;
    return prompt;
}

CodingPrompt generatePrompt(const GenerateRequest& request, const QString& uiLanguage, int tokenBudget,
                            const TokenCounter& countTokens)
{
    const bool chinese = isChinese(uiLanguage);
    const int cursor = std::clamp(request.cursorOffset, 0, int(request.text.size()));
    const QStringList lines = linesOf(request.text);
    const int cursorLine = int(QStringView(request.text).first(cursor).count(u'\n')); // from 0
    const int column = cursor > 0 ? cursor - int(request.text.lastIndexOf(u'\n', cursor - 1) + 1) : 0;
    QString markedLine = cursorLine < lines.size() ? lines[cursorLine] : QString();
    markedLine.insert(std::min<qsizetype>(column, markedLine.size()), QString::fromUtf16(kCursorMarker));
    const int linesBefore = std::min(request.linesBefore, cursorLine);
    const int linesAfter = std::clamp(int(lines.size()) - 1 - cursorLine, 0, request.linesAfter);

    const QString fileName = fileNameOf(request.filePath, chinese);
    const QString write = request.language.id == u"text"
                              ? choose(chinese, "Write code", "编写代码")
                              : choose(chinese, "Write %1 code", "编写 %1 代码").arg(request.language.name);
    const QString intro =
        choose(chinese, "%1 for this request; it will be inserted at the cursor in %2:",
               "按下面的要求%1，它将插入到 %2 中光标所在的位置：")
            .arg(write, fileName) +
        QStringLiteral("\n\n") + request.request.trimmed() + QStringLiteral("\n\n") +
        choose(chinese,
               "Reply with only the code to insert at the cursor, in one fenced code block: no explanation, and do "
               "not repeat the code around the cursor. Match its indentation and style.",
               "只回复要在光标处插入的代码，放在一个代码块中：不要解释，也不要重复光标前后已有的代码。缩进和风格"
               "与周围的代码保持一致。");
    const QString fence = fenceFor(lines);

    const auto render = [&](LinesAroundCursor::Choice choice) {
        const int first = cursorLine - choice.before;
        const int last = cursorLine + choice.after;
        QString message = intro + QStringLiteral("\n\n") +
                          choose(chinese, "File: %1 (%2), %3; the cursor is at %4 on line %5 (the marker is not part of the code).",
                                 "文件：%1（%2），%3；光标位于第 %5 行的 %4 处（该标记不属于代码）。")
                              .arg(fileName, request.language.name, lineRange(first + 1, last + 1, chinese),
                                   QString::fromUtf16(kCursorMarker), QString::number(cursorLine + 1)) +
                          QStringLiteral("\n\n") + fence + request.language.fence + u'\n';
        for (int i = first; i <= last; ++i)
            message += (i == cursorLine ? markedLine : lines[i]) + u'\n';
        return message + fence;
    };
    LinesAroundCursor around(
        linesBefore, linesAfter, [&](int i) { return countTokens(lines[cursorLine - 1 - i] + u'\n'); },
        [&](int i) { return countTokens(lines[cursorLine + 1 + i] + u'\n'); });

    CodingPrompt prompt;
    prompt.title = codingActionName(CodingAction::Generate, uiLanguage) + QStringLiteral(" · ") + fileName;
    int room = tokenBudget - countTokens(render({}));
    LinesAroundCursor::Choice choice;
    for (;;) {
        choice = around.within(room);
        prompt.message = render(choice);
        const int over = countTokens(prompt.message) - tokenBudget;
        if (over <= 0 || choice.before + choice.after == 0)
            break;
        room -= over;
    }
    prompt.cut = choice.before < linesBefore || choice.after < linesAfter;
    prompt.firstLineSent = cursorLine + 1 - choice.before;
    prompt.lastLineSent = cursorLine + 1 + choice.after;
    return prompt;
}

} // namespace latent::app
