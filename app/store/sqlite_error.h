#pragma once

#include <QString>

struct sqlite3;

namespace latent::app {

// Throws the StoreError for a failed sqlite3 call: what is wrong with the database at path, in
// words the user can act on, then what the store was doing and SQLite's own words, for a report.
// db may be null (when opening failed before there was a connection).
[[noreturn]] void throwSqliteError(sqlite3* db, int resultCode, const QString& path, const QString& doing);

// Returns resultCode when it is a success (SQLITE_OK, SQLITE_ROW or SQLITE_DONE); throws otherwise.
int checkSqlite(sqlite3* db, int resultCode, const QString& path, const QString& doing);

// Runs SQL that returns no rows (schema changes, pragmas, transaction control).
void execSql(sqlite3* db, const char* sql, const QString& path, const QString& doing);

} // namespace latent::app
