#pragma once

#include <QString>

namespace latent::app {

// The programming language of a file, from its name: what the coding actions tell the model
// ("the Python file app.py"), the tag of a fenced code block, and the key the editor chooses its
// syntax colouring by. One table (code_language.cpp) serves all three.
struct CodeLanguage {
    QString id;    // stable key: "cpp", "python", "javascript", "typescript", "rust", "go", "java",
                   // "bash", "json", "sql", "markdown", "cmake", "yaml", "html", "css", "text", ...
    QString name;  // as a person writes it: "C++", "Python", "Plain text"
    QString fence; // the tag of a Markdown code block: "cpp", "python", "" for plain text
};

// By extension (case-insensitive) or by whole file name (CMakeLists.txt, Makefile, Dockerfile,
// .bashrc); plain text for anything else.
CodeLanguage languageOfFile(const QString& fileName);
// By a fenced code block's tag ("py", "c++", "sh", ...); plain text for an unknown tag.
CodeLanguage languageOfFence(const QString& tag);

} // namespace latent::app
