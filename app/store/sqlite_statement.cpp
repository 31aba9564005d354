#include "app/store/sqlite_statement.h"

#include "app/store/sqlite_error.h"

#include <sqlite3.h>

#include <utility>

namespace latent::app {

namespace {

sqlite3_stmt* prepareStatement(sqlite3* db, const QString& path, const std::string& sql, const QString& doing,
                               unsigned flags)
{
    sqlite3_stmt* stmt = nullptr;
    checkSqlite(db, sqlite3_prepare_v3(db, sql.c_str(), int(sql.size()), flags, &stmt, nullptr), path, doing);
    return stmt;
}

} // namespace

Statement::Statement(sqlite3_stmt* stmt, sqlite3* db, const QString& path, const QString& doing, bool owned)
    : stmt_(stmt), db_(db), path_(path), doing_(doing), owned_(owned)
{
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_), path_(std::move(other.path_)),
      doing_(std::move(other.doing_)), owned_(other.owned_)
{
}

Statement::~Statement()
{
    if (stmt_ == nullptr)
        return;
    if (owned_) {
        sqlite3_finalize(stmt_);
    } else {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
}

Statement Statement::prepare(sqlite3* db, const QString& path, const std::string& sql, const QString& doing)
{
    return Statement(prepareStatement(db, path, sql, doing, 0), db, path, doing, true);
}

Statement& Statement::checkBind(int resultCode)
{
    checkSqlite(db_, resultCode, path_, doing_);
    return *this;
}

Statement& Statement::bind(int index, qint64 value)
{
    return checkBind(sqlite3_bind_int64(stmt_, index, value));
}

Statement& Statement::bind(int index, const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    return checkBind(sqlite3_bind_text(stmt_, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT));
}

Statement& Statement::bindNull(int index)
{
    return checkBind(sqlite3_bind_null(stmt_, index));
}

Statement& Statement::bindId(int index, qint64 id)
{
    return id == 0 ? bindNull(index) : bind(index, id);
}

bool Statement::next()
{
    return checkSqlite(db_, sqlite3_step(stmt_), path_, doing_) == SQLITE_ROW;
}

void Statement::run()
{
    while (next()) {
    }
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(stmt_, column);
}

QString Statement::text(int column) const
{
    const auto* utf8 = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return QString::fromUtf8(utf8, sqlite3_column_bytes(stmt_, column));
}

StatementCache::~StatementCache()
{
    for (const auto& [sql, stmt] : statements_)
        sqlite3_finalize(stmt);
}

Statement StatementCache::use(const std::string& sql, const QString& doing)
{
    auto found = statements_.find(sql);
    if (found == statements_.end())
        found = statements_.emplace(sql, prepareStatement(db_, path_, sql, doing, SQLITE_PREPARE_PERSISTENT)).first;
    return Statement(found->second, db_, path_, doing, false);
}

} // namespace latent::app
