#include "storage/sync_store.h"

#include <cstdlib>
#include <map>
#include <mutex>

#include "core/ids.h"
#include "storage/event_store.h"
#include "storage/schema.h"
#include "storage/sync_token.h"

namespace retain::storage {

using core::Error;
using core::ErrorCode;

namespace {

class SqliteSyncStore final : public SyncStore {
public:
    explicit SqliteSyncStore(Database db) : m_store(std::move(db)) {}

    Result<IssuedToken> addAccount(const std::string& name, const std::string& learnerId,
                                   int64_t nowMs) override {
        std::lock_guard lock(m_mutex);
        auto& db = m_store.database();
        Transaction tx(db);
        if (auto s = tx.begin(); !s)
            return s.error();
        auto byName = lookup(db, "SELECT id FROM learners WHERE name = ?", name);
        if (!byName)
            return byName.error();
        auto byId = lookup(db, "SELECT name FROM learners WHERE id = ?", learnerId);
        if (!byId)
            return byId.error();
        std::string id = learnerId;
        if (!byName->empty()) {
            if (!learnerId.empty() && *byName != learnerId)
                return Error{ErrorCode::AlreadyExists, "the account \"" + name + "\" belongs to learner " +
                                                           *byName + ", not " + learnerId};
            id = *byName;
        } else if (!byId->empty()) {
            return Error{ErrorCode::AlreadyExists,
                         "learner " + learnerId + " already has the account \"" + *byId + "\""};
        } else {
            if (id.empty())
                id = core::newLearnerId();
            if (auto s = m_store.addLearner({id, name, nowMs}); !s)
                return s.error();
        }
        auto token = newSyncToken();
        if (!token)
            return core::internalError("the random number generator failed; no token was issued");
        auto ins = db.prepare(
            "INSERT INTO sync_tokens (token_hash, learner_id, prefix, created_ms) VALUES (?, ?, ?, ?)");
        if (!ins)
            return ins.error();
        ins->bind(1, hashToken(*token))
            .bind(2, id)
            .bind(3, token->substr(0, kTokenPrefixDigits))
            .bind(4, nowMs);
        if (auto s = ins->run(); !s)
            return s.error();
        auto acc = db.prepare("INSERT INTO sync_accounts (learner_id) VALUES (?) ON CONFLICT DO NOTHING");
        if (!acc)
            return acc.error();
        if (auto s = acc->bind(1, id).run(); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
        return IssuedToken{id, *token, token->substr(0, kTokenPrefixDigits)};
    }

    Result<uint32_t> revokeTokens(const std::string& learnerId, const std::string& prefix) override {
        std::lock_guard lock(m_mutex);
        auto& db = m_store.database();
        auto st = db.prepare(
            "UPDATE sync_tokens SET revoked = 1 WHERE learner_id = ? AND revoked = 0 AND substr(prefix, 1, "
            "?) = ?");
        if (!st)
            return st.error();
        st->bind(1, learnerId).bind(2, static_cast<int64_t>(prefix.size())).bind(3, prefix);
        if (auto s = st->run(); !s)
            return s.error();
        return static_cast<uint32_t>(db.changes());
    }

    Result<std::vector<SyncAccount>> accounts() override {
        std::lock_guard lock(m_mutex);
        auto st = m_store.database().prepare(
            "SELECT a.learner_id, l.name, a.last_sync_ms,"
            " (SELECT count(*) FROM sync_tokens t WHERE t.learner_id = a.learner_id AND t.revoked = 0),"
            " (SELECT count(*) FROM events e WHERE e.learner_id = a.learner_id)"
            " FROM sync_accounts a JOIN learners l ON l.id = a.learner_id ORDER BY l.name");
        if (!st)
            return st.error();
        std::vector<SyncAccount> out;
        if (auto s = st->forEachRow([&]() -> core::Status {
                SyncAccount a;
                a.learnerId = st->columnText(0);
                a.name = st->columnText(1);
                a.lastSyncMs = st->columnInt(2);
                a.activeTokens = static_cast<uint32_t>(st->columnInt(3));
                a.events = static_cast<uint64_t>(st->columnInt(4));
                out.push_back(std::move(a));
                return core::okStatus();
            });
            !s)
            return s.error();
        return out;
    }

    Result<Principal> authenticate(const std::string& token) override {
        const Error refused{ErrorCode::Unauthenticated, "the sync token is unknown or revoked"};
        if (token.size() != kTokenHexDigits)
            return refused;
        const std::string hash = hashToken(token);
        std::lock_guard lock(m_mutex);
        auto st = m_store.database().prepare(
            "SELECT t.token_hash, t.learner_id, l.name FROM sync_tokens t JOIN learners l ON l.id = "
            "t.learner_id"
            " WHERE t.token_hash = ? AND t.revoked = 0");
        if (!st)
            return st.error();
        st->bind(1, hash);
        auto row = st->step();
        if (!row)
            return row.error();
        // The index finds the row; the stored hash is still compared in constant time.
        if (!*row || !constantTimeEquals(st->columnText(0), hash))
            return refused;
        return Principal{st->columnText(1), st->columnText(2)};
    }

    core::Status touch(const std::string& learnerId, int64_t nowMs) override {
        std::lock_guard lock(m_mutex);
        auto st =
            m_store.database().prepare("UPDATE sync_accounts SET last_sync_ms = ? WHERE learner_id = ?");
        if (!st)
            return st.error();
        return st->bind(1, nowMs).bind(2, learnerId).run();
    }

    Result<uint64_t> replicaSequence(const std::string& learnerId, const std::string& replicaId) override {
        std::lock_guard lock(m_mutex);
        auto st = m_store.database().prepare(
            "SELECT last_sequence FROM sync_replicas WHERE learner_id = ? AND replica_id = ?");
        if (!st)
            return st.error();
        st->bind(1, learnerId).bind(2, replicaId);
        auto row = st->step();
        if (!row)
            return row.error();
        return *row ? static_cast<uint64_t>(st->columnInt(0)) : uint64_t{0};
    }

    Result<uint64_t> cursor(const std::string& learnerId) override {
        std::lock_guard lock(m_mutex);
        return cursorLocked(learnerId);
    }

    Result<InsertOutcome> insert(const std::string& learnerId,
                                 const std::vector<v1::Event>& events) override {
        std::lock_guard lock(m_mutex);
        auto& db = m_store.database();
        // Highest sequence per creating replica in this batch (ids are checked by the caller).
        std::map<std::string, int64_t> sequences;
        for (const auto& e : events) {
            if (e.learner_id() != learnerId)
                return core::invalidArgument("event " + e.id() + " belongs to another learner");
            auto& top = sequences[e.id().substr(0, 16)];
            top = std::max<int64_t>(top, std::strtoll(e.id().c_str() + 17, nullptr, 10));
        }
        InsertOutcome out;
        Transaction tx(db);
        if (auto s = tx.begin(); !s)
            return s.error();
        // Every event's learner is `learnerId` (checked above).
        auto inserted = insertEvents(db, events);
        if (!inserted)
            return inserted.error();
        out.accepted = inserted->inserted;
        out.duplicates = inserted->duplicates;
        auto seq = db.prepare(
            "INSERT INTO sync_replicas (learner_id, replica_id, last_sequence) VALUES (?, ?, ?) "
            "ON CONFLICT (learner_id, replica_id) DO UPDATE SET last_sequence = "
            "max(last_sequence, excluded.last_sequence)");
        if (!seq)
            return seq.error();
        for (const auto& [replica, top] : sequences) {
            seq->bind(1, learnerId).bind(2, replica).bind(3, top);
            if (auto s = seq->run(); !s)
                return s.error();
        }
        if (auto s = tx.commit(); !s)
            return s.error();
        auto c = cursorLocked(learnerId);
        if (!c)
            return c.error();
        out.cursor = *c;
        return out;
    }

    Result<EventPage> read(const std::string& learnerId, uint64_t after, uint32_t limit,
                           const std::string& excludeReplica) override {
        std::lock_guard lock(m_mutex);
        EventPage page;
        page.cursor = after;
        auto st = m_store.database().prepare(
            "SELECT seq, substr(id, 1, 17), body FROM events WHERE learner_id = ? AND seq > ? ORDER BY seq "
            "LIMIT ?");
        if (!st)
            return st.error();
        st->bind(1, learnerId).bind(2, static_cast<int64_t>(after)).bind(3, static_cast<int64_t>(limit));
        const std::string excluded = excludeReplica.empty() ? std::string() : excludeReplica + "-";
        if (auto s = st->forEachRow([&]() -> core::Status {
                page.cursor = static_cast<uint64_t>(st->columnInt(0));
                if (!excluded.empty() && st->columnText(1) == excluded)
                    return core::okStatus();
                v1::Event e;
                const auto blob = st->columnBlob(2);
                if (!e.ParseFromArray(blob.data(), static_cast<int>(blob.size())))
                    return core::Error{ErrorCode::DataLoss, "event at server sequence " +
                                                                std::to_string(page.cursor) + " is corrupt"};
                page.events.push_back(std::move(e));
                return core::okStatus();
            });
            !s)
            return s.error();
        auto c = cursorLocked(learnerId);
        if (!c)
            return c.error();
        page.done = page.cursor >= *c;
        return page;
    }

private:
    Result<uint64_t> cursorLocked(const std::string& learnerId) {
        auto st = m_store.database().prepare("SELECT COALESCE(MAX(seq), 0) FROM events WHERE learner_id = ?");
        if (!st)
            return st.error();
        st->bind(1, learnerId);
        auto row = st->step();
        if (!row)
            return row.error();
        return static_cast<uint64_t>(st->columnInt(0));
    }

    static Result<std::string> lookup(Database& db, const char* sql, const std::string& key) {
        auto st = db.prepare(sql);
        if (!st)
            return st.error();
        st->bind(1, key);
        auto row = st->step();
        if (!row)
            return row.error();
        return *row ? st->columnText(0) : std::string();
    }

    std::mutex m_mutex;
    EventStore m_store;
};

}  // namespace

Result<std::unique_ptr<SyncStore>> openSqliteSyncStore(const std::string& path) {
    auto db = openRetainDatabase(path);
    if (!db)
        return db.error();
    sqlite3_busy_timeout(db->handle(), 10000);
    return std::unique_ptr<SyncStore>(std::make_unique<SqliteSyncStore>(std::move(db.value())));
}

}  // namespace retain::storage
