// The code editor component over QScintilla: files saved back byte for byte (Chinese, CRLF, a byte
// order mark, no final newline), other encodings refused, lexers by file name, the modified
// state, find and replace, each edit one undo step, UTF-16 offsets over Chinese and emoji, ghost
// text that never touches the document, the keys and typed text, and the themes.

#include "ui/editor/editor_theme.h"
#include "ui/editor/scintilla_editor.h"

#include <Qsci/qscilexer.h>
#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QKeyEvent>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using latent::ui::FindOptions;
using latent::ui::GhostKey;
using latent::ui::ScintillaEditor;
using Sci = QsciScintillaBase;

namespace {

QByteArray readBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

bool writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QsciScintilla& scintillaOf(ScintillaEditor& editor)
{
    return *qobject_cast<QsciScintilla*>(editor.widget());
}

// Scintilla's colours are 0x00BBGGRR.
long scintillaColor(const QColor& color)
{
    return color.red() | (color.green() << 8) | (color.blue() << 16);
}

FindOptions options(const QString& pattern, bool regularExpression = false, bool caseSensitive = false,
                    bool wholeWord = false)
{
    return FindOptions{pattern, regularExpression, caseSensitive, wholeWord};
}

// What a line's annotation says (the ghost text's lines after the first).
QString annotationOf(QsciScintilla& sci, long line)
{
    const long length = sci.SendScintilla(Sci::SCI_ANNOTATIONGETTEXT, ulong(line), static_cast<void*>(nullptr));
    QByteArray bytes(length + 1, '\0');
    sci.SendScintilla(Sci::SCI_ANNOTATIONGETTEXT, ulong(line), static_cast<void*>(bytes.data()));
    bytes.resize(length);
    return QString::fromUtf8(bytes);
}

void typeText(QWidget* widget, const QString& text)
{
    QKeyEvent press(QEvent::KeyPress, 0, Qt::NoModifier, text);
    QApplication::sendEvent(widget, &press);
}

} // namespace

class ScintillaEditorTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    QString pathOf(const QString& name) const { return dir_.filePath(name); }

    // The bytes of a file opened and saved under another name, unedited.
    QByteArray roundTrip(const QString& name, const QByteArray& bytes)
    {
        if (!writeBytes(pathOf(name), bytes))
            return "<not written>";
        ScintillaEditor editor;
        QString error;
        if (!editor.open(pathOf(name), &error))
            return error.toUtf8();
        if (!editor.save(pathOf(QStringLiteral("copy-") + name), &error))
            return error.toUtf8();
        return readBytes(pathOf(QStringLiteral("copy-") + name));
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void roundTripsChineseByteForByte()
    {
        const QByteArray bytes = "// 计算两个数的和\n"
                                 "int 求和(int 甲, int 乙) {\n"
                                 "    return 甲 + 乙; /* 返回结果 */\n"
                                 "}\n";
        QCOMPARE(roundTrip(QStringLiteral("sum.cpp"), bytes), bytes);

        ScintillaEditor editor;
        QVERIFY(editor.open(pathOf(QStringLiteral("sum.cpp")), nullptr));
        QCOMPARE(editor.text(), QString::fromUtf8(bytes));
        QCOMPARE(editor.filePath(), pathOf(QStringLiteral("sum.cpp")));
        QCOMPARE(editor.languageId(), QStringLiteral("cpp"));
        QVERIFY(!editor.isModified());
        QCOMPARE(editor.cursorOffset(), 0);
    }

    void roundTripsMixedContentWithoutFinalNewline()
    {
        static const char mixed[] = "one\r\ntwo\nthree\rfour\tcolumns  \n\n\x01 and a NUL \0 byte, no final newline";
        const QByteArray bytes(mixed, sizeof(mixed) - 1);
        QCOMPARE(roundTrip(QStringLiteral("mixed.txt"), bytes), bytes);
        QCOMPARE(roundTrip(QStringLiteral("empty.txt"), QByteArray()), QByteArray());
    }

    void keepsCrlfAndTypesIt()
    {
        const QByteArray bytes = "first\r\nsecond\r\n";
        QCOMPARE(roundTrip(QStringLiteral("crlf.txt"), bytes), bytes);

        ScintillaEditor editor;
        QVERIFY(editor.open(pathOf(QStringLiteral("crlf.txt")), nullptr));
        QCOMPARE(editor.text(), QStringLiteral("first\r\nsecond\r\n"));
        editor.setCursorOffset(5);
        QTest::keyClick(editor.widget(), Qt::Key_Return);
        QVERIFY(editor.save(pathOf(QStringLiteral("crlf.txt")), nullptr));
        QCOMPARE(readBytes(pathOf(QStringLiteral("crlf.txt"))), QByteArray("first\r\n\r\nsecond\r\n"));

        // An LF file gets LF, even after a CRLF file in the same editor.
        QVERIFY(writeBytes(pathOf(QStringLiteral("lf.txt")), "first\nsecond\n"));
        QVERIFY(editor.open(pathOf(QStringLiteral("lf.txt")), nullptr));
        editor.setCursorOffset(5);
        QTest::keyClick(editor.widget(), Qt::Key_Return);
        QCOMPARE(editor.text(), QStringLiteral("first\n\nsecond\n"));
    }

    void keepsByteOrderMark()
    {
        const QByteArray bytes = "\xEF\xBB\xBF# 标题\nText\n";
        QCOMPARE(roundTrip(QStringLiteral("bom.md"), bytes), bytes);

        ScintillaEditor editor;
        QVERIFY(editor.open(pathOf(QStringLiteral("bom.md")), nullptr));
        QCOMPARE(editor.text(), QStringLiteral("# 标题\nText\n")); // the mark is not text
        editor.setCursorOffset(editor.text().size());
        editor.insertAtCursor(QStringLiteral("更多\n"));
        QVERIFY(editor.save(pathOf(QStringLiteral("bom.md")), nullptr));
        QCOMPARE(readBytes(pathOf(QStringLiteral("bom.md"))), QByteArray("\xEF\xBB\xBF# 标题\nText\n更多\n"));
    }

    void refusesInvalidUtf8()
    {
        ScintillaEditor editor;
        QVERIFY(writeBytes(pathOf(QStringLiteral("good.txt")), "kept\n"));
        QVERIFY(editor.open(pathOf(QStringLiteral("good.txt")), nullptr));
        const QByteArray invalid[] = {"Latin-1: caf\xE9\n", "cut off: \xE4\xB8", "\xFF\xFE\x00t\x00"};
        for (const QByteArray& bytes : invalid) {
            QVERIFY(writeBytes(pathOf(QStringLiteral("bad.txt")), bytes));
            QString error;
            QVERIFY(!editor.open(pathOf(QStringLiteral("bad.txt")), &error));
            QVERIFY2(error.contains(QStringLiteral("bad.txt")), qPrintable(error));
            QVERIFY2(error.contains(QStringLiteral("UTF-8")), qPrintable(error));
            QCOMPARE(editor.text(), QStringLiteral("kept\n"));
            QCOMPARE(editor.filePath(), pathOf(QStringLiteral("good.txt")));
        }
        QString error;
        QVERIFY(!editor.open(pathOf(QStringLiteral("missing.txt")), &error));
        QVERIFY2(error.contains(QStringLiteral("missing.txt")), qPrintable(error));
        QCOMPARE(editor.text(), QStringLiteral("kept\n"));
    }

    void failedSaveNamesFileAndStaysModified()
    {
        QVERIFY(writeBytes(pathOf(QStringLiteral("plain-file")), "a file, not a folder"));
        const QString unwritable = pathOf(QStringLiteral("plain-file/inside.txt"));
        ScintillaEditor editor;
        editor.setText(QStringLiteral("text"));
        editor.insertAtCursor(QStringLiteral("more "));
        QString error;
        QVERIFY(!editor.save(unwritable, &error));
        QVERIFY2(error.contains(QStringLiteral("inside.txt")), qPrintable(error));
        QVERIFY(editor.isModified());
        QVERIFY(editor.filePath().isEmpty());
        QCOMPARE(readBytes(pathOf(QStringLiteral("plain-file"))), QByteArray("a file, not a folder"));
    }

    void choosesLexerByFileName_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("languageId");
        QTest::addColumn<QString>("lexerLanguage"); // empty: no lexer
        const struct {
            const char* fileName;
            const char* languageId;
            const char* lexerLanguage;
        } rows[] = {
            {"main.py", "python", "Python"}, {"main.cpp", "cpp", "C++"},
            {"lib.rs", "rust", "Rust"},      {"main.go", "go", "Go"},
            {"package.json", "json", "JSON"}, {"README.md", "markdown", "Markdown"},
            {"CMakeLists.txt", "cmake", "CMake"}, {"ci.yaml", "yaml", "YAML"},
            {"index.html", "html", "HTML"},  {"style.css", "css", "CSS"},
            {"build.sh", "bash", "Bash"},    {"schema.sql", "sql", "SQL"},
            {"app.ts", "typescript", "TypeScript"}, {"Main.kt", "kotlin", "Kotlin"},
            {"Cargo.toml", "ini", "Properties"}, {"notes.xyz", "text", ""},
            {"LICENSE", "text", ""},
        };
        for (const auto& row : rows)
            QTest::newRow(row.fileName) << QString::fromLatin1(row.fileName) << QString::fromLatin1(row.languageId)
                                        << QString::fromLatin1(row.lexerLanguage);
    }

    void choosesLexerByFileName()
    {
        QFETCH(QString, fileName);
        QFETCH(QString, languageId);
        QFETCH(QString, lexerLanguage);
        ScintillaEditor editor;
        editor.setLanguageForFile(QStringLiteral("start.py")); // a change from a lexer, too
        editor.setLanguageForFile(fileName);
        QCOMPARE(editor.languageId(), languageId);
        QsciLexer* lexer = scintillaOf(editor).lexer();
        QCOMPARE(lexer ? QString::fromLatin1(lexer->language()) : QString(), lexerLanguage);
    }

    void openChoosesLexerAndSaveAsRechooses()
    {
        QVERIFY(writeBytes(pathOf(QStringLiteral("script.py")), "def f():\n    pass\n"));
        ScintillaEditor editor;
        QVERIFY(editor.open(pathOf(QStringLiteral("script.py")), nullptr));
        QVERIFY(scintillaOf(editor).lexer()->inherits("QsciLexerPython"));
        QVERIFY(editor.save(pathOf(QStringLiteral("script.sh")), nullptr));
        QCOMPARE(editor.languageId(), QStringLiteral("bash"));
        QVERIFY(scintillaOf(editor).lexer()->inherits("QsciLexerBash"));
    }

    void rustLexerColoursRust()
    {
        ScintillaEditor editor;
        editor.setLanguageForFile(QStringLiteral("lib.rs"));
        editor.setText(QStringLiteral("fn f<'a>(x: &'a str) -> u8 { 1 } // done"));
        QsciScintilla& sci = scintillaOf(editor);
        sci.SendScintilla(Sci::SCI_COLOURISE, 0UL, -1L);
        const auto styleAt = [&](const char* word) {
            return sci.SendScintilla(Sci::SCI_GETSTYLEAT, long(editor.text().indexOf(QLatin1String(word))));
        };
        QCOMPARE(styleAt("fn"), 6L);   // keyword
        QCOMPARE(styleAt("'a>"), 18L); // lifetime, not a character
        QCOMPARE(styleAt("u8"), 7L);   // built-in type
        QCOMPARE(styleAt("// done"), 2L); // line comment: the lifetimes did not open a string
        QCOMPARE(sci.SendScintilla(Sci::SCI_STYLEGETFORE, 6UL), scintillaColor(latent::ui::editorPalette(false).keyword));
    }

    void tracksModifiedState()
    {
        QVERIFY(writeBytes(pathOf(QStringLiteral("state.txt")), "abc\n"));
        ScintillaEditor editor;
        QVERIFY(editor.open(pathOf(QStringLiteral("state.txt")), nullptr));
        QSignalSpy changes(&editor, &ScintillaEditor::modificationChanged);
        editor.insertAtCursor(QStringLiteral("x"));
        QVERIFY(editor.isModified());
        QVERIFY(editor.save(pathOf(QStringLiteral("state.txt")), nullptr));
        QVERIFY(!editor.isModified());
        editor.insertAtCursor(QStringLiteral("y"));
        QVERIFY(editor.isModified());
        editor.undo(); // back to the save point
        QVERIFY(!editor.isModified());
        editor.undo(); // before it
        QVERIFY(editor.isModified());
        QCOMPARE(changes.size(), 5);
        QCOMPARE(changes.last().first().toBool(), true);

        editor.setModified(false);
        QVERIFY(!editor.isModified());
        editor.setModified(true); // with no edit
        QVERIFY(editor.isModified());
        QCOMPARE(changes.last().first().toBool(), true);
        editor.setText(QStringLiteral("fresh"));
        QVERIFY(!editor.isModified());
        QVERIFY(!scintillaOf(editor).isUndoAvailable());
        QCOMPARE(changes.last().first().toBool(), false);
    }

    void findsWithOptions()
    {
        ScintillaEditor editor;
        editor.setText(QStringLiteral("Foo foo food\nfoo_bar FOO\n"));
        const auto found = [&] { return qMakePair(editor.selectionStart(), editor.selectedText()); };
        using Found = QPair<int, QString>;

        QVERIFY(editor.find(options(QStringLiteral("foo")), true));
        QCOMPARE(found(), Found(0, QStringLiteral("Foo")));
        QVERIFY(editor.find(options(QStringLiteral("foo")), true));
        QCOMPARE(found(), Found(4, QStringLiteral("foo")));
        QVERIFY(editor.find(options(QStringLiteral("foo")), true));
        QCOMPARE(found(), Found(8, QStringLiteral("foo")));

        editor.setCursorOffset(0);
        QVERIFY(editor.find(options(QStringLiteral("FOO"), false, true), true)); // case-sensitive
        QCOMPARE(found(), Found(21, QStringLiteral("FOO")));

        editor.setCursorOffset(5);
        QVERIFY(editor.find(options(QStringLiteral("foo"), false, false, true), true)); // whole word
        QCOMPARE(found(), Found(21, QStringLiteral("FOO")));
        QVERIFY(editor.find(options(QStringLiteral("foo"), false, false, true), true)); // wraps around
        QCOMPARE(found(), Found(0, QStringLiteral("Foo")));

        QVERIFY(editor.find(options(QStringLiteral("fo+d|_\\w+"), true), true)); // regular expression
        QCOMPARE(found(), Found(8, QStringLiteral("food")));
        QVERIFY(editor.find(options(QStringLiteral("fo+d|_\\w+"), true), true));
        QCOMPARE(found(), Found(16, QStringLiteral("_bar")));
        editor.setCursorOffset(1);
        QVERIFY(editor.find(options(QStringLiteral("^foo"), true), true)); // ^ at a line start
        QCOMPARE(found(), Found(13, QStringLiteral("foo")));

        editor.setCursorOffset(12);
        QVERIFY(editor.find(options(QStringLiteral("foo")), false)); // backward
        QCOMPARE(found(), Found(8, QStringLiteral("foo")));
        QVERIFY(editor.find(options(QStringLiteral("foo")), false));
        QCOMPARE(found(), Found(4, QStringLiteral("foo")));
        editor.setCursorOffset(0);
        QVERIFY(editor.find(options(QStringLiteral("foo")), false)); // wraps to the end
        QCOMPARE(found(), Found(21, QStringLiteral("FOO")));

        QVERIFY(!editor.find(options(QStringLiteral("bar"), false, false, true), true));
        QVERIFY(!editor.find(options(QString()), true));
        QVERIFY(!editor.find(options(QStringLiteral("(unclosed"), true), true)); // invalid
        QCOMPARE(editor.replaceEveryMatch(options(QStringLiteral("[a-"), true), QStringLiteral("x")), 0);
        QCOMPARE(editor.text(), QStringLiteral("Foo foo food\nfoo_bar FOO\n"));
    }

    void findsChineseWholeWordsAndCrlfLineEnds()
    {
        ScintillaEditor editor;
        editor.setText(QStringLiteral("变量 = 1;\r\n变量名 = 变量;\r\n"));
        QVERIFY(editor.find(options(QStringLiteral("变量"), false, false, true), true));
        QCOMPARE(editor.selectionStart(), 0);
        QVERIFY(editor.find(options(QStringLiteral("变量"), false, false, true), true));
        QCOMPARE(editor.selectionStart(), 15); // not 变量名
        QCOMPARE(editor.replaceEveryMatch(options(QStringLiteral(";$"), true), QStringLiteral(";  // 完")), 2);
        QCOMPARE(editor.text(), QStringLiteral("变量 = 1;  // 完\r\n变量名 = 变量;  // 完\r\n"));
    }

    void replacesAndFindsNext()
    {
        ScintillaEditor editor;
        editor.setText(QStringLiteral("a1 b2 a3"));
        const FindOptions pattern = options(QStringLiteral("a(\\d)"), true, true);
        QVERIFY(editor.replaceAndFindNext(pattern, QStringLiteral("A$1"))); // nothing selected: finds only
        QCOMPARE(editor.text(), QStringLiteral("a1 b2 a3"));
        QCOMPARE(editor.selectedText(), QStringLiteral("a1"));
        QVERIFY(editor.replaceAndFindNext(pattern, QStringLiteral("A$1")));
        QCOMPARE(editor.text(), QStringLiteral("A1 b2 a3"));
        QCOMPARE(editor.selectedText(), QStringLiteral("a3"));
        QVERIFY(!editor.replaceAndFindNext(pattern, QStringLiteral("A\\1")));
        QCOMPARE(editor.text(), QStringLiteral("A1 b2 A3"));
        editor.undo();
        QCOMPARE(editor.text(), QStringLiteral("A1 b2 a3"));
    }

    void replacesEveryMatchAsOneStep()
    {
        ScintillaEditor editor;
        editor.setText(QStringLiteral("名字@例子 x@y 😀@z\n"));
        QCOMPARE(editor.replaceEveryMatch(options(QStringLiteral("(\\S+)@(\\w+)"), true), QStringLiteral("\\2 at \\1")),
                 3);
        QCOMPARE(editor.text(), QStringLiteral("例子 at 名字 y at x z at 😀\n"));
        QVERIFY(editor.isModified());
        editor.undo();
        QCOMPARE(editor.text(), QStringLiteral("名字@例子 x@y 😀@z\n"));
        QVERIFY(!editor.isModified());

        QCOMPARE(editor.replaceEveryMatch(options(QStringLiteral("x@Y")), QStringLiteral("$1 \\1")), 1); // plain
        QCOMPARE(editor.text(), QStringLiteral("名字@例子 $1 \\1 😀@z\n"));
        editor.setText(QStringLiteral("一\n二\n"));
        QCOMPARE(editor.replaceEveryMatch(options(QStringLiteral("^"), true), QStringLiteral("> ")), 2); // empty matches
        QCOMPARE(editor.text(), QStringLiteral("> 一\n> 二\n"));
    }

    void editsAreOneUndoStepEach()
    {
        ScintillaEditor editor;
        editor.setText(QStringLiteral("abc\ndef"));
        editor.setCursorOffset(3);
        editor.insertAtCursor(QStringLiteral("12"));
        editor.insertAtCursor(QStringLiteral("3\n4"));
        QCOMPARE(editor.text(), QStringLiteral("abc123\n4\ndef"));
        QCOMPARE(editor.cursorOffset(), 8);
        editor.undo();
        QCOMPARE(editor.text(), QStringLiteral("abc12\ndef"));
        editor.undo();
        QCOMPARE(editor.text(), QStringLiteral("abc\ndef"));

        editor.setSelection(1, 6);
        editor.replaceSelection(QStringLiteral("替换"));
        QCOMPARE(editor.text(), QStringLiteral("a替换f"));
        QCOMPARE(editor.cursorOffset(), 3);
        editor.undo();
        QCOMPARE(editor.text(), QStringLiteral("abc\ndef"));

        editor.setCursorOffset(6); // line 1, column 2
        editor.replaceAll(QStringLiteral("first\nsecond line\n"));
        QCOMPARE(editor.text(), QStringLiteral("first\nsecond line\n"));
        QCOMPARE(editor.cursorLine(), 1);
        QCOMPARE(editor.cursorColumn(), 2);
        editor.undo();
        QCOMPARE(editor.text(), QStringLiteral("abc\ndef"));
        editor.redo();
        QCOMPARE(editor.text(), QStringLiteral("first\nsecond line\n"));
    }

    void undoStepsNest()
    {
        ScintillaEditor editor;
        editor.setText(QStringLiteral("start"));
        editor.setCursorOffset(5);
        editor.beginUndoStep();
        editor.insertAtCursor(QStringLiteral(" one"));
        editor.beginUndoStep();
        editor.insertAtCursor(QStringLiteral(" two"));
        editor.endUndoStep();
        QTest::keyClicks(editor.widget(), QStringLiteral(" typed"));
        editor.insertAtCursor(QStringLiteral(" three"));
        editor.endUndoStep();
        editor.endUndoStep(); // one too many: ignored
        QCOMPARE(editor.text(), QStringLiteral("start one two typed three"));
        editor.undo();
        QCOMPARE(editor.text(), QStringLiteral("start"));
    }

    void offsetsCountUtf16()
    {
        ScintillaEditor editor;
        const QString text = QStringLiteral("a中😀b\n第二行😀x");
        editor.setText(text);
        QCOMPARE(text.size(), 12);
        QCOMPARE(editor.lineCount(), 2);
        for (int offset : {0, 1, 2, 4, 5, 6, 7, 9, 11, 12}) {
            editor.setCursorOffset(offset);
            QCOMPARE(editor.cursorOffset(), offset);
        }
        editor.setCursorOffset(3); // inside the emoji's surrogate pair: its start
        QCOMPARE(editor.cursorOffset(), 2);
        editor.setCursorOffset(100);
        QCOMPARE(editor.cursorOffset(), 12);
        editor.setCursorOffset(-5);
        QCOMPARE(editor.cursorOffset(), 0);

        editor.setCursorOffset(int(text.indexOf(u'x')));
        QCOMPARE(editor.cursorLine(), 1);
        QCOMPARE(editor.cursorColumn(), 5);

        editor.setSelection(2, 4);
        QVERIFY(editor.hasSelection());
        QCOMPARE(editor.selectedText(), QStringLiteral("😀"));
        QCOMPARE(editor.selectionStart(), 2);
        QCOMPARE(editor.selectionEnd(), 4);
        editor.setSelection(12, 7); // backward: the cursor at the start
        QCOMPARE(editor.selectedText(), QStringLiteral("二行😀x"));
        QCOMPARE(editor.selectionStart(), 7);
        QCOMPARE(editor.selectionEnd(), 12);
        QCOMPARE(editor.cursorOffset(), 7);
        editor.setCursorOffset(4);
        QVERIFY(!editor.hasSelection());
        QCOMPARE(editor.selectionStart(), 4);
        QCOMPARE(editor.selectionEnd(), 4);

        editor.insertAtCursor(QStringLiteral("🎉"));
        QCOMPARE(editor.text(), QStringLiteral("a中😀🎉b\n第二行😀x"));
        QCOMPARE(editor.cursorOffset(), 6);

        editor.goToLine(7);
        QCOMPARE(editor.cursorLine(), 1);
        QCOMPARE(editor.cursorColumn(), 0);
    }

    void signalsEditsAndCursorMoves()
    {
        ScintillaEditor editor;
        editor.widget()->show();
        QVERIFY(QTest::qWaitForWindowExposed(editor.widget()));
        editor.setText(QStringLiteral("one\ntwo\n"));
        QSignalSpy changed(&editor, &ScintillaEditor::textChanged);
        QSignalSpy moved(&editor, &ScintillaEditor::cursorMoved);
        editor.setCursorOffset(5);
        QTRY_VERIFY(moved.size() > 0); // when Scintilla paints the move
        editor.insertAtCursor(QStringLiteral("x"));
        QCOMPARE(changed.size(), 1);
    }

    void ghostTextLeavesDocumentAlone()
    {
        ScintillaEditor editor;
        editor.setText(QStringLiteral("def f(x):\n    return\n"));
        QsciScintilla& sci = scintillaOf(editor);
        editor.setCursorOffset(20); // after "return"
        QSignalSpy textChanges(&editor, &ScintillaEditor::textChanged);
        QSignalSpy modifications(&editor, &ScintillaEditor::modificationChanged);

        editor.setGhostText(QStringLiteral(" x * 2\n\n# 完成\tdone"));
        QCOMPARE(editor.ghostText(), QStringLiteral(" x * 2\n\n# 完成\tdone"));
        QCOMPARE(editor.text(), QStringLiteral("def f(x):\n    return\n"));
        QVERIFY(!editor.isModified());
        QVERIFY(!sci.isUndoAvailable());
        QCOMPARE(editor.cursorOffset(), 20);
        // The lines after the first stand under the cursor's line.
        QCOMPARE(sci.SendScintilla(Sci::SCI_ANNOTATIONGETLINES, 1UL), 2L);
        QCOMPARE(sci.SendScintilla(Sci::SCI_ANNOTATIONGETLINES, 0UL), 0L);
        QCOMPARE(annotationOf(sci, 1), QStringLiteral("\n# 完成    done")); // tabs laid out as spaces

        // The rest of the cursor's line follows the last ghost line, as it would once inserted.
        editor.setCursorOffset(16); // "    re|turn"
        editor.setGhostText(QStringLiteral("sult = x\r\nre"));
        QCOMPARE(annotationOf(sci, 1), QStringLiteral("return"));
        QCOMPARE(editor.text(), QStringLiteral("def f(x):\n    return\n"));

        editor.setGhostText(QStringLiteral(" x"));
        QCOMPARE(sci.SendScintilla(Sci::SCI_ANNOTATIONGETLINES, 1UL), 0L); // one line: inline only
        editor.setGhostText(QString());
        QCOMPARE(editor.ghostText(), QString());
        QCOMPARE(editor.text(), QStringLiteral("def f(x):\n    return\n"));
        QVERIFY(!sci.isUndoAvailable());
        QCOMPARE(textChanges.size(), 0);
        QCOMPARE(modifications.size(), 0);
    }

    void ghostTextIsPaintedAndRemoved()
    {
        ScintillaEditor editor;
        QWidget* widget = editor.widget();
        widget->resize(480, 200);
        widget->show();
        QVERIFY(QTest::qWaitForWindowExposed(widget));
        scintillaOf(editor).SendScintilla(Sci::SCI_SETCARETPERIOD, 0UL); // no blinking between grabs
        editor.setLanguageForFile(QStringLiteral("sum.py"));
        editor.setText(QStringLiteral("def 求和(a, b):\n    return  # 结果\n\nprint(求和(1, 2))\n"));
        editor.setCursorOffset(int(editor.text().indexOf(QStringLiteral("  #")) + 1));
        QTest::qWait(50);
        const QImage without = widget->grab().toImage();

        editor.setGhostText(QStringLiteral("a + b\n    # 两行"));
        QTest::qWait(50);
        const QImage with = widget->grab().toImage();
        QVERIFY(with != without);
        const int lineHeight = int(scintillaOf(editor).SendScintilla(Sci::SCI_TEXTHEIGHT, 0UL));
        QCOMPARE(with.copy(0, 0, with.width(), lineHeight), without.copy(0, 0, without.width(), lineHeight));

        editor.setGhostText(QString());
        QTest::qWait(50);
        QCOMPARE(widget->grab().toImage(), without);
    }

    void ghostKeysAreTaken()
    {
        ScintillaEditor editor;
        editor.setText(QStringLiteral("x = "));
        editor.setCursorOffset(4);
        QList<GhostKey> keys;
        connect(&editor, &ScintillaEditor::ghostKeyPressed, this, [&keys](GhostKey key) { keys << key; });
        QSignalSpy typed(&editor, &ScintillaEditor::typed);

        editor.setGhostText(QStringLiteral("compute(1)"));
        QTest::keyClick(editor.widget(), Qt::Key_Tab);
        QTest::keyClick(editor.widget(), Qt::Key_Right, Qt::ControlModifier);
        QTest::keyClick(editor.widget(), Qt::Key_Escape);
        QCOMPARE(keys, (QList<GhostKey>{GhostKey::AcceptAll, GhostKey::AcceptWord, GhostKey::Dismiss}));
        QCOMPARE(editor.text(), QStringLiteral("x = "));
        QCOMPARE(editor.cursorOffset(), 4);
        QCOMPARE(typed.size(), 0);

        // Other keys still edit while ghost text is shown; the caller decides when it goes.
        QTest::keyClicks(editor.widget(), QStringLiteral("c"));
        QCOMPARE(editor.text(), QStringLiteral("x = c"));
        QCOMPARE(editor.ghostText(), QStringLiteral("compute(1)"));

        editor.setGhostText(QString());
        QTest::keyClick(editor.widget(), Qt::Key_Escape);
        QCOMPARE(keys.size(), 3);
    }

    void tabWithoutGhostIndents()
    {
        ScintillaEditor editor;
        editor.setText(QStringLiteral("x"));
        QTest::keyClick(editor.widget(), Qt::Key_Tab);
        QCOMPARE(editor.text(), QStringLiteral("    x"));
        editor.setCursorOffset(5);
        QTest::keyClick(editor.widget(), Qt::Key_Right, Qt::ControlModifier); // nothing to its right
        QTest::keyClick(editor.widget(), Qt::Key_Return); // auto-indent
        QCOMPARE(editor.text(), QStringLiteral("    x\n    "));
    }

    void typedReportsWhatTheUserTyped()
    {
        ScintillaEditor editor;
        QSignalSpy typed(&editor, &ScintillaEditor::typed);
        QTest::keyClicks(editor.widget(), QStringLiteral("ab"));
        typeText(editor.widget(), QStringLiteral("中"));
        QTest::keyClick(editor.widget(), Qt::Key_Return);
        QTest::keyClick(editor.widget(), Qt::Key_Backspace);
        editor.insertAtCursor(QStringLiteral("not typed"));
        QCOMPARE(editor.text(), QStringLiteral("ab中not typed"));
        QCOMPARE(typed.size(), 3);
        QCOMPARE(typed.at(0).first().toString(), QStringLiteral("a"));
        QCOMPARE(typed.at(2).first().toString(), QStringLiteral("中"));

        editor.setReadOnly(true);
        QTest::keyClicks(editor.widget(), QStringLiteral("z"));
        QCOMPARE(typed.size(), 3);
        editor.insertAtCursor(QStringLiteral("!")); // the program may still edit
        QCOMPARE(editor.text(), QStringLiteral("ab中not typed!"));
        QVERIFY(scintillaOf(editor).isReadOnly());
    }

    void themesSwitchLive()
    {
        ScintillaEditor editor;
        QsciScintilla& sci = scintillaOf(editor);
        const auto paper = [&](int style) { return sci.SendScintilla(Sci::SCI_STYLEGETBACK, ulong(style)); };
        const auto& light = latent::ui::editorPalette(false);
        const auto& dark = latent::ui::editorPalette(true);
        QCOMPARE(paper(Sci::STYLE_DEFAULT), scintillaColor(light.paper));
        editor.setDarkTheme(true);
        QCOMPARE(paper(Sci::STYLE_DEFAULT), scintillaColor(dark.paper));
        QCOMPARE(paper(0), scintillaColor(dark.paper));

        editor.setLanguageForFile(QStringLiteral("x.py")); // a new lexer keeps the theme
        QCOMPARE(paper(Sci::STYLE_DEFAULT), scintillaColor(dark.paper));
        QCOMPARE(sci.SendScintilla(Sci::SCI_STYLEGETFORE, 5UL), scintillaColor(dark.keyword)); // Python keyword
        QCOMPARE(sci.SendScintilla(Sci::SCI_STYLEGETFORE, 1UL), scintillaColor(dark.comment));
        editor.setDarkTheme(false);
        QCOMPARE(paper(4), scintillaColor(light.paper)); // a Python string's
        QCOMPARE(sci.SendScintilla(Sci::SCI_STYLEGETFORE, 3UL), scintillaColor(light.string));
    }

    void zoomChangesTheFontSize()
    {
        ScintillaEditor editor;
        QsciScintilla& sci = scintillaOf(editor);
        editor.zoomIn();
        editor.zoomIn();
        QCOMPARE(sci.SendScintilla(Sci::SCI_GETZOOM), 2L);
        editor.zoomOut();
        QCOMPARE(sci.SendScintilla(Sci::SCI_GETZOOM), 1L);
        editor.resetZoom();
        QCOMPARE(sci.SendScintilla(Sci::SCI_GETZOOM), 0L);
    }
};

QTEST_MAIN(ScintillaEditorTest)
#include "test_scintilla_editor.moc"
