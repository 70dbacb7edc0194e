#pragma once
// The sync server's store: accounts (learner id, name, hashed tokens) and each learner's event log
// with a server sequence used as the pull cursor. An interface, so that a deployment that outgrows
// one machine can put it on a database server; SQLite is the default (openSqliteSyncStore).
//
// Implementations are thread-safe: the server calls them from its sync worker threads.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "retain/v1/events.pb.h"

namespace retain::storage {

namespace v1 = ::retain::v1;
using core::Result;

struct SyncAccount {
    std::string learnerId;
    std::string name;
    uint32_t activeTokens = 0;
    uint64_t events = 0;
    int64_t lastSyncMs = 0;
};

struct IssuedToken {
    std::string learnerId;
    std::string token;  // shown once, never stored
    std::string prefix;
};

// Who a token belongs to.
struct Principal {
    std::string learnerId;
    std::string name;
};

struct InsertOutcome {
    uint32_t accepted = 0;
    uint32_t duplicates = 0;
    uint64_t cursor = 0;  // the learner's server cursor after the insert
};

struct EventPage {
    std::vector<v1::Event> events;
    uint64_t cursor = 0;  // resume after this
    bool done = false;    // nothing after `cursor` (at the time of reading)
};

class SyncStore {
public:
    virtual ~SyncStore() = default;

    // A new token for the account `name`: the account is created when the name is new (with
    // `learnerId`, or a generated id when empty); an existing account gets an additional token when
    // `learnerId` is empty or its own. AlreadyExists when the name or the id belongs to another account.
    virtual Result<IssuedToken> addAccount(const std::string& name, const std::string& learnerId,
                                           int64_t nowMs) = 0;
    // Revokes a learner's tokens (those starting with `prefix`, or all when empty); returns how many.
    virtual Result<uint32_t> revokeTokens(const std::string& learnerId, const std::string& prefix) = 0;
    virtual Result<std::vector<SyncAccount>> accounts() = 0;
    // The owner of a valid, unrevoked token; Unauthenticated otherwise (the same message for unknown and
    // revoked tokens, so that nothing is learnt by guessing).
    virtual Result<Principal> authenticate(const std::string& token) = 0;
    virtual core::Status touch(const std::string& learnerId, int64_t nowMs) = 0;

    // The highest sequence among the learner's events created by replica `replicaId` (0 when none).
    virtual Result<uint64_t> replicaSequence(const std::string& learnerId, const std::string& replicaId) = 0;
    // The learner's latest server sequence (0 when the log is empty).
    virtual Result<uint64_t> cursor(const std::string& learnerId) = 0;
    // Stores events of one learner, already checked, in one durable transaction; an event whose id is
    // already stored is a duplicate and left alone (idempotent re-sends).
    virtual Result<InsertOutcome> insert(const std::string& learnerId,
                                         const std::vector<v1::Event>& events) = 0;
    // The events among the next `limit` with a server sequence after `after`, in sequence order, leaving
    // out those created by replica `excludeReplica` (when not empty); the page's cursor is the last
    // sequence looked at.
    virtual Result<EventPage> read(const std::string& learnerId, uint64_t after, uint32_t limit,
                                   const std::string& excludeReplica) = 0;
};

// The SQLite store, on its own connection to the daemon's database file (already migrated).
Result<std::unique_ptr<SyncStore>> openSqliteSyncStore(const std::string& path);

}  // namespace retain::storage
