// The function at the cursor (app/coding/enclosing_block.h) in C++, Python and JavaScript: on a
// header, inside nested blocks and lambdas, in a method of a class, with braces in comments and
// strings, in a class body outside its methods, and outside any function (the paragraph).

#include "app/coding/enclosing_block.h"

#include <QStringList>
#include <QTest>

using namespace latent::app;

namespace {

const QString kCpp = QStringList{
    "#include <vector>",                          // 0
    "",                                           // 1
    "namespace demo {",                           // 2
    "",                                           // 3
    "// Sums the positive values.",               // 4
    "int sum(const std::vector<int>& values)",    // 5
    "{",                                          // 6
    "    int total = 0;",                         // 7
    "    for (int v : values) {",                 // 8
    "        if (v > 0) {",                       // 9
    "            total += v;",                    // 10
    "        }",                                  // 11
    "    }",                                      // 12
    "    auto twice = [](int x) { return 2 * x; };", // 13
    "    return twice(total);",                   // 14
    "}",                                          // 15
    "",                                           // 16
    "class Counter {",                            // 17
    "public:",                                    // 18
    "    void add(int n) { count_ += n; }",       // 19
    "    int count() const",                      // 20
    "    {",                                      // 21
    "        const char* brace = \"}\"; // a \"{\" in a comment", // 22
    "        /* } */ return count_;",             // 23
    "    }",                                      // 24
    "",                                           // 25
    "private:",                                   // 26
    "    int count_ = 0;",                        // 27
    "};",                                         // 28
    "",                                           // 29
    "Counter::Counter()",                         // 30
    "    : count_(0)",                            // 31
    "{",                                          // 32
    "    std::sort(a.begin(), a.end(), [](int x, int y) {", // 33
    "        return x < y;",                      // 34
    "    });",                                    // 35
    "}",                                          // 36
    "",                                           // 37
    "} // namespace demo",                        // 38
}.join(u'\n');

const QString kPython = QStringList{
    "import os",                                  // 0
    "",                                           // 1
    "",                                           // 2
    "class Loader:",                              // 3
    "    \"\"\"Loads things.",                    // 4
    "",                                           // 5
    "Free text at column 0 inside a docstring.",  // 6
    "    \"\"\"",                                 // 7
    "",                                           // 8
    "    # Reads a file.",                        // 9
    "    @staticmethod",                          // 10
    "    def load(path):",                        // 11
    "        def inner(x):",                      // 12
    "            return x + 1",                   // 13
    "",                                           // 14
    "        with open(path) as f:",              // 15
    "            return inner(len(f.read()))",    // 16
    "",                                           // 17
    "    limit = 10",                             // 18
    "",                                           // 19
    "",                                           // 20
    "async def main():",                          // 21
    "    await Loader.load(\"x\")",               // 22
    "",                                           // 23
    "",                                           // 24
    "print(\"done\")",                            // 25
    "print(\"twice\")",                           // 26
}.join(u'\n');

const QString kJavaScript = QStringList{
    "const helper = (a, b) => {",                 // 0
    "  return a + b;",                            // 1
    "};",                                         // 2
    "",                                           // 3
    "describe('math', () => {",                   // 4
    "  it('adds', () => {",                       // 5
    "    expect(helper(1, 2)).toBe(3);",          // 6
    "  });",                                      // 7
    "",                                           // 8
    "  it('reads a template', () => {",           // 9
    "    const s = `{ not a block",               // 10
    "still a string }`;",                         // 11
    "    expect(s).toBeTruthy();",                // 12
    "  });",                                      // 13
    "});",                                        // 14
    "",                                           // 15
    "/** Logs every item. */",                    // 16
    "function outer(items) {",                    // 17
    "  items.forEach((item) => {",                // 18
    "    console.log(item);",                     // 19
    "  });",                                      // 20
    "}",                                          // 21
    "",                                           // 22
    "class Shape {",                              // 23
    "  area() {",                                 // 24
    "    return 0;",                              // 25
    "  }",                                        // 26
    "}",                                          // 27
    "",                                           // 28
    "const config = {",                           // 29
    "  name: 'x',",                               // 30
    "};",                                         // 31
}.join(u'\n');

} // namespace

class EnclosingBlockTest : public QObject {
    Q_OBJECT

    void check(const QString& text, const QString& language, int line, int first, int last)
    {
        const LineRange range = enclosingFunction(text, line, language);
        QVERIFY2(range.first == first && range.last == last,
                 qPrintable(QStringLiteral("line %1: got %2–%3, expected %4–%5")
                                .arg(line).arg(range.first).arg(range.last).arg(first).arg(last)));
    }

private slots:
    void cppFunction()
    {
        check(kCpp, "cpp", 5, 4, 15);  // on the header: with the comment above it
        check(kCpp, "cpp", 6, 4, 15);  // on its brace
        check(kCpp, "cpp", 10, 4, 15); // inside nested blocks
        check(kCpp, "cpp", 13, 4, 15); // on a lambda: the function around it
        check(kCpp, "cpp", 15, 4, 15);
    }

    void cppMethods()
    {
        check(kCpp, "cpp", 19, 19, 19); // a one-line method, after "public:"
        check(kCpp, "cpp", 22, 20, 24); // braces in a string and in comments do not count
        check(kCpp, "cpp", 23, 20, 24);
        check(kCpp, "cpp", 27, 17, 28); // the class body outside its methods: the class
        check(kCpp, "cpp", 34, 30, 36); // a lambda passed as an argument: the function around it
        check(kCpp, "cpp", 31, 30, 36); // on a header's second line
    }

    void cppOutsideAnyFunction()
    {
        check(kCpp, "cpp", 0, 0, 0);   // the include: its paragraph
        check(kCpp, "cpp", 38, 38, 38); // the namespace's end: a namespace is no function
        check(kCpp, "cpp", 1, 0, 0);   // a blank line: the paragraph above it
    }

    void python()
    {
        check(kPython, "python", 11, 9, 16); // on the header: with its decorator and comment
        check(kPython, "python", 13, 9, 16); // a nested function: the one around it
        check(kPython, "python", 14, 9, 16); // a blank line inside
        check(kPython, "python", 16, 9, 16);
        check(kPython, "python", 18, 3, 18); // the class body outside its methods: the class
        check(kPython, "python", 6, 3, 18);  // text at column 0 inside a docstring
        check(kPython, "python", 22, 21, 22);
        check(kPython, "python", 26, 25, 26); // outside any function: the paragraph
        check(kPython, "python", 0, 0, 0);
        check(kPython, "python", 19, 18, 18); // a blank line after a class: the paragraph above
    }

    void javaScript()
    {
        check(kJavaScript, "javascript", 1, 0, 2);   // an arrow function in a const
        check(kJavaScript, "javascript", 6, 5, 7);   // a test: the innermost callback
        check(kJavaScript, "javascript", 11, 9, 13); // braces in a template string do not count
        check(kJavaScript, "javascript", 8, 4, 14);  // between tests: the describe callback
        check(kJavaScript, "javascript", 19, 16, 21); // a callback inside a function: the function
        check(kJavaScript, "javascript", 25, 24, 26); // a method
        check(kJavaScript, "javascript", 30, 29, 31); // an object literal
        check(kJavaScript, "javascript", 15, 9, 14);  // blank, outside: the paragraph above
    }

    void otherLanguagesAndEdges()
    {
        const QString markdown = QStringLiteral("# Title\n\nfirst para\nstill first\n\nsecond\n");
        check(markdown, "markdown", 3, 2, 3);
        check(markdown, "markdown", 4, 2, 3);
        check(markdown, "markdown", 100, 5, 5); // clamped to the last line, blank: the paragraph above
        check(QString(), "cpp", 0, 0, 0);
        check(QStringLiteral("\n\n\n"), "python", 1, 1, 1); // nothing but blank lines
        // A file being written: an unclosed block runs to the end.
        check(QStringLiteral("fn main() {\n    let x = 1;\n"), "rust", 1, 0, 2);
        // Rust lifetimes are no char literals; Go's func.
        check(QStringLiteral("impl<'a> P<'a> {\n    fn get(&'a self) -> &'a str {\n        self.s\n    }\n}\n"), "rust", 2, 1, 3);
        check(QStringLiteral("package main\n\nfunc (s *S) Name() string {\n\tif s == nil {\n\t\treturn \"\"\n\t}\n\treturn s.n\n}\n"),
              "go", 4, 2, 7);
        // Shell: # comments, and ${...} is no block.
        check(QStringLiteral("#!/bin/bash\n\n# Greets.\ngreet() {\n  local n=${#1}  # {\n  echo \"Hi ${1}\"\n}\nx=${y}\n"),
              "bash", 4, 2, 6);
        check(QStringLiteral("x=1\ny=${x}\n"), "bash", 1, 0, 1);
        // CRLF lines.
        check(QStringLiteral("int f()\r\n{\r\n    return 1;\r\n}\r\n"), "c", 2, 0, 3);
    }
};

QTEST_GUILESS_MAIN(EnclosingBlockTest)
#include "test_enclosing_block.moc"
