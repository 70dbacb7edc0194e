#pragma once
// A small RAII wrapper over SQLite: Database, Statement, Transaction. Errors come back as
// core::Error (never exceptions), with SQLite's message.

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace retain::storage {

using core::Result;
using core::Status;

class Statement;

class Database {
public:
    Database() = default;
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;

    // Opens (creating when `create`) a database file; ":memory:" for tests.
    static Result<Database> open(const std::string& path, bool create = true, bool readOnly = false);

    Status exec(const std::string& sql);
    Result<Statement> prepare(std::string_view sql);
    int64_t lastInsertRowId() const;
    int changes() const;
    sqlite3* handle() const { return m_db; }
    std::string errorMessage() const;
    const std::string& path() const { return m_path; }

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

class Statement {
public:
    Statement() = default;
    explicit Statement(sqlite3_stmt* stmt) : m_stmt(stmt) {}
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept : m_stmt(other.m_stmt) { other.m_stmt = nullptr; }
    Statement& operator=(Statement&& other) noexcept;

    // Bind by 1-based index. Strings and blobs are copied (SQLITE_TRANSIENT).
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bindBlob(int index, std::string_view bytes);
    Statement& bindNull(int index);

    // Steps once: true when a row is available, false when done; an error otherwise.
    Result<bool> step();
    // Steps through every result row, calling `fn` on each (it reads the columns); stops at the first
    // error, the step's or the one `fn` returns.
    Status forEachRow(const std::function<Status()>& fn);
    // Runs to completion (for statements without result rows).
    Status run();
    void reset();

    int64_t columnInt(int index) const;
    double columnDouble(int index) const;
    std::string columnText(int index) const;
    std::string_view columnBlob(int index) const;
    bool columnIsNull(int index) const;

private:
    sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back on destruction unless committed.
class Transaction {
public:
    explicit Transaction(Database& db) : m_db(db) {}
    ~Transaction();
    Status begin();
    Status commit();

private:
    Database& m_db;
    bool m_open = false;
};

}  // namespace retain::storage
