#pragma once

// A plain sqlite3 connection for the store's tests: to build old or foreign files with raw SQL,
// to hold a lock as another program would, and to look at what ChatStore wrote.

#include <QString>
#include <QtTest>

#include <sqlite3.h>

class RawDatabase {
public:
    explicit RawDatabase(const QString& path)
    {
        if (sqlite3_open(path.toUtf8().constData(), &db_) != SQLITE_OK)
            qFatal("cannot open %s: %s", qPrintable(path), sqlite3_errmsg(db_));
    }
    ~RawDatabase() { sqlite3_close_v2(db_); }
    RawDatabase(const RawDatabase&) = delete;
    RawDatabase& operator=(const RawDatabase&) = delete;

    // Returns SQLite's error message, empty on success.
    QString exec(const char* sql) const
    {
        char* error = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) == SQLITE_OK)
            return {};
        const QString message = QString::fromUtf8(error);
        sqlite3_free(error);
        return message;
    }

    // The first column of the first row as text (empty when there is no row).
    QString value(const char* sql) const { return valueOf(db_, sql); }

    static QString valueOf(sqlite3* db, const char* sql)
    {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
            return QStringLiteral("error: ") + QString::fromUtf8(sqlite3_errmsg(db));
        QString result;
        if (sqlite3_step(stmt) == SQLITE_ROW)
            result = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
        sqlite3_finalize(stmt);
        return result;
    }

    // "ok" when the full-text index matches the messages table, else SQLite's complaint.
    static QString ftsIntegrityOf(sqlite3* db)
    {
        char* error = nullptr;
        sqlite3_exec(db, "INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)", nullptr,
                     nullptr, &error);
        const QString result = error == nullptr ? QStringLiteral("ok") : QString::fromUtf8(error);
        sqlite3_free(error);
        return result;
    }

    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};
