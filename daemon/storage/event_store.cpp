#include "storage/event_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/ids.h"

namespace retain::storage {

using core::Error;
using core::ErrorCode;

EventStore::EventStore(Database db) : m_db(std::move(db)) {}

Result<std::string> EventStore::replicaId() {
    auto st = m_db.prepare("SELECT value FROM meta WHERE key = 'replica_id'");
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    if (*row)
        return st->columnText(0);
    const std::string id = core::newReplicaId();
    auto ins = m_db.prepare("INSERT INTO meta (key, value) VALUES ('replica_id', ?)");
    if (!ins)
        return ins.error();
    if (auto s = ins->bind(1, id).run(); !s)
        return s.error();
    return id;
}

Result<uint64_t> EventStore::lastOwnSequence(const std::string& replicaId) {
    auto st = m_db.prepare(
        "SELECT COALESCE(MAX(CAST(substr(id, 18) AS INTEGER)), 0) FROM events WHERE substr(id, 1, 17) = ?");
    if (!st)
        return st.error();
    st->bind(1, replicaId + "-");
    auto row = st->step();
    if (!row)
        return row.error();
    return static_cast<uint64_t>(st->columnInt(0));
}

Result<std::vector<LearnerRow>> EventStore::learners() {
    auto st = m_db.prepare("SELECT id, name, created_ms FROM learners ORDER BY name");
    if (!st)
        return st.error();
    std::vector<LearnerRow> out;
    if (auto s = st->forEachRow([&]() -> core::Status {
            out.push_back({st->columnText(0), st->columnText(1), st->columnInt(2)});
            return core::okStatus();
        });
        !s)
        return s.error();
    return out;
}

core::Status EventStore::addLearner(const LearnerRow& row) {
    auto st = m_db.prepare("INSERT INTO learners (id, name, created_ms) VALUES (?, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, row.id).bind(2, row.name).bind(3, row.createdMs);
    auto r = st->step();
    if (!r) {
        if (sqlite3_extended_errcode(m_db.handle()) == SQLITE_CONSTRAINT_UNIQUE ||
            sqlite3_extended_errcode(m_db.handle()) == SQLITE_CONSTRAINT_PRIMARYKEY)
            return Error{ErrorCode::AlreadyExists,
                         "a learner named \"" + row.name + "\" (or with id " + row.id + ") already exists"};
        return r.error();
    }
    return core::okStatus();
}

Result<AppendResult> insertEvents(Database& db, const std::vector<v1::Event>& events) {
    AppendResult result;
    auto st = db.prepare(
        "INSERT INTO events (learner_id, id, hlc, wall_ms, kind, body) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (learner_id, id) DO NOTHING");
    if (!st)
        return st.error();
    std::string body;
    for (const auto& e : events) {
        body.clear();
        if (!e.SerializeToString(&body))
            return Error{ErrorCode::Internal, "cannot serialise event " + e.id()};
        st->bind(1, e.learner_id())
            .bind(2, e.id())
            .bind(3, static_cast<int64_t>(e.hlc()))
            .bind(4, e.wall_time_ms())
            .bind(5, static_cast<int64_t>(e.payload_case()))
            .bindBlob(6, body);
        if (auto s = st->run(); !s)
            return s.error();
        if (db.changes() > 0)
            ++result.inserted;
        else
            ++result.duplicates;
    }
    return result;
}

Result<AppendResult> EventStore::append(const std::vector<v1::Event>& events) {
    if (events.empty())
        return AppendResult{};
    Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s.error();
    auto result = insertEvents(m_db, events);
    if (!result)
        return result.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return result;
}

core::Status EventStore::forEachEvent(const std::string& learnerId,
                                      const std::function<void(v1::Event&&, int64_t)>& fn, int64_t afterSeq,
                                      int64_t limit) {
    auto st =
        m_db.prepare("SELECT seq, body FROM events WHERE learner_id = ? AND seq > ? ORDER BY seq LIMIT ?");
    if (!st)
        return st.error();
    st->bind(1, learnerId).bind(2, afterSeq).bind(3, limit);
    return st->forEachRow([&]() -> core::Status {
        v1::Event e;
        const auto blob = st->columnBlob(1);
        if (!e.ParseFromArray(blob.data(), static_cast<int>(blob.size())))
            return Error{ErrorCode::DataLoss,
                         "event at seq " + std::to_string(st->columnInt(0)) + " is corrupt"};
        fn(std::move(e), st->columnInt(0));
        return core::okStatus();
    });
}

Result<int64_t> EventStore::eventCount(const std::string& learnerId) {
    auto st = m_db.prepare("SELECT count(*) FROM events WHERE learner_id = ?");
    if (!st)
        return st.error();
    st->bind(1, learnerId);
    auto row = st->step();
    if (!row)
        return row.error();
    return st->columnInt(0);
}

Result<uint64_t> EventStore::backupTo(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path target(path);
    if (!fs::is_directory(target.parent_path(), ec))
        return Error{ErrorCode::FailedPrecondition, "cannot write the backup: the directory " +
                                                        target.parent_path().string().substr(0, 200) +
                                                        " does not exist"};
    // The copy holds every learner's history: created here, owner-only, and never over an existing file.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return Error{ErrorCode::AlreadyExists,
                         "backup file " + path.substr(0, 200) + " already exists; choose a new path"};
        return Error{errno == EACCES || errno == EROFS ? ErrorCode::PermissionDenied : ErrorCode::Internal,
                     "cannot create the backup file " + path.substr(0, 200) + ": " + std::strerror(errno)};
    }
    ::close(fd);
    auto fail = [&](Error e) -> Error {
        fs::remove(target, ec);
        return e;
    };
    auto dest = Database::open(path, true);
    if (!dest)
        return fail(dest.error());
    sqlite3_backup* b = sqlite3_backup_init(dest->handle(), "main", m_db.handle(), "main");
    if (!b)
        return fail(Error{ErrorCode::Internal, "backup failed: " + dest->errorMessage()});
    const int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return fail(Error{rc == SQLITE_FULL ? ErrorCode::ResourceExhausted : ErrorCode::Internal,
                          "backup failed: " + dest->errorMessage()});
    // A restored backup must not reuse this replica's event ids (the originals may already be on a sync
    // server): the copy gets a new replica id when it is first opened. Secrets stay behind: the sync
    // tokens this replica sends and the hashes of the access tokens it accepts (a restored daemon gets
    // new ones: `retainctl sync setup`, `retainctl access create`).
    if (auto s = dest->exec("DELETE FROM meta WHERE key = 'replica_id'; UPDATE sync_config SET token = ''; "
                            "DELETE FROM access_tokens; VACUUM");
        !s)
        return fail(s.error());
    return static_cast<uint64_t>(fs::file_size(path, ec));
}

}  // namespace retain::storage
