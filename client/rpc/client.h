#pragma once
// Typed client for retaind, shared by retainctl, the desktop app and the simulator. No Qt, and no
// <grpcpp/...> in this header: the stubs live behind a pimpl. Every call has a deadline; idempotent
// reads are retried on UNAVAILABLE with backoff, writes never (the caller decides).

#include <chrono>
#include <memory>
#include <string>
#include <variant>

#include "retain/v1/admin.pb.h"
#include "retain/v1/content_service.pb.h"
#include "retain/v1/learner.pb.h"
#include "retain/v1/mock_exam.pb.h"
#include "retain/v1/progress.pb.h"
#include "retain/v1/readiness.pb.h"
#include "retain/v1/study.pb.h"
#include "retain/v1/sync.pb.h"

namespace retain::rpc {

namespace v1 = ::retain::v1;

struct RpcError {
    int code = 0;          // grpc::StatusCode
    std::string codeName;  // "INVALID_ARGUMENT", ...
    std::string message;
    std::string format() const { return codeName + ": " + message; }
};

template <typename T>
class Reply {
public:
    Reply(T value) : m_v(std::move(value)) {}         // NOLINT(google-explicit-constructor)
    Reply(RpcError error) : m_v(std::move(error)) {}  // NOLINT(google-explicit-constructor)
    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T& value() const { return std::get<0>(m_v); }
    T& value() { return std::get<0>(m_v); }
    const T* operator->() const { return &value(); }
    const T& operator*() const { return value(); }
    const RpcError& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, RpcError> m_v;
};

struct ClientOptions {
    std::chrono::milliseconds deadline{10000};
    int retries = 2;     // extra attempts for idempotent calls on UNAVAILABLE
    std::string caFile;  // TLS for host:port addresses that are not loopback (or when set)
    bool tls = false;    // force TLS
    // Access token for a daemon's TCP listener (sent as "authorization: Bearer <token>"); the unix socket
    // needs none. See tokenFromFile().
    std::string token;
};

// The access token in a file (its first line, trimmed), or the error to show; "-" reads standard input.
Reply<std::string> tokenFromFile(const std::string& path);

class Client {
public:
    // address: "unix:PATH", "unix:///PATH" or "HOST:PORT".
    explicit Client(const std::string& address, ClientOptions options = {});
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    const std::string& address() const { return m_address; }

    // grpc.health.v1: SERVING?
    Reply<bool> health();
    // Waits until the daemon answers health, up to `timeout`.
    bool waitUntilServing(std::chrono::milliseconds timeout);

    Reply<v1::Learner> createLearner(const v1::CreateLearnerRequest& r);
    Reply<v1::Learner> getLearner(const v1::GetLearnerRequest& r);
    Reply<v1::ListLearnersResponse> listLearners();
    Reply<v1::Learner> updateSettings(const v1::UpdateSettingsRequest& r);
    Reply<v1::OptimizationReport> optimizeParameters(const v1::OptimizeParametersRequest& r);
    // The learner named `name` ("" means "default"), created with default settings when it does not exist.
    Reply<v1::Learner> ensureLearner(const std::string& name);

    Reply<v1::Blueprint> getBlueprint(const v1::GetBlueprintRequest& r);
    Reply<v1::ListBlueprintsResponse> listBlueprints();
    Reply<v1::SearchItemsResponse> searchItems(const v1::SearchItemsRequest& r);
    Reply<v1::ItemDetail> getItem(const v1::GetItemRequest& r);
    Reply<v1::ItemDetail> setSuspended(const v1::SetSuspendedRequest& r);

    Reply<v1::Session> startSession(const v1::StartSessionRequest& r);
    Reply<v1::NextItemResponse> nextItem(const v1::NextItemRequest& r);
    Reply<v1::AnswerResponse> answer(const v1::AnswerRequest& r);
    Reply<v1::UndoResponse> undo(const v1::UndoRequest& r);
    Reply<v1::SessionSummary> endSession(const v1::EndSessionRequest& r);
    Reply<v1::SessionSummary> sessionSummary(const v1::GetSessionSummaryRequest& r);
    Reply<v1::ImportReviewsResponse> importReviews(const v1::ImportReviewsRequest& r);

    Reply<v1::MasteryReport> mastery(const v1::GetMasteryRequest& r);
    Reply<v1::DueForecast> dueForecast(const v1::GetDueForecastRequest& r);
    Reply<v1::ReviewHistory> reviewHistory(const v1::GetReviewHistoryRequest& r);
    Reply<v1::RetentionReport> retention(const v1::GetRetentionRequest& r);
    Reply<v1::TodaySummary> today(const v1::GetTodayRequest& r);
    Reply<v1::Readiness> readiness(const v1::GetReadinessRequest& r);
    Reply<v1::ReadinessHistory> readinessHistory(const v1::GetReadinessHistoryRequest& r);

    Reply<v1::MockExam> startMock(const v1::StartMockRequest& r);
    Reply<v1::MockExam> getMock(const v1::GetMockRequest& r);
    Reply<v1::MockExam> answerMock(const v1::AnswerMockRequest& r);
    Reply<v1::MockExam> flagQuestion(const v1::FlagQuestionRequest& r);
    Reply<v1::MockExam> pauseMock(const v1::PauseMockRequest& r);
    Reply<v1::MockReport> submitMock(const v1::SubmitMockRequest& r);
    Reply<v1::MockReport> mockReport(const v1::GetMockReportRequest& r);
    Reply<v1::ListMocksResponse> listMocks(const v1::ListMocksRequest& r);

    Reply<v1::VersionInfo> version();
    Reply<v1::BackupResponse> backup(const v1::BackupRequest& r);
    Reply<v1::RebuildResponse> rebuild(const v1::RebuildRequest& r);
    Reply<v1::ReloadContentResponse> reloadContent();
    Reply<v1::SetClockResponse> setClock(const v1::SetClockRequest& r);

    // This daemon's own sync (SyncControlService).
    Reply<v1::SyncStatus> setupSync(const v1::SetupSyncRequest& r);
    Reply<v1::SyncStatus> syncNow(const v1::SyncNowRequest& r);
    Reply<v1::SyncStatus> syncStatus(const v1::GetSyncStatusRequest& r);
    Reply<v1::SyncStatus> disableSync(const v1::DisableSyncRequest& r);

    // Access tokens for TCP clients (owner's socket only).
    Reply<v1::CreateAccessTokenResponse> createAccessToken(const v1::CreateAccessTokenRequest& r);
    Reply<v1::ListAccessTokensResponse> listAccessTokens();
    Reply<v1::RevokeAccessTokenResponse> revokeAccessToken(const v1::RevokeAccessTokenRequest& r);

    // Accounts on a daemon in sync-server mode (SyncAccountService, its local socket only).
    Reply<v1::AddSyncLearnerResponse> addSyncLearner(const v1::AddSyncLearnerRequest& r);
    Reply<v1::RevokeTokenResponse> revokeSyncToken(const v1::RevokeTokenRequest& r);
    Reply<v1::ListAccountsResponse> listSyncAccounts();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_address;
};

// The default daemon address: the local socket under $XDG_RUNTIME_DIR/retain/.
std::string defaultDaemonAddress();

}  // namespace retain::rpc
