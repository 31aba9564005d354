#include "ui/store_opening.h"

#include <QDateTime>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>

#include <sqlite3.h>

namespace latent::ui {

// Whether another connection holds the write lock now (another Latent, or a tool such as the
// sqlite3 shell). Such a database is fine, so moving it aside must not be offered. Asked of
// SQLite itself, because the store's message is for people, not for code.
bool StoreOpening::isLockedByAnotherProgram(const QString& path)
{
    sqlite3* db = nullptr;
    bool locked = false;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE; ROLLBACK;", nullptr, nullptr, nullptr);
        locked = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
    }
    sqlite3_close(db);
    return locked;
}

// Renames the database and its write-ahead log and shared-memory files (which belong to it) to
// <name>.damaged-<date>. Returns the new name, or an empty string after telling the user why not.
QString StoreOpening::moveAside(const QString& path)
{
    const QString aside = path + QStringLiteral(".damaged-") +
                          QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile file(path + suffix);
        if (file.exists() && !file.rename(aside + suffix)) {
            QMessageBox::critical(nullptr, tr("Cannot move the database aside"),
                                  tr("%1 could not be renamed to %2: %3. Move or rename it yourself, then retry.")
                                      .arg(path + suffix, aside + suffix, file.errorString()));
            return {};
        }
    }
    return aside;
}

std::unique_ptr<app::ChatStore> StoreOpening::open(const QString& path)
{
    for (;;) {
        try {
            return std::make_unique<app::ChatStore>(path);
        } catch (const app::StoreError& error) {
            const bool locked = isLockedByAnotherProgram(path);
            QMessageBox box(QMessageBox::Critical, tr("Cannot open your conversations"),
                            QString::fromUtf8(error.what()));
            box.setInformativeText(
                locked ? tr("Another program is using the database. Close it (or the other Latent window), "
                            "then retry.")
                       : tr("You can move the file aside and start with an empty database. Nothing is "
                            "deleted: the file keeps your conversations under a new name beside it."));
            QPushButton* moveAsideButton =
                locked ? nullptr : box.addButton(tr("Move Aside and Start Fresh"), QMessageBox::DestructiveRole);
            QPushButton* retryButton = box.addButton(QMessageBox::Retry);
            box.addButton(QMessageBox::Close)->setText(tr("Quit"));
            box.setDefaultButton(retryButton);
            box.exec();
            if (box.clickedButton() == retryButton)
                continue;
            if (!moveAsideButton || box.clickedButton() != moveAsideButton)
                return nullptr;
            const QString aside = moveAside(path);
            if (!aside.isEmpty())
                qInfo("Latent: moved %s aside to %s", qPrintable(path), qPrintable(aside));
        }
    }
}

} // namespace latent::ui
