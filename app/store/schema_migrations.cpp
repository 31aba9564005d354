#include "app/store/schema_migrations.h"

#include "app/store/chat_store.h"
#include "app/store/sqlite_error.h"
#include "app/store/sqlite_statement.h"

#include <QDir>

#include <sqlite3.h>

#include <array>

namespace latent::app {

namespace {

// The first schema, as the first release shipped it: a linear list of messages per conversation.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE conversations(
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    created_at INTEGER,
    updated_at INTEGER);
CREATE TABLE messages(
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT,
    content TEXT,
    created_at INTEGER);
)sql";

// Messages become a tree (an edit or a regeneration is a sibling), conversations are deleted
// softly, and model records, presets and full-text search arrive. Each old message hangs under
// the one before it, so an old conversation is one branch that ends at its last message.
//
// Search uses FTS5's trigram tokenizer: unicode61 keeps a run of Chinese characters as one token,
// so no Chinese word inside a sentence could be found; trigrams find any substring of three
// characters or more in any script (a word also matches inside longer words, like a find-in-page).
// Shorter words fall back to LIKE (see fts_query.h). The index is external-content: it holds
// only the trigrams, the text stays in messages, and the triggers keep the two in step.
constexpr const char* kVersion2 = R"sql(
ALTER TABLE messages ADD COLUMN parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE;
ALTER TABLE messages ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;
ALTER TABLE messages ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN system_prompt TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN current_leaf_id INTEGER;
ALTER TABLE conversations ADD COLUMN deleted_at INTEGER;

CREATE INDEX messages_by_conversation ON messages(conversation_id);
CREATE INDEX messages_by_parent ON messages(parent_id);
CREATE INDEX conversations_by_update ON conversations(updated_at);

UPDATE messages SET parent_id = (
    SELECT max(earlier.id) FROM messages AS earlier
    WHERE earlier.conversation_id = messages.conversation_id AND earlier.id < messages.id);
UPDATE conversations SET current_leaf_id = (
    SELECT max(id) FROM messages WHERE messages.conversation_id = conversations.id);

CREATE TABLE models(
    path TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    architecture TEXT NOT NULL DEFAULT '',
    quantization TEXT NOT NULL DEFAULT '',
    parameters INTEGER NOT NULL DEFAULT 0,
    context_length INTEGER NOT NULL DEFAULT 0,
    file_size INTEGER NOT NULL DEFAULT 0,
    last_opened INTEGER NOT NULL);
CREATE TABLE presets(
    name TEXT PRIMARY KEY,
    settings_json TEXT NOT NULL);

CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, content='messages', content_rowid='id', tokenize='trigram');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
)sql";

// An answer remembers why it ended early (Stop, the limit of an answer, a full context), so that
// the note under it survives a restart. Older answers ended by themselves, as far as is known.
constexpr const char* kVersion3 = R"sql(
ALTER TABLE messages ADD COLUMN finish_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN generated_tokens INTEGER NOT NULL DEFAULT 0;
)sql";

// kMigrations[n] takes a database from version n to n + 1.
constexpr std::array<const char*, ChatStore::schemaVersion> kMigrations = {kVersion1, kVersion2, kVersion3};

bool hasTables(sqlite3* db, const QString& path)
{
    Statement query = Statement::prepare(db, path, "SELECT 1 FROM sqlite_schema LIMIT 1",
                                         QStringLiteral("reading the list of tables"));
    return query.next();
}

void refuseUnknown(sqlite3* db, const QString& path, int version)
{
    const QString file = QDir::toNativeSeparators(path);
    if (version > ChatStore::schemaVersion)
        throw StoreError(QStringLiteral("The chat database %1 was written by a newer version of Latent (schema %2, "
                                        "this one reads up to %3): update Latent, or move the file aside.")
                             .arg(file)
                             .arg(version)
                             .arg(ChatStore::schemaVersion)
                             .toStdString());
    // A file of another program: adding our tables to it would change a file that is not ours.
    if (version == 0 && hasTables(db, path))
        throw StoreError(QStringLiteral("The file %1 is a database of another program, not a Latent chat "
                                        "database: choose another file, or move it aside to start a new one.")
                             .arg(file)
                             .toStdString());
}

void runMigration(sqlite3* db, const QString& path, int fromVersion)
{
    const QString doing = QStringLiteral("updating the database to schema %1").arg(fromVersion + 1);
    execSql(db, "BEGIN IMMEDIATE", path, doing);
    try {
        // Another Latent may have run it while this one waited for the lock.
        if (schemaVersionOf(db, path) == fromVersion) {
            execSql(db, kMigrations[std::size_t(fromVersion)], path, doing);
            const std::string setVersion = "PRAGMA user_version = " + std::to_string(fromVersion + 1);
            execSql(db, setVersion.c_str(), path, doing);
        }
        execSql(db, "COMMIT", path, doing);
    } catch (...) {
        if (sqlite3_get_autocommit(db) == 0)
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

} // namespace

int schemaVersionOf(sqlite3* db, const QString& path)
{
    Statement query = Statement::prepare(db, path, "PRAGMA user_version", QStringLiteral("reading the schema version"));
    query.next();
    return int(query.int64(0));
}

void migrateSchema(sqlite3* db, const QString& path)
{
    int version = schemaVersionOf(db, path);
    refuseUnknown(db, path, version);
    for (; version < ChatStore::schemaVersion; version = schemaVersionOf(db, path))
        runMigration(db, path, version);
}

} // namespace latent::app
