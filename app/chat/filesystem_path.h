#pragma once

#include <QFile>
#include <QString>

#include <filesystem>

namespace latent::app {

// A Qt path as the engine opens it: UTF-16 on Windows (a std::string would be read in the ANSI
// code page there), the file system's own encoding elsewhere.
inline std::filesystem::path filesystemPath(const QString& path)
{
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

} // namespace latent::app
