#include "ui/editor/lexer_for_language.h"

#include <Qsci/qscilexerbash.h>
#include <Qsci/qscilexercmake.h>
#include <Qsci/qscilexercpp.h>
#include <Qsci/qscilexercsharp.h>
#include <Qsci/qscilexercss.h>
#include <Qsci/qscilexerdiff.h>
#include <Qsci/qscilexerhtml.h>
#include <Qsci/qscilexerjava.h>
#include <Qsci/qscilexerjavascript.h>
#include <Qsci/qscilexerjson.h>
#include <Qsci/qscilexerlua.h>
#include <Qsci/qscilexermakefile.h>
#include <Qsci/qscilexermarkdown.h>
#include <Qsci/qscilexerperl.h>
#include <Qsci/qscilexerproperties.h>
#include <Qsci/qscilexerpython.h>
#include <Qsci/qscilexerruby.h>
#include <Qsci/qscilexersql.h>
#include <Qsci/qscilexertex.h>
#include <Qsci/qscilexerxml.h>
#include <Qsci/qscilexeryaml.h>

#include <functional>
#include <vector>

namespace latent::ui {
namespace {

// clang-format off
constexpr const char* kGoKeywords =
    "break case chan const continue default defer else fallthrough for func go goto if import interface "
    "map package range return select struct switch type var true false nil iota";
constexpr const char* kGoTypes =
    "any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune "
    "string uint uint8 uint16 uint32 uint64 uintptr append cap clear close complex copy delete imag len "
    "make max min new panic print println real recover";
constexpr const char* kKotlinKeywords =
    "as break class continue do else false for fun if in interface is null object package return super "
    "this throw true try typealias typeof val var when while by catch constructor delegate dynamic field "
    "file finally get import init param property receiver set setparam where actual abstract annotation "
    "companion const crossinline data enum expect external final infix inline inner internal lateinit "
    "noinline open operator out override private protected public reified sealed suspend tailrec vararg";
constexpr const char* kKotlinTypes =
    "Any Unit Nothing Boolean Byte Short Int Long Float Double Char String Array List MutableList Map "
    "MutableMap Set MutableSet Pair Triple Sequence";
constexpr const char* kSwiftKeywords =
    "associatedtype class deinit enum extension fileprivate func import init inout internal let open "
    "operator private precedencegroup protocol public rethrows static struct subscript typealias var break "
    "case catch continue default defer do else fallthrough for guard if in repeat return throw switch "
    "where while as false is nil self Self super throws true try async await actor some any convenience "
    "dynamic final lazy mutating nonmutating optional override required weak unowned get set willSet didSet";
constexpr const char* kSwiftTypes =
    "Int Int8 Int16 Int32 Int64 UInt UInt8 UInt16 UInt32 UInt64 Float Double Bool String Character Array "
    "Dictionary Set Optional Result Void Any AnyObject Error Never";
constexpr const char* kTypeScriptKeywords =
    "abstract any as asserts async await bigint boolean break case catch class const constructor continue "
    "debugger declare default delete do else enum export extends false finally for from function get if "
    "implements import in infer instanceof interface is keyof let module namespace never new null number "
    "object of override private protected public readonly return satisfies set static string super switch "
    "symbol this throw true try type typeof undefined unique unknown var void while with yield";
constexpr const char* kTypeScriptTypes =
    "Array Promise Record Partial Required Readonly Pick Omit Exclude Extract ReturnType Map Set Date "
    "Error RegExp JSON Math console";
constexpr const char* kQmlKeywords =
    "import as pragma property signal readonly required default alias component enum on function var let "
    "const if else for while do return break continue switch case new typeof instanceof in of true false "
    "null undefined this parent";
constexpr const char* kQmlTypes =
    "bool double int real string url var list color date font point rect size vector2d vector3d Item "
    "QtObject Component Connections Loader Repeater Rectangle Text Image MouseArea Timer";
constexpr const char* kRustKeywords =
    "as async await break const continue crate dyn else enum extern false fn for if impl in let loop match "
    "mod move mut pub ref return self Self static struct super trait true type union unsafe use where "
    "while yield macro_rules";
constexpr const char* kRustTypes =
    "bool char f32 f64 i8 i16 i32 i64 i128 isize str u8 u16 u32 u64 u128 usize String Vec Option Result "
    "Box Rc Arc Some None Ok Err";
// clang-format on

// A C-family language that an existing lexer reads well apart from its keywords: set 1 for
// keywords, set 4 ("global classes and typedefs") for types and built-in functions.
template <typename Base>
class KeywordLexer final : public Base {
public:
    KeywordLexer(const char* language, const char* keywords, const char* types)
        : language_(language)
        , keywords_(keywords)
        , types_(types)
    {
    }

    const char* language() const override { return language_; }

    const char* keywords(int set) const override
    {
        switch (set) {
        case 1: return keywords_;
        case 4: return types_;
        case 3: return Base::keywords(set); // documentation comment tags (@param ...)
        default: return nullptr;
        }
    }

private:
    const char* language_;
    const char* keywords_;
    const char* types_;
};

// Scintilla's Rust lexer (LexRust), which QScintilla builds in but wraps in no class. Style numbers
// are Scintilla's SCE_RUST_* values.
class RustLexer final : public QsciLexer {
public:
    enum Style {
        Default = 0, BlockComment = 1, LineComment = 2, BlockDocComment = 3, LineDocComment = 4,
        Number = 5, Keyword = 6, BuiltInType = 7, String = 13, RawString = 14, Character = 15,
        Operator = 16, Identifier = 17, Lifetime = 18, Macro = 19, LexicalError = 20, ByteString = 21,
        RawByteString = 22, ByteCharacter = 23,
    };

    const char* language() const override { return "Rust"; }
    const char* lexer() const override { return "rust"; }
    int braceStyle() const override { return Operator; }

    // Auto-indentation after { and before }, as in C.
    const char* blockStart(int* style) const override { return block("{", style); }
    const char* blockEnd(int* style) const override { return block("}", style); }

    const char* keywords(int set) const override
    {
        return set == 1 ? kRustKeywords : set == 2 ? kRustTypes : nullptr;
    }

    QString description(int style) const override
    {
        switch (style) {
        case Default: return QStringLiteral("Default");
        case BlockComment: return QStringLiteral("Block comment");
        case LineComment: return QStringLiteral("Line comment");
        case BlockDocComment: return QStringLiteral("Block doc comment");
        case LineDocComment: return QStringLiteral("Line doc comment");
        case Number: return QStringLiteral("Number");
        case Keyword: return QStringLiteral("Keyword");
        case BuiltInType: return QStringLiteral("Built-in type");
        case String: return QStringLiteral("String");
        case RawString: return QStringLiteral("Raw string");
        case Character: return QStringLiteral("Character");
        case Operator: return QStringLiteral("Operator");
        case Identifier: return QStringLiteral("Identifier");
        case Lifetime: return QStringLiteral("Lifetime");
        case Macro: return QStringLiteral("Macro");
        case LexicalError: return QStringLiteral("Lexical error");
        case ByteString: return QStringLiteral("Byte string");
        case RawByteString: return QStringLiteral("Raw byte string");
        case ByteCharacter: return QStringLiteral("Byte character");
        default: return QString();
        }
    }

private:
    static const char* block(const char* brace, int* style)
    {
        if (style)
            *style = Operator;
        return brace;
    }
};

template <typename Lexer>
std::unique_ptr<QsciLexer> make()
{
    return std::make_unique<Lexer>();
}

template <typename Base>
std::function<std::unique_ptr<QsciLexer>()> withKeywords(const char* language, const char* keywords,
                                                        const char* types)
{
    return [=] { return std::make_unique<KeywordLexer<Base>>(language, keywords, types); };
}

struct LexerRow {
    const char* languageId;
    std::function<std::unique_ptr<QsciLexer>()> make;
};

const std::vector<LexerRow>& lexerTable()
{
    static const std::vector<LexerRow> table{
        {"cpp", make<QsciLexerCPP>},
        {"c", make<QsciLexerCPP>},
        {"python", make<QsciLexerPython>},
        {"javascript", make<QsciLexerJavaScript>},
        {"typescript", withKeywords<QsciLexerJavaScript>("TypeScript", kTypeScriptKeywords, kTypeScriptTypes)},
        {"rust", make<RustLexer>},
        {"go", withKeywords<QsciLexerCPP>("Go", kGoKeywords, kGoTypes)},
        {"java", make<QsciLexerJava>},
        {"kotlin", withKeywords<QsciLexerCPP>("Kotlin", kKotlinKeywords, kKotlinTypes)},
        {"csharp", make<QsciLexerCSharp>},
        {"swift", withKeywords<QsciLexerCPP>("Swift", kSwiftKeywords, kSwiftTypes)},
        {"qml", withKeywords<QsciLexerJavaScript>("QML", kQmlKeywords, kQmlTypes)},
        {"bash", make<QsciLexerBash>},
        {"dockerfile", make<QsciLexerBash>}, // comments, strings and the shell commands of RUN
        {"json", make<QsciLexerJSON>},
        {"sql", make<QsciLexerSQL>},
        {"markdown", make<QsciLexerMarkdown>},
        {"cmake", make<QsciLexerCMake>},
        {"yaml", make<QsciLexerYAML>},
        {"html", make<QsciLexerHTML>},
        {"xml", make<QsciLexerXML>},
        {"css", make<QsciLexerCSS>},
        {"lua", make<QsciLexerLua>},
        {"ruby", make<QsciLexerRuby>},
        {"perl", make<QsciLexerPerl>},
        {"makefile", make<QsciLexerMakefile>},
        {"diff", make<QsciLexerDiff>},
        {"ini", make<QsciLexerProperties>}, // INI and TOML: [sections], key = value, # comments
        {"tex", make<QsciLexerTeX>},
    };
    return table;
}

} // namespace

std::unique_ptr<QsciLexer> lexerForLanguage(const QString& languageId)
{
    for (const LexerRow& row : lexerTable())
        if (languageId == QLatin1String(row.languageId))
            return row.make();
    return nullptr;
}

} // namespace latent::ui
