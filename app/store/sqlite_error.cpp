#include "app/store/sqlite_error.h"

#include "app/store/chat_store.h"

#include <QDir>
#include <QFileInfo>

#include <sqlite3.h>

namespace latent::app {

namespace {

// What the user reads first: the file, what is wrong with it and what to do about it.
QString adviceFor(int primaryCode, const QString& path)
{
    const QString file = QDir::toNativeSeparators(path);
    const QString folder = QDir::toNativeSeparators(QFileInfo(path).absolutePath());
    switch (primaryCode) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return QStringLiteral("The chat database %1 is locked by another program (is another Latent running?); "
                              "close it and try again.")
            .arg(file);
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return QStringLiteral("The chat database %1 cannot be written: check that %2 is writable, and the file "
                              "in it.")
            .arg(file, folder);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return QStringLiteral("The chat database %1 is damaged or is not a Latent database: move it aside and "
                              "restart Latent to start a new one; the damaged file is kept.")
            .arg(file);
    case SQLITE_FULL:
        return QStringLiteral("Cannot save to the chat database %1: the disk is full: free some space; the text "
                              "not saved is still on screen.")
            .arg(file);
    case SQLITE_IOERR:
        return QStringLiteral("Cannot read or write the chat database %1 (a disk error): check the disk, then "
                              "restart Latent; the text not saved is still on screen.")
            .arg(file);
    case SQLITE_NOMEM:
        return QStringLiteral("Out of memory while using the chat database %1: close other programs and try again.")
            .arg(file);
    case SQLITE_CONSTRAINT:
        return QStringLiteral("The chat database %1 refused a change: the conversation or message it refers to "
                              "no longer exists (it may have been deleted); reopen the conversation.")
            .arg(file);
    default:
        return QStringLiteral("The chat database %1 failed; restart Latent, and report this if it happens again.")
            .arg(file);
    }
}

} // namespace

void throwSqliteError(sqlite3* db, int resultCode, const QString& path, const QString& doing)
{
    const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(resultCode);
    throw StoreError(QStringLiteral("%1 (while %2: SQLite error %3: %4)")
                         .arg(adviceFor(resultCode & 0xff, path), doing)
                         .arg(resultCode)
                         .arg(QString::fromUtf8(detail))
                         .toStdString());
}

int checkSqlite(sqlite3* db, int resultCode, const QString& path, const QString& doing)
{
    if (resultCode != SQLITE_OK && resultCode != SQLITE_ROW && resultCode != SQLITE_DONE)
        throwSqliteError(db, resultCode, path, doing);
    return resultCode;
}

void execSql(sqlite3* db, const char* sql, const QString& path, const QString& doing)
{
    checkSqlite(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), path, doing);
}

} // namespace latent::app
