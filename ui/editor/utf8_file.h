#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace latent::ui {

// How a text's lines end. The editor types new lines the way the file already ends its lines.
enum class LineEnding { Lf, CrLf, Cr };

// How the text's first line ends; nullopt for a single line.
std::optional<LineEnding> firstLineEnding(QByteArrayView text);

// A UTF-8 text file as it is on disk: the bytes after the byte order mark, and whether there was
// one. Nothing else is converted, so writing it back gives the same bytes.
struct Utf8File {
    QByteArray text;
    bool byteOrderMark = false;
};

// Reads path. nullopt, with *error set to a sentence naming the file, when it cannot be read or
// is not valid UTF-8 (a file in another encoding is refused rather than shown damaged).
std::optional<Utf8File> readUtf8File(const QString& path, QString* error);

// Writes file to path atomically (QSaveFile: a failed write leaves the old file whole). false,
// with *error set to a sentence naming the file, on failure.
bool writeUtf8File(const QString& path, const Utf8File& file, QString* error);

} // namespace latent::ui
