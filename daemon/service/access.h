#pragma once
// Who may call what (docs/security.md). Deny by default: every request type declares its policy below,
// and a request type without one does not compile (Policy<Request> is only declared, never defined).
//
// Principals:
//  - the owner: a call over the daemon's unix socket (owner-only: the socket is 0600 in a 0700 directory
//    that the daemon's user owns), may do everything;
//  - an admin token over TCP: everything but managing access tokens and sync accounts;
//  - a learner token over TCP: only calls about its own learner;
//  - nobody: a TCP call without a valid token (UNAUTHENTICATED).
// A sync server's TCP port serves only SyncService (sync tokens, storage/sync_store.h) and health.

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "retain/v1/admin.pb.h"
#include "retain/v1/content_service.pb.h"
#include "retain/v1/learner.pb.h"
#include "retain/v1/mock_exam.pb.h"
#include "retain/v1/progress.pb.h"
#include "retain/v1/readiness.pb.h"
#include "retain/v1/study.pb.h"
#include "retain/v1/sync.pb.h"

namespace retain::service {

namespace v1 = ::retain::v1;

// The listener a call arrived on. Each listener is a separate gRPC server, so this is known, not guessed
// from a peer address.
enum class Transport { OwnerSocket, Tcp };

enum class Role { Owner, Admin, Learner };

struct Principal {
    Role role = Role::Learner;
    std::string learnerId;    // Role::Learner only
    std::string learnerName;  // Role::Learner only (GetLearner may name the learner)
    std::string tokenPrefix;  // empty for the owner
    bool isAdmin() const { return role != Role::Learner; }
};

// What a request needs.
enum class Access {
    Authenticated,     // any principal (versions, blueprints)
    OwnLearner,        // the request's learner must be the principal's (owner and admin: any learner)
    OwnLearnerOrNone,  // as OwnLearner, but the learner may be left empty (content search without state)
    LearnerList,       // ListLearners: a learner token sees only its own learner
    Admin,             // the owner or an admin token
    Owner,             // the owner's unix socket only
};

template <typename Request>
struct Policy;  // deliberately undefined: declare a policy for every request type

#define RETAIN_POLICY(Request, level)                                             \
    template <>                                                                   \
    struct Policy<v1::Request> {                                                  \
        static constexpr Access kAccess = Access::level;                          \
        static const std::string* learner(const v1::Request&) { return nullptr; } \
    }
#define RETAIN_LEARNER_POLICY(Request, level, field)                                   \
    template <>                                                                        \
    struct Policy<v1::Request> {                                                       \
        static constexpr Access kAccess = Access::level;                               \
        static const std::string* learner(const v1::Request& r) { return &r.field(); } \
    }

// clang-format off
// LearnerService
RETAIN_POLICY(CreateLearnerRequest, Admin);
RETAIN_LEARNER_POLICY(GetLearnerRequest, OwnLearner, learner);
RETAIN_POLICY(ListLearnersRequest, LearnerList);
RETAIN_LEARNER_POLICY(UpdateSettingsRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(OptimizeParametersRequest, OwnLearner, learner_id);
// ContentService
RETAIN_POLICY(GetBlueprintRequest, Authenticated);
RETAIN_POLICY(ListBlueprintsRequest, Authenticated);
RETAIN_LEARNER_POLICY(SearchItemsRequest, OwnLearnerOrNone, learner_id);
RETAIN_LEARNER_POLICY(GetItemRequest, OwnLearnerOrNone, learner_id);
RETAIN_LEARNER_POLICY(SetSuspendedRequest, OwnLearner, learner_id);
// StudyService
RETAIN_LEARNER_POLICY(StartSessionRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(NextItemRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(AnswerRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(UndoRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(EndSessionRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(GetSessionSummaryRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(ImportReviewsRequest, OwnLearner, learner_id);
// ProgressService
RETAIN_LEARNER_POLICY(GetMasteryRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(GetDueForecastRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(GetReviewHistoryRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(GetRetentionRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(GetTodayRequest, OwnLearner, learner_id);
// ReadinessService
RETAIN_LEARNER_POLICY(GetReadinessRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(GetReadinessHistoryRequest, OwnLearner, learner_id);
// MockExamService
RETAIN_LEARNER_POLICY(StartMockRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(GetMockRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(AnswerMockRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(FlagQuestionRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(PauseMockRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(SubmitMockRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(GetMockReportRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(ListMocksRequest, OwnLearner, learner_id);
// AdminService
RETAIN_POLICY(GetVersionRequest, Authenticated);
RETAIN_POLICY(BackupRequest, Admin);
RETAIN_POLICY(RebuildRequest, Admin);
RETAIN_POLICY(ReloadContentRequest, Admin);
RETAIN_POLICY(SetClockRequest, Admin);
RETAIN_POLICY(CreateAccessTokenRequest, Owner);
RETAIN_POLICY(ListAccessTokensRequest, Owner);
RETAIN_POLICY(RevokeAccessTokenRequest, Owner);
// SyncControlService (this daemon's own sync)
RETAIN_POLICY(SetupSyncRequest, Admin);
RETAIN_LEARNER_POLICY(SyncNowRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(GetSyncStatusRequest, OwnLearner, learner_id);
RETAIN_LEARNER_POLICY(DisableSyncRequest, OwnLearner, learner_id);
// SyncAccountService (a sync server's accounts)
RETAIN_POLICY(AddSyncLearnerRequest, Owner);
RETAIN_POLICY(RevokeTokenRequest, Owner);
RETAIN_POLICY(ListAccountsRequest, Owner);
// SyncService authenticates with sync tokens instead (sync_services.cpp) and is served on no listener
// of a daemon that is not a sync server.
// clang-format on

#undef RETAIN_POLICY
#undef RETAIN_LEARNER_POLICY

// The access tokens a daemon accepts, by hash; thread-safe (read on gRPC threads, written on the strand).
class AccessControl {
public:
    struct Entry {
        Principal principal;
        std::string hash;
    };
    void replaceAll(std::vector<Entry> entries);
    void add(Entry entry);
    void removePrefix(const std::string& prefix);
    // The principal of a call: the owner on the unix socket, else the token's (UNAUTHENTICATED when the
    // token is missing, malformed or unknown).
    core::Result<Principal> authenticate(Transport transport, const std::string& authorization) const;

private:
    mutable std::shared_mutex m_mutex;
    std::unordered_map<std::string, Principal> m_byHash;
};

// The token of an "authorization" header value "Bearer <token>"; empty for any other value. The one parser
// of the header, for access tokens and sync tokens alike.
std::string_view bearerTokenOf(std::string_view authorization);

// PERMISSION_DENIED unless `who` may make a request of this access level about `learner` (nullptr: none).
std::optional<core::Error> authorize(const Principal& who, Access access, const std::string* learner);

template <typename Request>
std::optional<core::Error> authorize(const Principal& who, const Request& request) {
    return authorize(who, Policy<Request>::kAccess, Policy<Request>::learner(request));
}

}  // namespace retain::service
