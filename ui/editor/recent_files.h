#pragma once

#include <QStringList>

namespace latent::ui {

// The files the editor opened or saved last, most recent first, kept in the application's
// settings (key "editor/recentFiles") as soon as they change, so that a crash loses none.
inline constexpr int maxRecentFiles = 10;

// The list as it is now, without the files that are gone from disk (dropped for good, so that
// the menu never offers a file that cannot open).
QStringList recentFiles();
void addRecentFile(const QString& path); // to the front; moved there when already in the list
void clearRecentFiles();

} // namespace latent::ui
