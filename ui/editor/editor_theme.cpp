#include "ui/editor/editor_theme.h"

#include <Qsci/qscilexer.h>
#include <Qsci/qsciscintilla.h>

#include <QFont>

#include <array>

namespace latent::ui {
namespace {

enum class StyleRole { Text, Comment, Keyword, Type, String, Number, Preprocessor, Operator, Error, Added, Removed, Inactive };

// Words in lexers' style descriptions, and the role they give a style. The first row with a word
// in the (lower-cased) description wins, so the order settles mixed descriptions: "Inactive
// keyword", "Comment block", "JavaDoc keyword error", "String, table and maths functions" (Lua).
// QScintilla's descriptions are English unless a translator for QScintilla itself is installed,
// which the app does not do.
struct RoleWords {
    StyleRole role;
    const char* words; // separated by |
};

constexpr std::array kRoleWords{
    RoleWords{StyleRole::Inactive, "inactive"},
    RoleWords{StyleRole::Text, "other text"}, // inside an HTML tag, between its name and its attributes
    RoleWords{StyleRole::Error, "error|bad"},
    RoleWords{StyleRole::Added, "added"},
    RoleWords{StyleRole::Removed, "removed"},
    RoleWords{StyleRole::Comment, "comment|pod|block quote"},
    RoleWords{StyleRole::Type, "function"},
    RoleWords{StyleRole::String,
              "string|character|here document|regular expression|backtick|code|cdata|literal|value|iri"},
    RoleWords{StyleRole::Number, "number"},
    RoleWords{StyleRole::Preprocessor,
              "pre-processor|preprocessor|decorator|macro|lifetime|task marker|@-rule|media rule|important|"
              "entity|escape|substitution|parameter expansion|special|changed|position|fragment|label"},
    RoleWords{StyleRole::Keyword, "keyword|tag|header|section|command|block|target|selector|pseudo"},
    RoleWords{StyleRole::Type,
              "class|global|type|attribute|key|property|module|variable|scalar|array|hash|emphasis|link|"
              "highlighted|instance"},
    RoleWords{StyleRole::Operator, "operator|symbol|delimiter|assignment|list item|horizontal rule|group"},
};

StyleRole roleOf(const QString& description)
{
    const QString lower = description.toLower();
    for (const RoleWords& row : kRoleWords)
        for (const QString& word : QString::fromLatin1(row.words).split(u'|'))
            if (lower.contains(word))
                return row.role;
    return StyleRole::Text;
}

QColor colorOf(StyleRole role, const EditorPalette& palette)
{
    switch (role) {
    case StyleRole::Text: return palette.text;
    case StyleRole::Comment: return palette.comment;
    case StyleRole::Keyword: return palette.keyword;
    case StyleRole::Type: return palette.type;
    case StyleRole::String: return palette.string;
    case StyleRole::Number: return palette.number;
    case StyleRole::Preprocessor: return palette.preprocessor;
    case StyleRole::Operator: return palette.operatorSign;
    case StyleRole::Error: return palette.error;
    case StyleRole::Added: return palette.added;
    case StyleRole::Removed: return palette.removed;
    case StyleRole::Inactive: return palette.inactive;
    }
    return palette.text;
}

// Each colour in both themes, side by side as in Theme.qml.
struct Shade {
    QColor EditorPalette::*field;
    QRgb light;
    QRgb dark;
};

constexpr std::array kShades{
    Shade{&EditorPalette::paper, 0xffffff, 0x1e1f22},        // Theme.background
    Shade{&EditorPalette::text, 0x1f2328, 0xe4e6ea},         // Theme.text
    Shade{&EditorPalette::comment, 0x6e7781, 0x8b949e},
    Shade{&EditorPalette::keyword, 0xcf222e, 0xff7b72},
    Shade{&EditorPalette::type, 0x953800, 0xffa657},
    Shade{&EditorPalette::string, 0x0a3069, 0xa5d6ff},
    Shade{&EditorPalette::number, 0x0550ae, 0x79c0ff},
    Shade{&EditorPalette::preprocessor, 0x8250df, 0xd2a8ff},
    Shade{&EditorPalette::operatorSign, 0x57606a, 0xb0b6bf},
    Shade{&EditorPalette::error, 0xb83232, 0xf07a7a},        // Theme.danger
    Shade{&EditorPalette::added, 0x116329, 0x7ee787},
    Shade{&EditorPalette::removed, 0x82071e, 0xffa198},
    Shade{&EditorPalette::inactive, 0xa8adb4, 0x5f646b},     // Theme.textDisabled
    Shade{&EditorPalette::margin, 0xf5f6f8, 0x18191b},       // Theme.sidebar
    Shade{&EditorPalette::lineNumber, 0x8c959f, 0x6e7681},
    Shade{&EditorPalette::foldMarker, 0x8c959f, 0x6e7681},
    Shade{&EditorPalette::caret, 0x1f2328, 0xe4e6ea},
    Shade{&EditorPalette::caretLine, 0xf6f8fa, 0x26282c},    // Theme.codeBackground, Theme.popup
    Shade{&EditorPalette::selection, 0xc8d6fa, 0x34426a},
    Shade{&EditorPalette::braceMatch, 0xdce6fb, 0x3b4f7a},
    Shade{&EditorPalette::indentGuide, 0xd0d7de, 0x373a40},
    Shade{&EditorPalette::ghost, 0x8c959f, 0x7d838c},
};

EditorPalette paletteOf(bool dark)
{
    EditorPalette palette;
    for (const Shade& shade : kShades)
        palette.*shade.field = QColor::fromRgb(dark ? shade.dark : shade.light);
    return palette;
}

// Styles 32 to 39 are Scintilla's own (default, line numbers, braces, ...), never a lexer's.
bool isPredefinedStyle(int style)
{
    return style >= QsciScintillaBase::STYLE_DEFAULT && style <= QsciScintillaBase::STYLE_LASTPREDEFINED;
}

void colorLexerStyles(QsciLexer& lexer, const EditorPalette& palette, const QFont& font)
{
    lexer.setDefaultFont(font);
    lexer.setDefaultColor(palette.text);
    lexer.setDefaultPaper(palette.paper);
    for (int style = 0; style <= QsciScintillaBase::STYLE_MAX; ++style) {
        const QString description = lexer.description(style);
        if (isPredefinedStyle(style) || description.isEmpty())
            continue;
        lexer.setFont(font, style);
        lexer.setColor(colorOf(roleOf(description), palette), style);
        lexer.setPaper(palette.paper, style);
    }
    // The paper beyond the text and the font that sizes margins and indentation guides.
    lexer.setFont(font, QsciScintillaBase::STYLE_DEFAULT);
    lexer.setColor(palette.text, QsciScintillaBase::STYLE_DEFAULT);
    lexer.setPaper(palette.paper, QsciScintillaBase::STYLE_DEFAULT);
}

} // namespace

const EditorPalette& editorPalette(bool dark)
{
    static const EditorPalette light = paletteOf(false);
    static const EditorPalette darkPalette = paletteOf(true);
    return dark ? darkPalette : light;
}

void setStyleFont(QsciScintillaBase& editor, int style, const QFont& font)
{
    editor.SendScintilla(QsciScintillaBase::SCI_STYLESETFONT, style, font.family().toUtf8().constData());
    editor.SendScintilla(QsciScintillaBase::SCI_STYLESETSIZEFRACTIONAL, style,
                         long(font.pointSizeF() * int(QsciScintillaBase::SC_FONT_SIZE_MULTIPLIER)));
    // A negative weight is a Qt weight, QScintilla's way through Scintilla's own scale.
    editor.SendScintilla(QsciScintillaBase::SCI_STYLESETWEIGHT, style, -long(font.weight()));
    editor.SendScintilla(QsciScintillaBase::SCI_STYLESETITALIC, style, font.italic());
}

void applyEditorTheme(QsciScintilla& editor, const EditorPalette& palette, const QFont& font)
{
    if (QsciLexer* lexer = editor.lexer()) {
        colorLexerStyles(*lexer, palette, font);
    } else {
        editor.setFont(font);
        editor.setColor(palette.text);
        editor.setPaper(palette.paper);
    }
    editor.setMarginsFont(font);
    editor.setMarginsBackgroundColor(palette.margin);
    editor.setMarginsForegroundColor(palette.lineNumber);
    editor.setFoldMarginColors(palette.margin, palette.margin);
    for (int marker = QsciScintillaBase::SC_MARKNUM_FOLDEREND; marker <= int(QsciScintillaBase::SC_MARKNUM_FOLDEROPEN);
         ++marker) {
        // Directly: QsciScintilla's setters colour only the markers it allocated, not the fold markers.
        editor.SendScintilla(QsciScintillaBase::SCI_MARKERSETFORE, ulong(marker), palette.margin); // inside the boxes
        editor.SendScintilla(QsciScintillaBase::SCI_MARKERSETBACK, ulong(marker), palette.foldMarker); // boxes, lines
    }
    editor.setCaretForegroundColor(palette.caret);
    editor.setCaretLineBackgroundColor(palette.caretLine);
    editor.setSelectionBackgroundColor(palette.selection);
    editor.resetSelectionForegroundColor(); // selected code keeps its colours
    for (int style : {int(QsciScintillaBase::STYLE_BRACELIGHT), int(QsciScintillaBase::STYLE_BRACEBAD)})
        setStyleFont(editor, style, font);
    editor.setMatchedBraceBackgroundColor(palette.braceMatch);
    editor.setMatchedBraceForegroundColor(palette.text);
    editor.setUnmatchedBraceBackgroundColor(palette.paper);
    editor.setUnmatchedBraceForegroundColor(palette.error);
    editor.setIndentationGuidesBackgroundColor(palette.paper);
    editor.setIndentationGuidesForegroundColor(palette.indentGuide);
}

} // namespace latent::ui
