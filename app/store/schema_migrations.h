#pragma once

#include <QString>

struct sqlite3;

namespace latent::app {

// Brings the database at path (open as db) up to ChatStore::schemaVersion, one migration per
// version in one transaction each, recorded in PRAGMA user_version. A new file runs every
// migration from the first, so that the path an old user's file takes is the one always tested.
// Throws StoreError for a file from a newer Latent or one that holds another program's tables.
void migrateSchema(sqlite3* db, const QString& path);

// The version recorded in the file: 0 for a new one.
int schemaVersionOf(sqlite3* db, const QString& path);

} // namespace latent::app
