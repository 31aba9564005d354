#include "app/store/chat_store.h"

#include "app/store/fts_query.h"
#include "app/store/schema_migrations.h"
#include "app/store/sqlite_error.h"
#include "app/store/sqlite_statement.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <sqlite3.h>

namespace latent::app {

namespace {

constexpr int kBusyTimeoutMs = 5000;

// Timestamps are stored as milliseconds since the epoch, UTC.
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 msOf(const QDateTime& time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : nowMs();
}

QDateTime dateAt(const Statement& row, int column)
{
    return row.isNull(column) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(row.int64(column), Qt::UTC);
}

const std::string kConversationColumns =
    "SELECT id, title, system_prompt, current_leaf_id, created_at, updated_at FROM conversations ";

Conversation conversationAt(const Statement& row)
{
    Conversation conversation;
    conversation.id = row.int64(0);
    conversation.title = row.text(1);
    conversation.systemPrompt = row.text(2);
    conversation.currentLeafId = row.int64(3);
    conversation.createdAt = dateAt(row, 4);
    conversation.updatedAt = dateAt(row, 5);
    return conversation;
}

const std::string kMessageColumns =
    "SELECT id, conversation_id, parent_id, role, content, model, complete, created_at, finish_reason, "
    "generated_tokens FROM messages ";

Message messageAt(const Statement& row)
{
    Message message;
    message.id = row.int64(0);
    message.conversationId = row.int64(1);
    message.parentId = row.int64(2);
    message.role = row.text(3);
    message.content = row.text(4);
    message.model = row.text(5);
    message.complete = row.int64(6) != 0;
    message.createdAt = dateAt(row, 7);
    message.finishReason = row.text(8);
    message.generatedTokens = int(row.int64(9));
    return message;
}

QList<Message> allMessages(Statement&& query)
{
    QList<Message> messages;
    while (query.next())
        messages << messageAt(query);
    return messages;
}

// The lists are in order of use even for two uses within one millisecond: a touched row's time is
// now, or just after the newest other row's when the clock has not moved past it.
const std::string kAfterNewestConversation =
    "max(?2, coalesce((SELECT updated_at FROM conversations WHERE id IS NOT ?1 "
    "ORDER BY updated_at DESC LIMIT 1), 0) + 1)";

} // namespace

ChatStore::ChatStore(const QString& path) : path_(path)
{
    try {
        open();
    } catch (...) {
        close();
        throw;
    }
}

ChatStore::~ChatStore()
{
    close();
}

QString ChatStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/latent.sqlite3");
}

void ChatStore::open()
{
    const QString opening = QStringLiteral("opening the database");
    if (!QDir().mkpath(QFileInfo(path_).absolutePath()))
        throwSqliteError(nullptr, SQLITE_CANTOPEN, path_, QStringLiteral("creating its folder"));
    const int opened = sqlite3_open_v2(path_.toUtf8().constData(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                       nullptr);
    checkSqlite(db_, opened, path_, opening);
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    // SQLite opens a file it may not write read-only, silently; the first save would fail.
    if (sqlite3_db_readonly(db_, "main") == 1)
        throwSqliteError(nullptr, SQLITE_READONLY, path_, opening);
    execSql(db_, "PRAGMA foreign_keys = ON", path_, opening);
    execSql(db_, "PRAGMA synchronous = NORMAL", path_, opening);
    // The schema first: it refuses another program's file before the journal mode changes it.
    migrateSchema(db_, path_);
    // WAL: a reader never waits for the streaming writer, and a crash loses no committed write.
    execSql(db_, "PRAGMA journal_mode = WAL", path_, opening);
    statements_ = std::make_unique<StatementCache>(db_, path_);
}

void ChatStore::close()
{
    statements_.reset();
    sqlite3_close_v2(db_);
    db_ = nullptr;
}

Statement ChatStore::use(const std::string& sql, const QString& doing) const
{
    return statements_->use(sql, doing);
}

void ChatStore::throwNotFound(const QString& what) const
{
    throw StoreError(QStringLiteral("The chat database %1 has no %2 (it may have been deleted); reload the "
                                    "conversation list.")
                         .arg(QDir::toNativeSeparators(path_), what)
                         .toStdString());
}

// --- transactions: the outermost is BEGIN IMMEDIATE (takes the write lock at once, so it waits
// for another writer instead of failing halfway); nested ones are savepoints.

void ChatStore::begin()
{
    const QString doing = QStringLiteral("starting a transaction");
    execSql(db_, transactionDepth_ == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT nested", path_, doing);
    ++transactionDepth_;
}

void ChatStore::commit()
{
    const QString doing = QStringLiteral("saving a transaction");
    if (transactionDepth_ > 1) {
        execSql(db_, "RELEASE nested", path_, doing);
        --transactionDepth_;
        return;
    }
    try {
        execSql(db_, "COMMIT", path_, doing);
    } catch (...) {
        rollback();
        throw;
    }
    transactionDepth_ = 0;
}

void ChatStore::rollback()
{
    --transactionDepth_;
    if (transactionDepth_ > 0) {
        sqlite3_exec(db_, "ROLLBACK TO nested; RELEASE nested", nullptr, nullptr, nullptr);
        return;
    }
    transactionDepth_ = 0;
    // SQLite may have rolled back already (after a full disk, for one).
    if (sqlite3_get_autocommit(db_) == 0)
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

// --- conversations

qint64 ChatStore::createConversation(const QString& title, const QString& systemPrompt)
{
    static const std::string sql =
        "INSERT INTO conversations(title, system_prompt, created_at, updated_at) VALUES (?3, ?4, ?2, " +
        kAfterNewestConversation + ")";
    use(sql, QStringLiteral("creating a conversation")).bindNull(1).bind(2, nowMs()).bind(3, title).bind(4, systemPrompt).run();
    return sqlite3_last_insert_rowid(db_);
}

QList<Conversation> ChatStore::conversations() const
{
    static const std::string sql = kConversationColumns + "WHERE deleted_at IS NULL ORDER BY updated_at DESC, id DESC";
    Statement query = use(sql, QStringLiteral("reading the conversation list"));
    QList<Conversation> conversations;
    while (query.next())
        conversations << conversationAt(query);
    return conversations;
}

std::optional<Conversation> ChatStore::conversation(qint64 id) const
{
    static const std::string sql = kConversationColumns + "WHERE id = ?1";
    Statement query = use(sql, QStringLiteral("reading a conversation"));
    query.bind(1, id);
    if (!query.next())
        return std::nullopt;
    return conversationAt(query);
}

void ChatStore::renameConversation(qint64 id, const QString& title)
{
    use("UPDATE conversations SET title = ?2 WHERE id = ?1", QStringLiteral("renaming a conversation"))
        .bind(1, id)
        .bind(2, title)
        .run();
    if (sqlite3_changes(db_) == 0)
        throwNotFound(QStringLiteral("conversation %1").arg(id));
}

void ChatStore::setSystemPrompt(qint64 id, const QString& systemPrompt)
{
    use("UPDATE conversations SET system_prompt = ?2 WHERE id = ?1", QStringLiteral("saving a system prompt"))
        .bind(1, id)
        .bind(2, systemPrompt)
        .run();
    if (sqlite3_changes(db_) == 0)
        throwNotFound(QStringLiteral("conversation %1").arg(id));
}

void ChatStore::setCurrentLeaf(qint64 conversationId, qint64 messageId)
{
    use("UPDATE conversations SET current_leaf_id = ?2 WHERE id = ?1 AND "
        "(?2 IS NULL OR EXISTS (SELECT 1 FROM messages WHERE id = ?2 AND conversation_id = ?1))",
        QStringLiteral("choosing a branch"))
        .bind(1, conversationId)
        .bindId(2, messageId)
        .run();
    if (sqlite3_changes(db_) == 0)
        throwNotFound(QStringLiteral("message %1 in conversation %2").arg(messageId).arg(conversationId));
}

void ChatStore::deleteConversation(qint64 id)
{
    use("UPDATE conversations SET deleted_at = coalesce(deleted_at, ?2) WHERE id = ?1",
        QStringLiteral("deleting a conversation"))
        .bind(1, id)
        .bind(2, nowMs())
        .run();
    if (sqlite3_changes(db_) == 0)
        throwNotFound(QStringLiteral("conversation %1").arg(id));
}

void ChatStore::restoreConversation(qint64 id)
{
    use("UPDATE conversations SET deleted_at = NULL WHERE id = ?1", QStringLiteral("restoring a conversation"))
        .bind(1, id)
        .run();
    if (sqlite3_changes(db_) == 0)
        throwNotFound(QStringLiteral("conversation %1").arg(id));
}

void ChatStore::purgeDeleted()
{
    // The foreign keys cascade to the messages, and the triggers take them out of the index.
    use("DELETE FROM conversations WHERE deleted_at IS NOT NULL", QStringLiteral("purging deleted conversations"))
        .run();
}

void ChatStore::setCreatedAt(qint64 conversationId, const QDateTime& createdAt)
{
    use("UPDATE conversations SET created_at = ?2 WHERE id = ?1", QStringLiteral("saving a conversation's time"))
        .bind(1, conversationId)
        .bind(2, msOf(createdAt))
        .run();
}

// --- messages

qint64 ChatStore::addMessage(qint64 conversationId, qint64 parentId, const QString& role, const QString& content,
                             bool complete, const QString& model)
{
    const QString doing = QStringLiteral("saving a message");
    qint64 id = 0;
    transaction([&] {
        if (parentId != 0) {
            Statement parent = use("SELECT conversation_id FROM messages WHERE id = ?1", doing);
            parent.bind(1, parentId);
            if (!parent.next() || parent.int64(0) != conversationId)
                throwNotFound(QStringLiteral("message %1 in conversation %2").arg(parentId).arg(conversationId));
        }
        const qint64 now = nowMs();
        use("INSERT INTO messages(conversation_id, parent_id, role, content, complete, model, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            doing)
            .bind(1, conversationId)
            .bindId(2, parentId)
            .bind(3, role)
            .bind(4, content)
            .bind(5, complete ? 1 : 0)
            .bind(6, model)
            .bind(7, now)
            .run();
        id = sqlite3_last_insert_rowid(db_);
        static const std::string touch =
            "UPDATE conversations SET current_leaf_id = ?3, updated_at = " + kAfterNewestConversation + " WHERE id = ?1";
        use(touch, doing).bind(1, conversationId).bind(2, now).bind(3, id).run();
        if (sqlite3_changes(db_) == 0)
            throwNotFound(QStringLiteral("conversation %1").arg(conversationId));
    });
    return id;
}

void ChatStore::setMessageContent(qint64 messageId, const QString& content, bool complete,
                                  const QString& finishReason, int generatedTokens)
{
    use("UPDATE messages SET content = ?2, complete = ?3, finish_reason = ?4, generated_tokens = ?5 WHERE id = ?1",
        QStringLiteral("saving a message"))
        .bind(1, messageId)
        .bind(2, content)
        .bind(3, complete ? 1 : 0)
        .bind(4, finishReason)
        .bind(5, qint64(generatedTokens))
        .run();
    if (sqlite3_changes(db_) == 0)
        throwNotFound(QStringLiteral("message %1").arg(messageId));
}

void ChatStore::setMessageCreatedAt(qint64 messageId, const QDateTime& createdAt)
{
    use("UPDATE messages SET created_at = ?2 WHERE id = ?1", QStringLiteral("saving a message's time"))
        .bind(1, messageId)
        .bind(2, msOf(createdAt))
        .run();
}

std::optional<Message> ChatStore::message(qint64 id) const
{
    static const std::string sql = kMessageColumns + "WHERE id = ?1";
    Statement query = use(sql, QStringLiteral("reading a message"));
    query.bind(1, id);
    if (!query.next())
        return std::nullopt;
    return messageAt(query);
}

QList<Message> ChatStore::messages(qint64 conversationId) const
{
    static const std::string sql = kMessageColumns + "WHERE conversation_id = ?1 ORDER BY id";
    Statement query = use(sql, QStringLiteral("reading a conversation"));
    query.bind(1, conversationId);
    return allMessages(std::move(query));
}

QList<Message> ChatStore::children(qint64 messageId) const
{
    static const std::string sql = kMessageColumns + "WHERE parent_id = ?1 ORDER BY id";
    Statement query = use(sql, QStringLiteral("reading the answers to a message"));
    query.bind(1, messageId);
    return allMessages(std::move(query));
}

QList<Message> ChatStore::rootMessages(qint64 conversationId) const
{
    static const std::string sql = kMessageColumns + "WHERE conversation_id = ?1 AND parent_id IS NULL ORDER BY id";
    Statement query = use(sql, QStringLiteral("reading a conversation"));
    query.bind(1, conversationId);
    return allMessages(std::move(query));
}

QList<Message> ChatStore::pathTo(qint64 messageId) const
{
    static const std::string sql =
        "WITH RECURSIVE path(id, depth) AS ("
        "  SELECT ?1, 0"
        "  UNION ALL"
        "  SELECT messages.parent_id, path.depth + 1 FROM messages JOIN path ON messages.id = path.id"
        "  WHERE messages.parent_id IS NOT NULL) " +
        kMessageColumns + "JOIN path USING (id) ORDER BY path.depth DESC";
    Statement query = use(sql, QStringLiteral("reading a branch of a conversation"));
    query.bind(1, messageId);
    return allMessages(std::move(query));
}

qint64 ChatStore::newestLeafUnder(qint64 messageId) const
{
    qint64 leaf = messageId;
    for (;;) {
        Statement newest = use("SELECT max(id) FROM messages WHERE parent_id = ?1",
                               QStringLiteral("reading a branch of a conversation"));
        newest.bind(1, leaf);
        if (!newest.next() || newest.isNull(0))
            return leaf;
        leaf = newest.int64(0);
    }
}

// --- search

QList<SearchHit> ChatStore::search(const QString& query, int limit) const
{
    const SearchTerms terms = searchTermsFor(query);
    if (terms.isEmpty())
        return {};
    const bool indexed = !terms.ftsQuery.isEmpty();
    // Parameters: ?1 the limit, ?2 the FTS query (when there is one), then one per LIKE pattern.
    std::string sql = indexed ? "SELECT m.conversation_id, m.id, c.title, "
                                "snippet(messages_fts, 0, '[', ']', '…', 64) "
                                "FROM messages_fts JOIN messages AS m ON m.id = messages_fts.rowid "
                                "JOIN conversations AS c ON c.id = m.conversation_id "
                                "WHERE messages_fts MATCH ?2 AND c.deleted_at IS NULL"
                              : "SELECT m.conversation_id, m.id, c.title, m.content "
                                "FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id "
                                "WHERE c.deleted_at IS NULL";
    const int firstPattern = indexed ? 3 : 2;
    for (int i = 0; i < terms.likePatterns.size(); ++i)
        sql += " AND m.content LIKE ?" + std::to_string(firstPattern + i) + " ESCAPE '\\'";
    // Without the index there is no relevance to rank by: the newest messages first.
    sql += indexed ? " ORDER BY bm25(messages_fts) LIMIT ?1" : " ORDER BY m.id DESC LIMIT ?1";

    Statement hits = Statement::prepare(db_, path_, sql, QStringLiteral("searching"));
    hits.bind(1, limit);
    if (indexed)
        hits.bind(2, terms.ftsQuery);
    for (int i = 0; i < terms.likePatterns.size(); ++i)
        hits.bind(firstPattern + i, terms.likePatterns[i]);
    QList<SearchHit> results;
    while (hits.next()) {
        const QString text = hits.text(3);
        results << SearchHit{hits.int64(0), hits.int64(1), hits.text(2),
                             indexed ? text : snippetAround(text, terms.shortWords)};
    }
    return results;
}

// --- models and presets

void ChatStore::recordModel(const ModelRecord& model)
{
    use("INSERT INTO models(path, name, architecture, quantization, parameters, context_length, file_size, "
        "last_opened) VALUES (?1, ?3, ?4, ?5, ?6, ?7, ?8, max(?2, coalesce((SELECT last_opened FROM models "
        "WHERE path IS NOT ?1 ORDER BY last_opened DESC LIMIT 1), 0) + 1)) "
        "ON CONFLICT(path) DO UPDATE SET name = excluded.name, architecture = excluded.architecture, "
        "quantization = excluded.quantization, parameters = excluded.parameters, "
        "context_length = excluded.context_length, file_size = excluded.file_size, "
        "last_opened = excluded.last_opened",
        QStringLiteral("recording a model"))
        .bind(1, model.path)
        .bind(2, nowMs())
        .bind(3, model.name)
        .bind(4, model.architecture)
        .bind(5, model.quantization)
        .bind(6, model.parameters)
        .bind(7, model.contextLength)
        .bind(8, model.fileSize)
        .run();
}

QList<ModelRecord> ChatStore::recentModels(int limit) const
{
    Statement query = use("SELECT path, name, architecture, quantization, parameters, context_length, file_size, "
                          "last_opened FROM models ORDER BY last_opened DESC LIMIT ?1",
                          QStringLiteral("reading the recent models"));
    query.bind(1, limit);
    QList<ModelRecord> models;
    while (query.next())
        models << ModelRecord{query.text(0),  query.text(1),  query.text(2),  query.text(3),
                              query.int64(4), query.int64(5), query.int64(6), dateAt(query, 7)};
    return models;
}

void ChatStore::forgetModel(const QString& path)
{
    use("DELETE FROM models WHERE path = ?1", QStringLiteral("forgetting a model")).bind(1, path).run();
}

void ChatStore::savePreset(const Preset& preset)
{
    use("INSERT INTO presets(name, settings_json) VALUES (?1, ?2) "
        "ON CONFLICT(name) DO UPDATE SET settings_json = excluded.settings_json",
        QStringLiteral("saving a preset"))
        .bind(1, preset.name)
        .bind(2, preset.settingsJson)
        .run();
}

QList<Preset> ChatStore::presets() const
{
    Statement query = use("SELECT name, settings_json FROM presets ORDER BY name COLLATE NOCASE, name",
                          QStringLiteral("reading the presets"));
    QList<Preset> presets;
    while (query.next())
        presets << Preset{query.text(0), query.text(1)};
    return presets;
}

void ChatStore::deletePreset(const QString& name)
{
    use("DELETE FROM presets WHERE name = ?1", QStringLiteral("deleting a preset")).bind(1, name).run();
}

} // namespace latent::app
