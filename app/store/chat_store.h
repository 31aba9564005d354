#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

struct sqlite3;

namespace latent::app {

class Statement;
class StatementCache;

// Every failure of the database (locked by another program, read-only, corrupt, full disk) is a
// StoreError whose message names the database file and says what to do. Nothing is lost
// silently: a write that fails throws, and the caller keeps the text it tried to save.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Conversation {
    qint64 id = 0;
    QString title;
    QString systemPrompt;
    qint64 currentLeafId = 0; // the message whose path from the root is the branch on screen; 0: none
    QDateTime createdAt;
    QDateTime updatedAt;
};

// One message of a conversation. Messages form a tree by parentId (0: a root): an edit or a
// regeneration adds a sibling, so every earlier version is kept.
struct Message {
    qint64 id = 0;
    qint64 conversationId = 0;
    qint64 parentId = 0;
    QString role; // "system", "user" or "assistant"
    QString content;
    QString model; // the model that wrote an assistant message (its file name, or "model @ endpoint"); empty otherwise
    bool complete = true; // false while an answer streams, and after a crash cut it short
    // Why an answer ended before the model ended it, for the note under it: "cancelled" (Stop),
    // "maxTokens" (the limit of an answer) or "contextFull"; empty when the model ended it.
    QString finishReason;
    int generatedTokens = 0; // of an answer whose end was recorded (the limit, for "maxTokens")
    QDateTime createdAt;
};

struct SearchHit {
    qint64 conversationId = 0;
    qint64 messageId = 0;
    QString conversationTitle;
    QString snippet; // the matching text around the hit, the matched words between [ and ]
};

// A model file the user has opened, for the recent-models list.
struct ModelRecord {
    QString path;
    QString name;
    QString architecture;
    QString quantization;
    qint64 parameters = 0;
    qint64 contextLength = 0;
    qint64 fileSize = 0;
    QDateTime lastOpened;
};

// A named set of engine and sampling settings, stored as JSON text the app's settings own.
struct Preset {
    QString name;
    QString settingsJson;
};

// Conversations, messages, model records and settings presets in one SQLite database (sqlite3 C
// API), with a WAL journal, the schema versioned by PRAGMA user_version (migrations run on open,
// in one transaction each), and FTS5 over message text. One ChatStore per thread.
class ChatStore {
public:
    static constexpr int schemaVersion = 3;

    // Opens (creating when absent) the database at path and brings its schema up to date.
    // Throws StoreError for a file that is not a database, is corrupt, is from a newer Latent,
    // is locked past a few seconds, or cannot be written.
    explicit ChatStore(const QString& path);
    ~ChatStore();
    ChatStore(const ChatStore&) = delete;
    ChatStore& operator=(const ChatStore&) = delete;

    QString path() const { return path_; }

    // The default place: the platform's application-data folder, latent.sqlite3.
    static QString defaultPath();

    // --- conversations (newest first: by updatedAt, then id) ---
    qint64 createConversation(const QString& title, const QString& systemPrompt = {});
    QList<Conversation> conversations() const;
    std::optional<Conversation> conversation(qint64 id) const;
    void renameConversation(qint64 id, const QString& title);
    void setSystemPrompt(qint64 id, const QString& systemPrompt);
    void setCurrentLeaf(qint64 conversationId, qint64 messageId);
    // Deleting is soft until purged, so that the UI can undo it: a deleted conversation leaves
    // conversations() and search() but keeps its messages until purgeDeleted().
    void deleteConversation(qint64 id);
    void restoreConversation(qint64 id);
    void purgeDeleted();

    // --- messages ---
    // Adds a message under parentId (0: a root) and makes it the conversation's current leaf;
    // touches the conversation's updatedAt.
    qint64 addMessage(qint64 conversationId, qint64 parentId, const QString& role, const QString& content,
                      bool complete = true, const QString& model = {});
    // Streaming: replaces the text of a message (the whole text so far) and whether it is done;
    // at its end, why it ended and how many tokens it has (see Message).
    void setMessageContent(qint64 messageId, const QString& content, bool complete, const QString& finishReason = {},
                           int generatedTokens = 0);
    std::optional<Message> message(qint64 id) const;
    QList<Message> messages(qint64 conversationId) const; // all of them, in id order
    QList<Message> children(qint64 messageId) const;      // in id order
    QList<Message> rootMessages(qint64 conversationId) const;
    // The messages from the root down to messageId, in order.
    QList<Message> pathTo(qint64 messageId) const;
    // The leaf reached from messageId by following the newest child at each step.
    qint64 newestLeafUnder(qint64 messageId) const;

    // --- full-text search (FTS5) over every message of conversations not deleted ---
    // The query is the user's words: each becomes a prefix term, all must match. Best hits first.
    QList<SearchHit> search(const QString& query, int limit = 50) const;

    // --- models and presets ---
    void recordModel(const ModelRecord& model); // inserts or updates by path, lastOpened = now
    QList<ModelRecord> recentModels(int limit = 10) const; // newest first
    void forgetModel(const QString& path);
    void savePreset(const Preset& preset); // inserts or replaces by name
    QList<Preset> presets() const;          // by name
    void deletePreset(const QString& name);

    // Runs fn inside one transaction (committed when fn returns, rolled back when it throws).
    template <typename Fn>
    void transaction(Fn&& fn)
    {
        begin();
        try {
            fn();
        } catch (...) {
            rollback();
            throw;
        }
        commit();
    }

    sqlite3* handle() const { return db_; } // for tests and the migration code

private:
    void open();
    void close();
    void begin();
    void commit();
    void rollback();
    Statement use(const std::string& sql, const QString& doing) const;
    [[noreturn]] void throwNotFound(const QString& what) const;

    // An imported conversation keeps the times it was written (conversation_exchange.cpp).
    friend qint64 importConversationJson(ChatStore& store, const QByteArray& json, const QString& fileNameForErrors);
    void setCreatedAt(qint64 conversationId, const QDateTime& createdAt);
    void setMessageCreatedAt(qint64 messageId, const QDateTime& createdAt);

    QString path_;
    sqlite3* db_ = nullptr;
    std::unique_ptr<StatementCache> statements_;
    int transactionDepth_ = 0; // nested transaction() calls are savepoints inside the outermost
};

} // namespace latent::app
