#include "ui/editor/utf8_file.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStringDecoder>

namespace latent::ui {
namespace {

constexpr QByteArrayView kByteOrderMark("\xEF\xBB\xBF");

void setError(QString* error, const QString& message)
{
    if (error)
        *error = message;
}

// Stateless, so that a sequence cut off at the end of the file counts as an error too.
bool isUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    return !decoder.hasError();
}

} // namespace

std::optional<LineEnding> firstLineEnding(QByteArrayView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == '\n')
            return LineEnding::Lf;
        if (text[i] == '\r')
            return i + 1 < text.size() && text[i + 1] == '\n' ? LineEnding::CrLf : LineEnding::Cr;
    }
    return std::nullopt;
}

std::optional<Utf8File> readUtf8File(const QString& path, QString* error)
{
    const QString name = QDir::toNativeSeparators(path);
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        setError(error, QCoreApplication::translate("latent::ui::Utf8File", "%1 could not be opened (%2). Check that it exists and that you may read it.")
                            .arg(name, in.errorString()));
        return std::nullopt;
    }
    QByteArray bytes = in.readAll();
    if (in.error() != QFileDevice::NoError) {
        setError(error, QCoreApplication::translate("latent::ui::Utf8File", "%1 could not be read (%2).").arg(name, in.errorString()));
        return std::nullopt;
    }
    Utf8File file;
    file.byteOrderMark = bytes.startsWith(kByteOrderMark);
    file.text = file.byteOrderMark ? bytes.sliced(kByteOrderMark.size()) : std::move(bytes);
    if (!isUtf8(file.text)) {
        setError(error, QCoreApplication::translate("latent::ui::Utf8File", "%1 is not UTF-8 text, so it was not opened: editing it here could damage it. "
                                   "Convert it to UTF-8 first (for example with iconv).")
                            .arg(name));
        return std::nullopt;
    }
    return file;
}

bool writeUtf8File(const QString& path, const Utf8File& file, QString* error)
{
    QSaveFile out(path);
    const bool written = out.open(QIODevice::WriteOnly)
                         && (!file.byteOrderMark || out.write(kByteOrderMark.data(), kByteOrderMark.size()) >= 0)
                         && out.write(file.text) == file.text.size() && out.commit();
    if (!written)
        setError(error, QCoreApplication::translate("latent::ui::Utf8File", "%1 could not be saved (%2). Choose a folder you can write to.")
                            .arg(QDir::toNativeSeparators(path), out.errorString()));
    return written;
}

} // namespace latent::ui
