#include "app/coding/enclosing_block.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <climits>
#include <optional>
#include <vector>

namespace latent::app {
namespace {

constexpr int kParagraphReach = 50; // lines either side of the cursor, for a paragraph

bool isBlank(QStringView line) { return line.trimmed().isEmpty(); }

QStringList wordsOf(const char* spaceSeparated)
{
    return QString::fromLatin1(spaceSeparated).split(u' ', Qt::SkipEmptyParts);
}

int indentationOf(QStringView line)
{
    int indent = 0;
    for (QChar c : line) {
        if (c == u' ')
            ++indent;
        else if (c == u'\t')
            indent += 8 - indent % 8;
        else
            break;
    }
    return indent;
}

// The lines between blank lines around `line` (the paragraph above, or else below, a blank one).
LineRange paragraphAround(const QStringList& lines, int line)
{
    const int count = int(lines.size());
    int anchor = line;
    while (anchor >= 0 && isBlank(lines[anchor]))
        --anchor;
    if (anchor < 0) {
        anchor = line;
        while (anchor < count && isBlank(lines[anchor]))
            ++anchor;
        if (anchor == count)
            return {line, line};
    }
    int first = anchor;
    while (first > 0 && first > anchor - kParagraphReach && !isBlank(lines[first - 1]))
        --first;
    int last = anchor;
    while (last + 1 < count && last < anchor + kParagraphReach && !isBlank(lines[last + 1]))
        ++last;
    return {first, last};
}

// Moves `first` up over the comment lines and decorators (attributes, annotations) directly above it.
int withLeadingComments(const QStringList& lines, int first, const QStringList& commentStarts)
{
    while (first > 0) {
        const QString above = lines[first - 1].trimmed();
        const bool comment = std::any_of(commentStarts.begin(), commentStarts.end(),
                                         [&](const QString& start) { return above.startsWith(start); });
        if (above.isEmpty() || !comment)
            break;
        --first;
    }
    return first;
}

// ---- Brace languages ----------------------------------------------------------------------

struct BraceSyntax {
    bool shell = false;           // # comments instead of // and /* */; ${...} expansions are no blocks
    bool preprocessor = false;    // a line starting with # is a directive (C, C++, C#)
    bool backtickStrings = false; // `...` spans lines (JavaScript, TypeScript, Go)
    bool rustChars = false;       // ' starts a char literal only as 'x' or '\n' (not a lifetime)
};

std::optional<BraceSyntax> braceSyntaxOf(const QString& languageId)
{
    static const QStringList kCLike = wordsOf("java kotlin swift qml css");
    if (languageId == u"c" || languageId == u"cpp" || languageId == u"csharp")
        return BraceSyntax{.preprocessor = true};
    if (languageId == u"javascript" || languageId == u"typescript" || languageId == u"go")
        return BraceSyntax{.backtickStrings = true};
    if (languageId == u"rust")
        return BraceSyntax{.rustChars = true};
    if (languageId == u"bash")
        return BraceSyntax{.shell = true};
    if (kCLike.contains(languageId))
        return BraceSyntax{};
    return std::nullopt;
}

// The text with comments, string and char literals and preprocessor lines blanked out (line ends
// kept, so offsets and lines stay where they were): what is left is code whose braces count.
QString codeOnly(const QString& text, const BraceSyntax& syntax)
{
    QString code = text;
    const qsizetype size = text.size();
    const auto blank = [&](qsizetype from, qsizetype to) {
        for (qsizetype i = from; i < to; ++i)
            if (code[i] != u'\n')
                code[i] = u' ';
    };
    const auto lineEnd = [&](qsizetype from) {
        const qsizetype newline = text.indexOf(u'\n', from);
        return newline < 0 ? size : newline;
    };
    // A literal closed by `quote` on the same line (backslash escapes); an unclosed one is no literal.
    const auto literalEnd = [&](qsizetype from, QChar quote) -> qsizetype {
        for (qsizetype i = from + 1; i < size && text[i] != u'\n'; ++i) {
            if (text[i] == u'\\')
                ++i;
            else if (text[i] == quote)
                return i + 1;
        }
        return -1;
    };
    bool lineStart = true; // only blanks so far on this line
    for (qsizetype i = 0; i < size;) {
        const QChar c = text[i];
        const QChar next = i + 1 < size ? text[i + 1] : QChar();
        qsizetype end = -1;
        if (syntax.shell && c == u'#' && (i == 0 || text[i - 1].isSpace())) {
            end = lineEnd(i);
        } else if (syntax.shell && c == u'$' && next == u'{') {
            const qsizetype close = text.indexOf(u'}', i);
            end = close < 0 || close > lineEnd(i) ? -1 : close + 1;
        } else if (syntax.preprocessor && c == u'#' && lineStart) {
            end = lineEnd(i);
        } else if (!syntax.shell && c == u'/' && next == u'/') {
            end = lineEnd(i);
        } else if (!syntax.shell && c == u'/' && next == u'*') {
            const qsizetype close = text.indexOf(QStringLiteral("*/"), i + 2);
            end = close < 0 ? size : close + 2;
        } else if (syntax.backtickStrings && c == u'`') {
            const qsizetype close = text.indexOf(u'`', i + 1);
            end = close < 0 ? size : close + 1;
        } else if (c == u'"' || (c == u'\'' && !syntax.rustChars)) {
            end = literalEnd(i, c);
        } else if (c == u'\'' && (next == u'\\' || (i + 2 < size && text[i + 2] == u'\''))) {
            end = literalEnd(i, c);
        }
        if (end > i) {
            blank(i, end);
            i = end;
            lineStart = false;
            continue;
        }
        lineStart = c == u'\n' || (lineStart && c.isSpace());
        ++i;
    }
    return code;
}

enum class BlockKind {
    Definition, // a function, method or lambda defined here
    Callback,   // a function passed as an argument
    Control,    // if, for, while, ...
    Namespace,  // namespace, mod, extern "C", package
    Other,      // a type's body, an object literal, a bare block
};

// Reads the header of a block (the code from the end of the previous statement to its "{").
BlockKind kindOfHeader(QString header)
{
    static const QRegularExpression kWord(QStringLiteral("[A-Za-z_][A-Za-z0-9_]*"));
    static const QStringList kDefinitionWords = wordsOf("fn func function fun");
    static const QStringList kControlWords = wordsOf("if else for foreach while do switch try catch finally match "
                                                     "loop unsafe when select with lock using synchronized case "
                                                     "default return defer go");
    static const QStringList kNamespaceWords = wordsOf("namespace mod extern package");
    static const QStringList kTypeWords = wordsOf("class struct union enum interface trait impl object record "
                                                  "protocol extension type");

    header = header.simplified();
    if (header.startsWith(u"template")) { // template <class T> void f(): the "class" is no type's
        const qsizetype close = header.indexOf(u'>');
        header = close < 0 ? QString() : header.sliced(close + 1).trimmed();
    }
    if (header.isEmpty())
        return BlockKind::Other;
    QStringList words;
    for (const auto& match : kWord.globalMatch(header))
        words.append(match.captured());
    const qsizetype paren = header.indexOf(u'(');
    const bool unbalanced = header.count(u'(') > header.count(u')');
    const bool definitionWord = std::any_of(words.begin(), words.end(), [](const QString& w) { return kDefinitionWords.contains(w); });
    if (definitionWord)
        return unbalanced ? BlockKind::Callback : BlockKind::Definition;
    if (words.isEmpty())
        return header.contains(QStringLiteral("=>")) ? BlockKind::Definition : BlockKind::Other;
    if (kControlWords.contains(words[0]))
        return BlockKind::Control;
    if (kNamespaceWords.contains(words[0]) || (words.size() > 1 && kNamespaceWords.contains(words[1])))
        return BlockKind::Namespace;
    const QString beforeParameters = paren < 0 ? header : header.first(paren);
    for (const auto& match : kWord.globalMatch(beforeParameters))
        if (kTypeWords.contains(match.captured()))
            return BlockKind::Other;
    const bool parameters = header.contains(u')') || header.contains(QStringLiteral("=>"));
    if (!parameters)
        return BlockKind::Other;
    return unbalanced ? BlockKind::Callback : BlockKind::Definition;
}

struct Block {
    BlockKind kind = BlockKind::Other;
    int headerLine = 0; // the first line of its header (its "{" line when it has none)
    int closeLine = 0;
};

// Where the header of the block opened at `open` starts: after the end of the previous
// statement or block, after the last blank line (what languages without semicolons, Go's
// package clause or JavaScript's imports, leave unterminated), and after labels ("public:",
// "private slots:", "case 1:"), at its first character of code.
qsizetype headerStart(const QString& code, qsizetype open)
{
    qsizetype start = open;
    while (start > 0 && !QStringView(u";{}").contains(code[start - 1]))
        --start;
    qsizetype lineEnd = -1; // of the line being read backwards
    bool blankLine = true;
    for (qsizetype i = open - 1; i >= start; --i) {
        if (code[i] == u'\n') {
            if (lineEnd >= 0 && blankLine) {
                start = lineEnd + 1;
                break;
            }
            lineEnd = i;
            blankLine = true;
        } else if (!code[i].isSpace()) {
            blankLine = false;
        }
    }
    static const QRegularExpression kLabel(QStringLiteral("\\G\\s*(?:[A-Za-z_]\\w*\\s+)*[A-Za-z_]\\w*\\s*:(?!:)"));
    for (auto label = kLabel.match(code, start); label.hasMatch() && label.capturedEnd() <= open;
         label = kLabel.match(code, start))
        start = label.capturedEnd();
    while (start < open && code[start].isSpace())
        ++start;
    return start;
}

// The blocks around `line` (from the first line of their header to their closing brace),
// outermost first.
std::vector<Block> blocksAround(const QString& code, int line)
{
    std::vector<qsizetype> lineStarts{0};
    for (qsizetype i = 0; i < code.size(); ++i)
        if (code[i] == u'\n')
            lineStarts.push_back(i + 1);
    const auto lineOf = [&](qsizetype offset) {
        return int(std::upper_bound(lineStarts.begin(), lineStarts.end(), offset) - lineStarts.begin()) - 1;
    };
    std::vector<std::pair<qsizetype, Block>> around; // by the offset of the "{"
    const auto addIfAround = [&](qsizetype open, qsizetype close) {
        const int closeLine = lineOf(close);
        if (closeLine < line)
            return;
        const qsizetype start = headerStart(code, open);
        const int headerLine = lineOf(start);
        if (headerLine <= line)
            around.emplace_back(open, Block{kindOfHeader(code.sliced(start, open - start)), headerLine, closeLine});
    };

    std::vector<qsizetype> open;
    for (qsizetype i = 0; i < code.size(); ++i) {
        if (code[i] == u'{') {
            open.push_back(i);
        } else if (code[i] == u'}' && !open.empty()) {
            addIfAround(open.back(), i);
            open.pop_back();
        }
    }
    for (qsizetype unclosed : open) // a file being written: the block runs to the end
        addIfAround(unclosed, code.size());
    std::sort(around.begin(), around.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Block> blocks;
    for (const auto& [offset, block] : around)
        blocks.push_back(block);
    return blocks;
}

std::optional<LineRange> braceFunction(const QString& text, const QStringList& lines, int line, const BraceSyntax& syntax)
{
    const std::vector<Block> blocks = blocksAround(codeOnly(text, syntax), line);
    const auto isKind = [](BlockKind kind) { return [kind](const Block& b) { return b.kind == kind; }; };
    auto chosen = std::find_if(blocks.begin(), blocks.end(), isKind(BlockKind::Definition));
    if (chosen == blocks.end()) {
        auto innermost = std::find_if(blocks.rbegin(), blocks.rend(), isKind(BlockKind::Callback));
        if (innermost == blocks.rend())
            innermost = std::find_if(blocks.rbegin(), blocks.rend(), [](const Block& b) { return b.kind != BlockKind::Namespace; });
        if (innermost == blocks.rend())
            return std::nullopt;
        chosen = std::prev(innermost.base());
    }
    static const QStringList kCommentStarts = {QStringLiteral("//"), QStringLiteral("/*"), QStringLiteral("*"),
                                               QStringLiteral("#["), QStringLiteral("@")};
    static const QStringList kShellCommentStarts = {QStringLiteral("#")};
    const int first = withLeadingComments(lines, chosen->headerLine, syntax.shell ? kShellCommentStarts : kCommentStarts);
    return LineRange{first, std::min(chosen->closeLine, int(lines.size()) - 1)};
}

// ---- Python ---------------------------------------------------------------------------------

// Lines that begin inside a triple-quoted string: their indentation means nothing.
std::vector<bool> linesInsideStrings(const QStringList& lines)
{
    static const QRegularExpression kTripleQuotes(QStringLiteral("\"\"\"|'''"));
    std::vector<bool> inside(size_t(lines.size()), false);
    QString open; // the quotes of the string open at the start of the line, if any
    for (qsizetype i = 0; i < lines.size(); ++i) {
        inside[size_t(i)] = !open.isEmpty();
        const QString& line = lines[i];
        for (qsizetype at = 0; at < line.size();) {
            if (open.isEmpty()) {
                if (line[at] == u'#')
                    break;
                const qsizetype triple = line.indexOf(kTripleQuotes, at);
                if (triple < 0)
                    break;
                open = line.sliced(triple, 3);
                at = triple + 3;
            } else {
                const qsizetype close = line.indexOf(open, at);
                if (close < 0)
                    break;
                open.clear();
                at = close + 3;
            }
        }
    }
    return inside;
}

std::optional<LineRange> pythonFunction(const QStringList& lines, int line)
{
    static const QRegularExpression kHeader(QStringLiteral("^\\s*(async\\s+def|def|class)\\s"));
    const std::vector<bool> insideString = linesInsideStrings(lines);
    const auto isCode = [&](int i) {
        return !insideString[size_t(i)] && !isBlank(lines[i]) && !lines[i].trimmed().startsWith(u'#');
    };
    // The last line of the block a header at `header` opens: its last more-indented code line.
    const auto blockEnd = [&](int header) {
        const int indent = indentationOf(lines[header]);
        int last = header;
        for (int i = header + 1; i < lines.size(); ++i) {
            if (!isCode(i))
                continue;
            if (indentationOf(lines[i]) <= indent)
                break;
            last = i;
        }
        return last;
    };

    // Walk up through the lines that enclose `line` (each less indented than the one before).
    std::vector<int> headers; // innermost first
    int indent = isCode(line) ? indentationOf(lines[line]) + 1 : INT_MAX;
    for (int i = line; i >= 0 && indent > 0; --i) {
        if (!isCode(i) || indentationOf(lines[i]) >= indent)
            continue;
        indent = indentationOf(lines[i]);
        if (kHeader.match(lines[i]).hasMatch() && blockEnd(i) >= line)
            headers.push_back(i);
    }
    const auto isDef = [&](int header) { return !lines[header].trimmed().startsWith(u"class"); };
    if (headers.empty())
        return std::nullopt;
    const auto outermostDef = std::find_if(headers.rbegin(), headers.rend(), isDef);
    const int header = outermostDef != headers.rend() ? *outermostDef : headers.front(); // else the innermost class
    static const QStringList kDecoratorsAndComments = {QStringLiteral("@"), QStringLiteral("#")};
    return LineRange{withLeadingComments(lines, header, kDecoratorsAndComments), blockEnd(header)};
}

} // namespace

LineRange enclosingFunction(const QString& text, int line, const QString& languageId)
{
    QStringList lines = text.split(u'\n');
    for (QString& l : lines)
        if (l.endsWith(u'\r'))
            l.chop(1);
    line = std::clamp(line, 0, int(lines.size()) - 1);
    std::optional<LineRange> function;
    if (languageId == u"python")
        function = pythonFunction(lines, line);
    else if (const auto syntax = braceSyntaxOf(languageId))
        function = braceFunction(text, lines, line, *syntax);
    return function.value_or(paragraphAround(lines, line));
}

} // namespace latent::app
