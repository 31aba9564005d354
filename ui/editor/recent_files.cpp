#include "ui/editor/recent_files.h"

#include <QFileInfo>
#include <QSettings>

namespace latent::ui {

namespace {

const QString recentFilesKey = QStringLiteral("editor/recentFiles");

QStringList storedRecentFiles()
{
    return QSettings().value(recentFilesKey).toStringList();
}

void storeRecentFiles(const QStringList& files)
{
    QSettings().setValue(recentFilesKey, files);
}

} // namespace

QStringList recentFiles()
{
    const QStringList stored = storedRecentFiles();
    QStringList existing;
    for (const QString& path : stored) {
        if (QFileInfo(path).isFile())
            existing.append(path);
    }
    if (existing.size() != stored.size())
        storeRecentFiles(existing);
    return existing;
}

void addRecentFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList files = storedRecentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > maxRecentFiles)
        files.removeLast();
    storeRecentFiles(files);
}

void clearRecentFiles()
{
    storeRecentFiles({});
}

} // namespace latent::ui
