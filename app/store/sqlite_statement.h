#pragma once

#include <QString>

#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace latent::app {

// One use of a prepared statement: binds parameters (1-based, as in SQL's ?1), steps through the
// rows and, when it goes out of scope, resets a cached statement for its next use or finalizes
// one of its own. Every failure throws StoreError.
class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    ~Statement();

    // A statement of its own, finalized after this use: for SQL whose shape changes per call.
    static Statement prepare(sqlite3* db, const QString& path, const std::string& sql, const QString& doing);

    Statement& bind(int index, qint64 value);
    Statement& bind(int index, const QString& text);
    Statement& bindNull(int index);
    // Our ids are positive; 0 means none and is stored as NULL (a root message has no parent).
    Statement& bindId(int index, qint64 id);

    bool next(); // steps to the next row: false when there are no more
    void run();  // steps a statement that returns no rows

    bool isNull(int column) const;
    qint64 int64(int column) const; // NULL reads as 0
    QString text(int column) const; // NULL reads as empty

private:
    friend class StatementCache;
    Statement(sqlite3_stmt* stmt, sqlite3* db, const QString& path, const QString& doing, bool owned);
    Statement& checkBind(int resultCode);

    sqlite3_stmt* stmt_;
    sqlite3* db_;
    QString path_;
    QString doing_;
    bool owned_;
};

// The connection's prepared statements, each prepared on first use and kept until the connection
// closes, so that the hot ones (saving a streamed message) skip SQLite's parser.
class StatementCache {
public:
    StatementCache(sqlite3* db, const QString& path) : db_(db), path_(path) {}
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // The statement for sql, ready to bind. One use at a time: the Statement must go out of scope
    // before the same SQL is used again.
    Statement use(const std::string& sql, const QString& doing);

private:
    sqlite3* db_;
    QString path_;
    std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

} // namespace latent::app
