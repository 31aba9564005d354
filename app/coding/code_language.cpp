#include "app/coding/code_language.h"

#include <QFileInfo>

#include <array>

namespace latent::app {
namespace {

struct LanguageRow {
    const char* id;
    const char* name;
    const char* fence;
    const char* extensions; // space-separated, lower case, without the dot
    const char* fileNames;  // whole names, matched case-insensitively
    const char* fenceTags;  // other tags a code block may carry
};

// clang-format off
constexpr std::array kLanguages{
    LanguageRow{"cpp", "C++", "cpp", "cpp cc cxx c++ hpp hh hxx h++ h ipp inl", "", "c++ cxx hpp"},
    LanguageRow{"c", "C", "c", "c", "", ""},
    LanguageRow{"python", "Python", "python", "py pyw pyi", "SConstruct SConscript", "py python3"},
    LanguageRow{"javascript", "JavaScript", "javascript", "js mjs cjs jsx", "", "js jsx node"},
    LanguageRow{"typescript", "TypeScript", "typescript", "ts tsx mts cts", "", "ts tsx"},
    LanguageRow{"rust", "Rust", "rust", "rs", "", "rs"},
    LanguageRow{"go", "Go", "go", "go", "", "golang"},
    LanguageRow{"java", "Java", "java", "java", "", ""},
    LanguageRow{"kotlin", "Kotlin", "kotlin", "kt kts", "", "kt"},
    LanguageRow{"csharp", "C#", "csharp", "cs", "", "cs c#"},
    LanguageRow{"swift", "Swift", "swift", "swift", "", ""},
    LanguageRow{"bash", "Shell", "bash", "sh bash zsh ksh", ".bashrc .bash_profile .profile .zshrc", "sh shell zsh console"},
    LanguageRow{"json", "JSON", "json", "json jsonc json5 gltf", ".clang-format.json", "jsonc json5"},
    LanguageRow{"sql", "SQL", "sql", "sql", "", "sqlite postgresql mysql"},
    LanguageRow{"markdown", "Markdown", "markdown", "md markdown mdown mkd", "", "md"},
    LanguageRow{"cmake", "CMake", "cmake", "cmake", "CMakeLists.txt", ""},
    LanguageRow{"yaml", "YAML", "yaml", "yaml yml", ".clang-format .clang-tidy", "yml"},
    LanguageRow{"html", "HTML", "html", "html htm xhtml", "", "xhtml"},
    LanguageRow{"xml", "XML", "xml", "xml xsd xsl svg ui qrc ts", "", "svg"},
    LanguageRow{"css", "CSS", "css", "css scss less", "", "scss less"},
    LanguageRow{"qml", "QML", "qml", "qml", "", ""},
    LanguageRow{"lua", "Lua", "lua", "lua", "", ""},
    LanguageRow{"ruby", "Ruby", "ruby", "rb", "Gemfile Rakefile", "rb"},
    LanguageRow{"perl", "Perl", "perl", "pl pm", "", "pl"},
    LanguageRow{"makefile", "Makefile", "makefile", "mk mak", "Makefile GNUmakefile makefile", "make"},
    LanguageRow{"dockerfile", "Dockerfile", "dockerfile", "dockerfile", "Dockerfile Containerfile", "docker"},
    LanguageRow{"diff", "Diff", "diff", "diff patch", "", "patch"},
    LanguageRow{"ini", "INI", "ini", "ini cfg conf toml desktop", "", "toml"},
    LanguageRow{"tex", "TeX", "latex", "tex sty cls", "", "tex"},
};
// clang-format on

CodeLanguage languageOf(const LanguageRow& row)
{
    return {QString::fromLatin1(row.id), QString::fromLatin1(row.name), QString::fromLatin1(row.fence)};
}

CodeLanguage plainText()
{
    return {QStringLiteral("text"), QStringLiteral("Plain text"), QString()};
}

bool listHas(const char* list, const QString& word)
{
    return QString::fromLatin1(list).split(u' ', Qt::SkipEmptyParts).contains(word, Qt::CaseInsensitive);
}

} // namespace

CodeLanguage languageOfFile(const QString& fileName)
{
    const QFileInfo info(fileName);
    const QString name = info.fileName();
    for (const LanguageRow& row : kLanguages)
        if (listHas(row.fileNames, name))
            return languageOf(row);
    const QString extension = info.suffix().toLower();
    if (extension.isEmpty())
        return plainText();
    for (const LanguageRow& row : kLanguages)
        if (listHas(row.extensions, extension))
            return languageOf(row);
    return plainText();
}

CodeLanguage languageOfFence(const QString& tag)
{
    const QString word = tag.trimmed().toLower();
    if (word.isEmpty())
        return plainText();
    for (const LanguageRow& row : kLanguages)
        if (word == QLatin1String(row.id) || word == QLatin1String(row.fence) || listHas(row.fenceTags, word))
            return languageOf(row);
    return plainText();
}

} // namespace latent::app
