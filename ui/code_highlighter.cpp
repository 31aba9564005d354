#include "ui/code_highlighter.h"

#include <QHash>
#include <QSet>

#include <initializer_list>

namespace latent::ui {

namespace {

// What tells one language's tokens apart. Only what the colours need: a keyword table, a type
// table and where comments and strings start and end.
struct LanguageRules {
    QSet<QStringView> keywords;
    QSet<QStringView> types;
    QStringView lineComment;         // "//", "#" or "--"; empty: none
    bool blockComments = false;      // /* ... */
    QStringView quotes;              // characters that open a string ending on its line
    QStringView multilineQuotes;     // those whose strings may span lines (` in JavaScript and Go)
    bool tripleQuotes = false;       // Python's """ and '''
    bool preprocessor = false;       // a line starting with # is a directive (C, C++)
    bool annotations = false;        // @name (Python decorators, Java and TypeScript annotations)
    bool charLiterals = false;       // Rust: ' opens a character only if it closes soon ('a vs 'a')
    bool commentsAtWordStart = false; // shell: # starts a comment only after a space ($# does not)
    bool caseInsensitive = false;    // SQL
    bool capitalizedTypes = false;   // CamelCase names are classes, structs and traits
};

QSet<QStringView> words(std::initializer_list<QStringView> list)
{
    return QSet<QStringView>(list.begin(), list.end());
}

LanguageRules cRules()
{
    LanguageRules rules;
    rules.keywords = words({
        u"alignas", u"alignof", u"asm", u"auto", u"break", u"case", u"catch", u"class", u"co_await",
        u"co_return", u"co_yield", u"concept", u"const", u"consteval", u"constexpr", u"constinit",
        u"const_cast", u"continue", u"decltype", u"default", u"delete", u"do", u"dynamic_cast", u"else",
        u"enum", u"explicit", u"export", u"extern", u"false", u"final", u"for", u"friend", u"goto", u"if",
        u"inline", u"mutable", u"namespace", u"new", u"noexcept", u"nullptr", u"operator", u"override",
        u"private", u"protected", u"public", u"register", u"reinterpret_cast", u"requires", u"return",
        u"sizeof", u"static", u"static_assert", u"static_cast", u"struct", u"switch", u"template", u"this",
        u"thread_local", u"throw", u"true", u"try", u"typedef", u"typeid", u"typename", u"union", u"using",
        u"virtual", u"volatile", u"while", u"NULL",
    });
    rules.types = words({
        u"bool", u"char", u"char8_t", u"char16_t", u"char32_t", u"double", u"float", u"int", u"long",
        u"short", u"signed", u"unsigned", u"void", u"wchar_t", u"size_t", u"ptrdiff_t", u"int8_t",
        u"int16_t", u"int32_t", u"int64_t", u"uint8_t", u"uint16_t", u"uint32_t", u"uint64_t", u"intptr_t",
        u"uintptr_t", u"string", u"string_view", u"wstring", u"vector", u"array", u"map", u"unordered_map",
        u"set", u"unordered_set", u"optional", u"variant", u"unique_ptr", u"shared_ptr", u"weak_ptr",
        u"pair", u"tuple", u"span", u"function", u"FILE",
    });
    rules.lineComment = u"//";
    rules.blockComments = true;
    rules.quotes = u"\"'";
    rules.preprocessor = true;
    rules.capitalizedTypes = true;
    return rules;
}

LanguageRules pythonRules()
{
    LanguageRules rules;
    rules.keywords = words({
        u"False", u"None", u"True", u"and", u"as", u"assert", u"async", u"await", u"break", u"class",
        u"continue", u"def", u"del", u"elif", u"else", u"except", u"finally", u"for", u"from", u"global",
        u"if", u"import", u"in", u"is", u"lambda", u"nonlocal", u"not", u"or", u"pass", u"raise",
        u"return", u"try", u"while", u"with", u"yield", u"match", u"case", u"self", u"cls",
    });
    rules.types = words({
        u"int", u"float", u"str", u"bool", u"bytes", u"bytearray", u"list", u"dict", u"set", u"frozenset",
        u"tuple", u"object", u"type", u"complex", u"range", u"print", u"len", u"open", u"super",
    });
    rules.lineComment = u"#";
    rules.quotes = u"\"'";
    rules.tripleQuotes = true;
    rules.annotations = true;
    rules.capitalizedTypes = true;
    return rules;
}

LanguageRules javaScriptRules()
{
    LanguageRules rules;
    rules.keywords = words({
        u"async", u"await", u"break", u"case", u"catch", u"class", u"const", u"continue", u"debugger",
        u"default", u"delete", u"do", u"else", u"export", u"extends", u"finally", u"for", u"from",
        u"function", u"if", u"import", u"in", u"instanceof", u"let", u"new", u"of", u"return", u"static",
        u"super", u"switch", u"this", u"throw", u"try", u"typeof", u"var", u"void", u"while", u"with",
        u"yield", u"true", u"false", u"null", u"undefined", u"as", u"implements", u"interface", u"enum",
        u"type", u"declare", u"readonly", u"public", u"private", u"protected", u"abstract", u"namespace",
        u"keyof", u"satisfies",
    });
    rules.types = words({
        u"string", u"number", u"boolean", u"any", u"unknown", u"never", u"object", u"bigint", u"symbol",
        u"console", u"document", u"window",
    });
    rules.lineComment = u"//";
    rules.blockComments = true;
    rules.quotes = u"\"'";
    rules.multilineQuotes = u"`";
    rules.annotations = true;
    rules.capitalizedTypes = true;
    return rules;
}

LanguageRules rustRules()
{
    LanguageRules rules;
    rules.keywords = words({
        u"as", u"async", u"await", u"break", u"const", u"continue", u"crate", u"dyn", u"else", u"enum",
        u"extern", u"false", u"fn", u"for", u"if", u"impl", u"in", u"let", u"loop", u"match", u"mod",
        u"move", u"mut", u"pub", u"ref", u"return", u"self", u"Self", u"static", u"struct", u"super",
        u"trait", u"true", u"type", u"unsafe", u"use", u"where", u"while",
    });
    rules.types = words({
        u"i8", u"i16", u"i32", u"i64", u"i128", u"isize", u"u8", u"u16", u"u32", u"u64", u"u128", u"usize",
        u"f32", u"f64", u"bool", u"char", u"str",
    });
    rules.lineComment = u"//";
    rules.blockComments = true;
    rules.quotes = u"\"";
    rules.charLiterals = true;
    rules.capitalizedTypes = true;
    return rules;
}

LanguageRules goRules()
{
    LanguageRules rules;
    rules.keywords = words({
        u"break", u"case", u"chan", u"const", u"continue", u"default", u"defer", u"else", u"fallthrough",
        u"for", u"func", u"go", u"goto", u"if", u"import", u"interface", u"map", u"package", u"range",
        u"return", u"select", u"struct", u"switch", u"type", u"var", u"true", u"false", u"nil", u"iota",
    });
    rules.types = words({
        u"bool", u"byte", u"complex64", u"complex128", u"error", u"float32", u"float64", u"int", u"int8",
        u"int16", u"int32", u"int64", u"rune", u"string", u"uint", u"uint8", u"uint16", u"uint32",
        u"uint64", u"uintptr", u"any",
    });
    rules.lineComment = u"//";
    rules.blockComments = true;
    rules.quotes = u"\"'";
    rules.multilineQuotes = u"`";
    rules.capitalizedTypes = true;
    return rules;
}

LanguageRules javaRules()
{
    LanguageRules rules;
    rules.keywords = words({
        u"abstract", u"assert", u"break", u"case", u"catch", u"class", u"const", u"continue", u"default",
        u"do", u"else", u"enum", u"extends", u"final", u"finally", u"for", u"goto", u"if", u"implements",
        u"import", u"instanceof", u"interface", u"native", u"new", u"package", u"private", u"protected",
        u"public", u"return", u"static", u"strictfp", u"super", u"switch", u"synchronized", u"this",
        u"throw", u"throws", u"transient", u"try", u"volatile", u"while", u"var", u"record", u"yield",
        u"true", u"false", u"null", u"sealed", u"permits",
    });
    rules.types = words({u"boolean", u"byte", u"char", u"double", u"float", u"int", u"long", u"short", u"void"});
    rules.lineComment = u"//";
    rules.blockComments = true;
    rules.quotes = u"\"'";
    rules.annotations = true;
    rules.capitalizedTypes = true;
    return rules;
}

LanguageRules shellRules()
{
    LanguageRules rules;
    rules.keywords = words({
        u"if", u"then", u"else", u"elif", u"fi", u"case", u"esac", u"for", u"select", u"while", u"until",
        u"do", u"done", u"in", u"function", u"time", u"return", u"exit", u"export", u"local", u"readonly",
        u"declare", u"unset", u"shift", u"break", u"continue", u"source", u"alias",
    });
    // Builtins and the commands every script uses, coloured as types so they stand out.
    rules.types = words({
        u"echo", u"printf", u"cd", u"pwd", u"read", u"test", u"set", u"eval", u"exec", u"trap", u"kill",
        u"wait", u"sudo", u"cat", u"grep", u"sed", u"awk", u"ls", u"cp", u"mv", u"rm", u"mkdir", u"git",
        u"make", u"cmake",
    });
    rules.lineComment = u"#";
    rules.commentsAtWordStart = true;
    rules.quotes = u"'";
    rules.multilineQuotes = u"\"";
    return rules;
}

LanguageRules jsonRules()
{
    LanguageRules rules;
    rules.keywords = words({u"true", u"false", u"null"});
    rules.lineComment = u"//"; // JSON with comments (jsonc); plain JSON never has //
    rules.blockComments = true;
    rules.quotes = u"\"";
    return rules;
}

LanguageRules sqlRules()
{
    LanguageRules rules;
    rules.keywords = words({
        u"select", u"from", u"where", u"insert", u"into", u"values", u"update", u"set", u"delete",
        u"create", u"table", u"drop", u"alter", u"add", u"column", u"index", u"view", u"trigger",
        u"primary", u"key", u"foreign", u"references", u"not", u"null", u"unique", u"default", u"check",
        u"and", u"or", u"in", u"is", u"like", u"between", u"exists", u"join", u"inner", u"left", u"right",
        u"outer", u"full", u"cross", u"on", u"as", u"group", u"by", u"order", u"having", u"limit",
        u"offset", u"union", u"all", u"distinct", u"case", u"when", u"then", u"else", u"end", u"begin",
        u"commit", u"rollback", u"transaction", u"if", u"replace", u"with", u"recursive", u"asc", u"desc",
        u"returning", u"pragma", u"true", u"false",
    });
    rules.types = words({
        u"integer", u"int", u"bigint", u"smallint", u"real", u"double", u"float", u"numeric", u"decimal",
        u"text", u"varchar", u"char", u"boolean", u"blob", u"date", u"time", u"timestamp", u"serial",
    });
    rules.lineComment = u"--";
    rules.blockComments = true;
    rules.quotes = u"'\"";
    rules.caseInsensitive = true;
    return rules;
}

// The rules of each language under each name people write after a fence.
const QHash<QString, const LanguageRules*>& rulesByName()
{
    static const LanguageRules c = cRules(), python = pythonRules(), javaScript = javaScriptRules(),
                               rust = rustRules(), go = goRules(), java = javaRules(), shell = shellRules(),
                               json = jsonRules(), sql = sqlRules();
    static const QHash<QString, const LanguageRules*> byName = [&] {
        QHash<QString, const LanguageRules*> names;
        const auto add = [&names](const LanguageRules* rules, std::initializer_list<const char*> aliases) {
            for (const char* alias : aliases)
                names.insert(QString::fromLatin1(alias), rules);
        };
        add(&c, {"c", "h", "cpp", "c++", "cxx", "cc", "hpp", "hxx", "cuda", "glsl"});
        add(&python, {"python", "py", "python3", "py3"});
        add(&javaScript, {"javascript", "js", "jsx", "mjs", "cjs", "typescript", "ts", "tsx", "qml"});
        add(&rust, {"rust", "rs"});
        add(&go, {"go", "golang"});
        add(&java, {"java"});
        add(&shell, {"sh", "bash", "shell", "zsh", "console", "shellsession"});
        add(&json, {"json", "jsonc", "json5"});
        add(&sql, {"sql", "sqlite", "postgresql", "postgres", "mysql", "plsql"});
        return names;
    }();
    return byName;
}

const LanguageRules* rulesFor(QStringView language)
{
    return rulesByName().value(language.trimmed().toString().toLower(), nullptr);
}

bool isIdentifierStart(QChar c) { return c.isLetter() || c == u'_'; }
bool isIdentifierPart(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

bool isCapitalizedName(QStringView word)
{
    if (word.size() < 2 || !word.front().isUpper())
        return false;
    for (QChar c : word.mid(1))
        if (c.isLower())
            return true; // CamelCase, not a CONSTANT
    return false;
}

// One pass over the code. Each branch consumes what it recognised, so the whole pass is linear.
class Tokenizer {
public:
    Tokenizer(QStringView code, const LanguageRules& rules) : code_(code), rules_(rules) {}

    QList<CodeToken> run()
    {
        while (pos_ < code_.size())
            next();
        return std::move(tokens_);
    }

private:
    void next()
    {
        const QChar c = code_[pos_];
        const qsizetype start = pos_;
        if (rules_.preprocessor && c == u'#' && atLineStart_) {
            pos_ = preprocessorEnd(start);
            push(CodeTokenKind::Preprocessor, start);
        } else if (startsLineComment()) {
            pos_ = lineEnd(start);
            push(CodeTokenKind::Comment, start);
        } else if (rules_.blockComments && code_.mid(pos_).startsWith(u"/*")) {
            pos_ = endAfter(u"*/", start + 2);
            push(CodeTokenKind::Comment, start);
        } else if (rules_.tripleQuotes && (code_.mid(pos_).startsWith(u"\"\"\"") || code_.mid(pos_).startsWith(u"'''"))) {
            pos_ = endAfter(code_.mid(pos_, 3), start + 3);
            push(CodeTokenKind::String, start);
        } else if (rules_.quotes.contains(c) || rules_.multilineQuotes.contains(c)) {
            pos_ = stringEnd(start, rules_.multilineQuotes.contains(c));
            push(CodeTokenKind::String, start);
        } else if (rules_.charLiterals && c == u'\'' && charLiteralEnd(start) > 0) {
            pos_ = charLiteralEnd(start);
            push(CodeTokenKind::String, start);
        } else if (c.isDigit()) {
            pos_ = numberEnd(start);
            push(CodeTokenKind::Number, start);
        } else if (isIdentifierStart(c)) {
            pos_ = identifierEnd(start);
            push(classify(code_.sliced(start, pos_ - start)), start);
        } else if (rules_.annotations && c == u'@' && pos_ + 1 < code_.size() && isIdentifierStart(code_[pos_ + 1])) {
            pos_ = identifierEnd(start + 1);
            push(CodeTokenKind::Preprocessor, start);
        } else {
            ++pos_;
            push(CodeTokenKind::Plain, start);
            if (c == u'\n')
                atLineStart_ = true;
            else if (!c.isSpace())
                atLineStart_ = false;
            return;
        }
        atLineStart_ = false;
    }

    bool startsLineComment() const
    {
        if (rules_.lineComment.isEmpty() || !code_.mid(pos_).startsWith(rules_.lineComment))
            return false;
        return !rules_.commentsAtWordStart || pos_ == 0 || code_[pos_ - 1].isSpace();
    }

    qsizetype lineEnd(qsizetype from) const
    {
        const qsizetype newline = code_.indexOf(u'\n', from);
        return newline < 0 ? code_.size() : newline;
    }

    // The end of a directive: the line, less a comment that follows it on the line.
    qsizetype preprocessorEnd(qsizetype from) const
    {
        const qsizetype end = lineEnd(from);
        const QStringView line = code_.sliced(from, end - from);
        qsizetype comment = line.indexOf(u"//");
        const qsizetype block = line.indexOf(u"/*");
        if (block >= 0 && (comment < 0 || block < comment))
            comment = block;
        return comment < 0 ? end : from + comment;
    }

    // Just past the closing text, or the end of the code when it never comes (streaming).
    qsizetype endAfter(QStringView closing, qsizetype from) const
    {
        const qsizetype found = code_.indexOf(closing, from);
        return found < 0 ? code_.size() : found + closing.size();
    }

    // Past the closing quote; a string left open ends with its line unless it may span lines.
    qsizetype stringEnd(qsizetype from, bool multiline) const
    {
        const QChar quote = code_[from];
        qsizetype i = from + 1;
        while (i < code_.size()) {
            const QChar c = code_[i];
            if (c == u'\\') {
                i += 2;
                continue;
            }
            if (c == quote)
                return i + 1;
            if (c == u'\n' && !multiline)
                return i;
            ++i;
        }
        return code_.size();
    }

    // Past a character literal such as 'a', '\n' or '\u{1F600}'; 0 when the quote is a Rust
    // lifetime ('a) instead.
    qsizetype charLiteralEnd(qsizetype from) const
    {
        constexpr qsizetype longest = 12; // '\u{10FFFF}'
        for (qsizetype i = from + 1; i < code_.size() && i <= from + longest; ++i) {
            if (code_[i] == u'\\') {
                ++i;
                continue;
            }
            if (code_[i] == u'\'')
                return i > from + 1 ? i + 1 : 0;
            if (code_[i] == u'\n')
                return 0;
            if (i == from + 2 && code_[from + 1] != u'\\')
                return 0; // one character, then no quote: a lifetime
        }
        return 0;
    }

    // Digits, hex and binary letters, suffixes (10u, 1.5f, 3i64), separators (1'000, 1_000) and
    // exponents (1e-5).
    qsizetype numberEnd(qsizetype from) const
    {
        qsizetype i = from + 1;
        while (i < code_.size()) {
            const QChar c = code_[i];
            const bool continues = isIdentifierPart(c) ||
                                   ((c == u'.' || c == u'\'') && i + 1 < code_.size() && code_[i + 1].isDigit()) ||
                                   ((c == u'+' || c == u'-') && (code_[i - 1] == u'e' || code_[i - 1] == u'E') &&
                                    !code_.sliced(from, i - from).startsWith(u"0x", Qt::CaseInsensitive));
            if (!continues)
                break;
            ++i;
        }
        return i;
    }

    qsizetype identifierEnd(qsizetype from) const
    {
        qsizetype i = from;
        while (i < code_.size() && isIdentifierPart(code_[i]))
            ++i;
        return i;
    }

    CodeTokenKind classify(QStringView word) const
    {
        const QString folded = rules_.caseInsensitive ? word.toString().toLower() : QString();
        const QStringView key = rules_.caseInsensitive ? QStringView(folded) : word;
        if (rules_.keywords.contains(key))
            return CodeTokenKind::Keyword;
        if (rules_.types.contains(key) || (rules_.capitalizedTypes && isCapitalizedName(word)))
            return CodeTokenKind::Type;
        return CodeTokenKind::Plain;
    }

    void push(CodeTokenKind kind, qsizetype start)
    {
        if (pos_ <= start)
            return;
        if (kind == CodeTokenKind::Plain && !tokens_.isEmpty() && tokens_.last().kind == CodeTokenKind::Plain) {
            tokens_.last().length += pos_ - start;
            return;
        }
        tokens_.append({kind, start, pos_ - start});
    }

    QStringView code_;
    const LanguageRules& rules_;
    QList<CodeToken> tokens_;
    qsizetype pos_ = 0;
    bool atLineStart_ = true;
};

struct CodeColors {
    const char* plain;
    const char* keyword;
    const char* type;
    const char* string;
    const char* comment;
    const char* number;
    const char* preprocessor;
};

// The plain colours are the theme's text colours (Theme.qml); the others are GitHub's, which
// read well on the theme's code backgrounds.
constexpr CodeColors lightColors{"#1f2328", "#cf222e", "#953800", "#0a3069", "#6e7781", "#0550ae", "#8250df"};
constexpr CodeColors darkColors{"#e4e6ea", "#ff7b72", "#ffa657", "#a5d6ff", "#8b949e", "#79c0ff", "#d2a8ff"};

const char* colorOf(CodeTokenKind kind, const CodeColors& colors)
{
    switch (kind) {
    case CodeTokenKind::Plain: return colors.plain;
    case CodeTokenKind::Keyword: return colors.keyword;
    case CodeTokenKind::Type: return colors.type;
    case CodeTokenKind::String: return colors.string;
    case CodeTokenKind::Comment: return colors.comment;
    case CodeTokenKind::Number: return colors.number;
    case CodeTokenKind::Preprocessor: return colors.preprocessor;
    }
    return colors.plain;
}

// Escapes text for HTML. Tabs become four spaces (rich text has no tab stops worth the name) and
// carriage returns go (the Markdown splitter already made line ends "\n").
void appendEscaped(QString& html, QStringView text)
{
    for (QChar c : text) {
        switch (c.unicode()) {
        case u'&': html += u"&amp;"; break;
        case u'<': html += u"&lt;"; break;
        case u'>': html += u"&gt;"; break;
        case u'"': html += u"&quot;"; break;
        case u'\t': html += u"    "; break;
        case u'\r': break;
        default: html += c;
        }
    }
}

} // namespace

QList<CodeToken> tokenizeCode(QStringView code, QStringView language)
{
    if (code.isEmpty())
        return {};
    const LanguageRules* rules = rulesFor(language);
    if (!rules)
        return {{CodeTokenKind::Plain, 0, code.size()}};
    return Tokenizer(code, *rules).run();
}

bool isKnownCodeLanguage(QStringView language)
{
    return rulesFor(language) != nullptr;
}

QString highlightCodeHtml(QStringView code, QStringView language, bool dark)
{
    const CodeColors& colors = dark ? darkColors : lightColors;
    QString html;
    html.reserve(code.size() + code.size() / 2 + 64);
    html += QStringLiteral("<pre style=\"margin-top:0; margin-bottom:0; color:%1\">").arg(QLatin1String(colors.plain));
    for (const CodeToken& token : tokenizeCode(code, language)) {
        const QStringView text = code.sliced(token.start, token.length);
        if (token.kind == CodeTokenKind::Plain) {
            appendEscaped(html, text);
            continue;
        }
        html += u"<span style=\"color:";
        html += QLatin1String(colorOf(token.kind, colors));
        if (token.kind == CodeTokenKind::Comment)
            html += u";font-style:italic";
        html += u"\">";
        appendEscaped(html, text);
        html += u"</span>";
    }
    html += u"</pre>";
    return html;
}

} // namespace latent::ui
