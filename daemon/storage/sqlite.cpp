#include "storage/sqlite.h"

namespace retain::storage {

using core::Error;
using core::ErrorCode;

namespace {
// The error of a failed SQLite call, with the database's file and, for the failures a person can fix,
// what to do (nothing was written: the transaction was rolled back).
Error sqliteError(sqlite3* db, const std::string& what) {
    const int code = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
    const std::string detail = db ? sqlite3_errmsg(db) : "out of memory";
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    const std::string where = file && *file ? std::string(" (") + file + ")" : std::string();
    switch (code & 0xff) {
        case SQLITE_FULL:
            return {ErrorCode::ResourceExhausted, what + ": the disk holding the database is full" + where +
                                                      "; nothing was written. Free some space and try again"};
        case SQLITE_READONLY:
            return {ErrorCode::FailedPrecondition,
                    what + ": the database is read-only" + where +
                        "; give retaind's user write access to the file and its directory"};
        case SQLITE_PERM:
        case SQLITE_CANTOPEN:
            return {ErrorCode::FailedPrecondition,
                    what + ": " + detail + where + "; check that retaind's user may read and write it"};
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return {ErrorCode::DataLoss,
                    what + ": " + detail + where +
                        ". The database is damaged: restore a backup, or copy what is readable with "
                        "`sqlite3 FILE .recover` into a new file"};
        case SQLITE_IOERR:
            return {ErrorCode::Unavailable, what + ": input/output error" + where + " (" + detail + ")"};
        default:
            return {ErrorCode::Internal, what + ": " + detail};
    }
}
}  // namespace

Database::~Database() {
    if (m_db)
        sqlite3_close_v2(m_db);
}

Database::Database(Database&& other) noexcept : m_db(other.m_db), m_path(std::move(other.m_path)) {
    other.m_db = nullptr;
}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        other.m_db = nullptr;
    }
    return *this;
}

Result<Database> Database::open(const std::string& path, bool create, bool readOnly) {
    Database db;
    db.m_path = path;
    int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && !readOnly)
        flags |= SQLITE_OPEN_CREATE;
    flags |= SQLITE_OPEN_NOMUTEX;  // each Database is used by one thread at a time
    if (sqlite3_open_v2(path.c_str(), &db.m_db, flags, nullptr) != SQLITE_OK) {
        Error e = sqliteError(db.m_db, "cannot open database " + path);
        return e;
    }
    sqlite3_extended_result_codes(db.m_db, 1);
    sqlite3_busy_timeout(db.m_db, 5000);
    return db;
}

Status Database::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        Error e = sqliteError(m_db, "SQL failed");
        sqlite3_free(err);
        return e;
    }
    return core::okStatus();
}

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
        return sqliteError(m_db, "cannot prepare \"" + std::string(sql.substr(0, 60)) + "\"");
    return Statement(stmt);
}

int64_t Database::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const {
    return sqlite3_changes(m_db);
}
std::string Database::errorMessage() const {
    return m_db ? sqlite3_errmsg(m_db) : "no database";
}

Statement::~Statement() {
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement& Statement::bind(int i, int64_t v) {
    sqlite3_bind_int64(m_stmt, i, v);
    return *this;
}
Statement& Statement::bind(int i, double v) {
    sqlite3_bind_double(m_stmt, i, v);
    return *this;
}
Statement& Statement::bind(int i, std::string_view t) {
    sqlite3_bind_text(m_stmt, i, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bindBlob(int i, std::string_view b) {
    sqlite3_bind_blob(m_stmt, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bindNull(int i) {
    sqlite3_bind_null(m_stmt, i);
    return *this;
}

Result<bool> Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return sqliteError(sqlite3_db_handle(m_stmt), "SQL step failed");
}

Status Statement::forEachRow(const std::function<Status()>& fn) {
    while (true) {
        auto row = step();
        if (!row)
            return row.error();
        if (!*row)
            return core::okStatus();
        if (auto s = fn(); !s)
            return s;
    }
}

Status Statement::run() {
    auto r = step();
    if (!r)
        return r.error();
    reset();
    return core::okStatus();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::columnInt(int i) const {
    return sqlite3_column_int64(m_stmt, i);
}
double Statement::columnDouble(int i) const {
    return sqlite3_column_double(m_stmt, i);
}
std::string Statement::columnText(int i) const {
    const auto* p = sqlite3_column_text(m_stmt, i);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(m_stmt, i)))
             : std::string();
}
std::string_view Statement::columnBlob(int i) const {
    const void* p = sqlite3_column_blob(m_stmt, i);
    return p ? std::string_view(static_cast<const char*>(p),
                                static_cast<size_t>(sqlite3_column_bytes(m_stmt, i)))
             : std::string_view();
}
bool Statement::columnIsNull(int i) const {
    return sqlite3_column_type(m_stmt, i) == SQLITE_NULL;
}

Transaction::~Transaction() {
    if (m_open)
        (void)m_db.exec("ROLLBACK");
}

Status Transaction::begin() {
    auto s = m_db.exec("BEGIN IMMEDIATE");
    if (s)
        m_open = true;
    return s;
}

Status Transaction::commit() {
    auto s = m_db.exec("COMMIT");
    if (s)
        m_open = false;
    return s;
}

}  // namespace retain::storage
