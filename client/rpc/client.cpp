#include "rpc/client.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "core/os_safety.h"
#include "core/study_day.h"
#include "retain/v1/admin.grpc.pb.h"
#include "retain/v1/content_service.grpc.pb.h"
#include "retain/v1/learner.grpc.pb.h"
#include "retain/v1/mock_exam.grpc.pb.h"
#include "retain/v1/progress.grpc.pb.h"
#include "retain/v1/readiness.grpc.pb.h"
#include "retain/v1/study.grpc.pb.h"
#include "retain/v1/sync.grpc.pb.h"

namespace retain::rpc {

namespace {

const char* codeName(grpc::StatusCode c) {
    switch (c) {
        case grpc::OK:
            return "OK";
        case grpc::CANCELLED:
            return "CANCELLED";
        case grpc::UNKNOWN:
            return "UNKNOWN";
        case grpc::INVALID_ARGUMENT:
            return "INVALID_ARGUMENT";
        case grpc::DEADLINE_EXCEEDED:
            return "DEADLINE_EXCEEDED";
        case grpc::NOT_FOUND:
            return "NOT_FOUND";
        case grpc::ALREADY_EXISTS:
            return "ALREADY_EXISTS";
        case grpc::PERMISSION_DENIED:
            return "PERMISSION_DENIED";
        case grpc::RESOURCE_EXHAUSTED:
            return "RESOURCE_EXHAUSTED";
        case grpc::FAILED_PRECONDITION:
            return "FAILED_PRECONDITION";
        case grpc::ABORTED:
            return "ABORTED";
        case grpc::OUT_OF_RANGE:
            return "OUT_OF_RANGE";
        case grpc::UNIMPLEMENTED:
            return "UNIMPLEMENTED";
        case grpc::INTERNAL:
            return "INTERNAL";
        case grpc::UNAVAILABLE:
            return "UNAVAILABLE";
        case grpc::DATA_LOSS:
            return "DATA_LOSS";
        case grpc::UNAUTHENTICATED:
            return "UNAUTHENTICATED";
        default:
            return "ERROR";
    }
}

bool isLoopback(const std::string& address) {
    return core::isLoopbackHostPort(address);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

Reply<std::string> tokenFromFile(const std::string& path) {
    std::string text;
    if (path == "-") {
        std::getline(std::cin, text);
    } else {
        std::ifstream in(path);
        if (!in)
            return RpcError{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT",
                            "cannot read the token file " + path};
        std::getline(in, text);
    }
    const auto first = text.find_first_not_of(" \t\r\n");
    const auto last = text.find_last_not_of(" \t\r\n");
    text = first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
    if (text.size() != 64 || text.find_first_not_of("0123456789abcdef") != std::string::npos)
        return RpcError{grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT",
                        (path == "-" ? std::string("standard input") : path) +
                            " does not hold a token (64 lower-case hex digits on its first line)"};
    return text;
}

std::string defaultDaemonAddress() {
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    const std::string dir = runtime && *runtime ? runtime : "/tmp/retain-" + std::to_string(getuid());
    return "unix:" + dir + "/retain/retaind.sock";
}

struct Client::Impl {
    ClientOptions options;
    // Set when the address is a unix socket in a directory someone else controls: every call fails.
    std::optional<RpcError> refusal;
    void prepare(grpc::ClientContext& ctx) const {
        if (!options.token.empty())
            ctx.AddMetadata("authorization", "Bearer " + options.token);
    }
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<v1::LearnerService::Stub> learner;
    std::unique_ptr<v1::ContentService::Stub> content;
    std::unique_ptr<v1::StudyService::Stub> study;
    std::unique_ptr<v1::ProgressService::Stub> progress;
    std::unique_ptr<v1::AdminService::Stub> admin;
    std::unique_ptr<v1::ReadinessService::Stub> readiness;
    std::unique_ptr<v1::MockExamService::Stub> mock;
    std::unique_ptr<v1::SyncControlService::Stub> syncControl;
    std::unique_ptr<v1::SyncAccountService::Stub> syncAccount;

    template <typename Stub, typename Req, typename Resp>
    Reply<Resp> call(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                     const Req& req, bool idempotent) {
        int attempts = idempotent ? 1 + options.retries : 1;
        std::chrono::milliseconds backoff{100};
        if (refusal)
            return *refusal;
        while (true) {
            grpc::ClientContext ctx;
            prepare(ctx);
            ctx.set_deadline(std::chrono::system_clock::now() + options.deadline);
            Resp resp;
            const grpc::Status st = (stub->*method)(&ctx, req, &resp);
            if (st.ok())
                return resp;
            if (st.error_code() != grpc::StatusCode::UNAVAILABLE || --attempts <= 0)
                return RpcError{st.error_code(), codeName(st.error_code()), st.error_message()};
            std::this_thread::sleep_for(backoff);
            backoff *= 2;
        }
    }
};

Client::Client(const std::string& address, ClientOptions options)
    : m_impl(std::make_unique<Impl>()), m_address(address) {
    m_impl->options = options;
    std::shared_ptr<grpc::ChannelCredentials> creds;
    const bool unix = address.rfind("unix:", 0) == 0;
    if (unix) {
        // Never talk to a socket in a directory another user controls: they could be posing as retaind.
        std::string path = address.substr(5);
        if (path.rfind("//", 0) == 0)
            path = path.substr(2);
        const auto dir = std::filesystem::path(path).parent_path().string();
        std::error_code ec;
        if (!dir.empty() && std::filesystem::exists(dir, ec))
            if (auto problem = core::checkPrivateDirectory(dir))
                m_impl->refusal = RpcError{grpc::StatusCode::FAILED_PRECONDITION, "FAILED_PRECONDITION",
                                           "refusing to connect to " + path + ": " + *problem};
    }
    if (!unix && (options.tls || !options.caFile.empty() || !isLoopback(address))) {
        grpc::SslCredentialsOptions ssl;
        if (!options.caFile.empty())
            ssl.pem_root_certs = readFile(options.caFile);
        creds = grpc::SslCredentials(ssl);
    } else {
        creds = grpc::InsecureChannelCredentials();
    }
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
    m_impl->channel = grpc::CreateCustomChannel(address, creds, args);
    m_impl->learner = v1::LearnerService::NewStub(m_impl->channel);
    m_impl->content = v1::ContentService::NewStub(m_impl->channel);
    m_impl->study = v1::StudyService::NewStub(m_impl->channel);
    m_impl->progress = v1::ProgressService::NewStub(m_impl->channel);
    m_impl->admin = v1::AdminService::NewStub(m_impl->channel);
    m_impl->readiness = v1::ReadinessService::NewStub(m_impl->channel);
    m_impl->mock = v1::MockExamService::NewStub(m_impl->channel);
    m_impl->syncControl = v1::SyncControlService::NewStub(m_impl->channel);
    m_impl->syncAccount = v1::SyncAccountService::NewStub(m_impl->channel);
}

Client::~Client() = default;

Reply<bool> Client::health() {
    // grpc.health.v1.Health/Check with an empty service name, by generic call (no extra generated code).
    if (m_impl->refusal)
        return *m_impl->refusal;
    grpc::GenericStub generic(m_impl->channel);
    grpc::ClientContext ctx;
    m_impl->prepare(ctx);
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::milliseconds(std::min<long>(m_impl->options.deadline.count(), 3000)));
    grpc::ByteBuffer request;  // HealthCheckRequest{service: ""} encodes to zero bytes
    grpc::Slice empty;
    request = grpc::ByteBuffer(&empty, 1);
    grpc::ByteBuffer response;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    generic.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                      [&](grpc::Status s) {
                          std::lock_guard lock(mu);
                          status = std::move(s);
                          done = true;
                          cv.notify_one();
                      });
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done; });
    if (!status.ok())
        return RpcError{status.error_code(), codeName(status.error_code()), status.error_message()};
    std::vector<grpc::Slice> slices;
    (void)response.Dump(&slices);
    std::string bytes;
    for (auto& s : slices)
        bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    // HealthCheckResponse{status = 1 (SERVING)} is the two bytes 0x08 0x01.
    return bytes.size() == 2 && bytes[0] == 0x08 && bytes[1] == 0x01;
}

bool Client::waitUntilServing(std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        auto h = health();
        if (h && *h)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

#define RETAIN_CALL(Method, Member, Service, Rpc, Req, Resp, Idem)                   \
    Reply<v1::Resp> Client::Method(const v1::Req& r) {                               \
        return m_impl->call(m_impl->Member.get(), &v1::Service::Stub::Rpc, r, Idem); \
    }

RETAIN_CALL(createLearner, learner, LearnerService, CreateLearner, CreateLearnerRequest, Learner, false)
RETAIN_CALL(getLearner, learner, LearnerService, GetLearner, GetLearnerRequest, Learner, true)
RETAIN_CALL(updateSettings, learner, LearnerService, UpdateSettings, UpdateSettingsRequest, Learner, false)
RETAIN_CALL(optimizeParameters, learner, LearnerService, OptimizeParameters, OptimizeParametersRequest,
            OptimizationReport, false)
RETAIN_CALL(getBlueprint, content, ContentService, GetBlueprint, GetBlueprintRequest, Blueprint, true)
RETAIN_CALL(searchItems, content, ContentService, SearchItems, SearchItemsRequest, SearchItemsResponse, true)
RETAIN_CALL(getItem, content, ContentService, GetItem, GetItemRequest, ItemDetail, true)
RETAIN_CALL(setSuspended, content, ContentService, SetSuspended, SetSuspendedRequest, ItemDetail, true)
RETAIN_CALL(startSession, study, StudyService, StartSession, StartSessionRequest, Session, false)
RETAIN_CALL(nextItem, study, StudyService, NextItem, NextItemRequest, NextItemResponse, true)
RETAIN_CALL(answer, study, StudyService, Answer, AnswerRequest, AnswerResponse, false)
RETAIN_CALL(undo, study, StudyService, Undo, UndoRequest, UndoResponse, false)
RETAIN_CALL(endSession, study, StudyService, EndSession, EndSessionRequest, SessionSummary, true)
RETAIN_CALL(sessionSummary, study, StudyService, GetSessionSummary, GetSessionSummaryRequest, SessionSummary,
            true)
RETAIN_CALL(importReviews, study, StudyService, ImportReviews, ImportReviewsRequest, ImportReviewsResponse,
            true)
RETAIN_CALL(mastery, progress, ProgressService, GetMastery, GetMasteryRequest, MasteryReport, true)
RETAIN_CALL(dueForecast, progress, ProgressService, GetDueForecast, GetDueForecastRequest, DueForecast, true)
RETAIN_CALL(reviewHistory, progress, ProgressService, GetReviewHistory, GetReviewHistoryRequest,
            ReviewHistory, true)
RETAIN_CALL(retention, progress, ProgressService, GetRetention, GetRetentionRequest, RetentionReport, true)
RETAIN_CALL(today, progress, ProgressService, GetToday, GetTodayRequest, TodaySummary, true)
RETAIN_CALL(readiness, readiness, ReadinessService, GetReadiness, GetReadinessRequest, Readiness, true)
RETAIN_CALL(readinessHistory, readiness, ReadinessService, GetReadinessHistory, GetReadinessHistoryRequest,
            ReadinessHistory, true)
RETAIN_CALL(startMock, mock, MockExamService, StartMock, StartMockRequest, MockExam, false)
RETAIN_CALL(getMock, mock, MockExamService, GetMock, GetMockRequest, MockExam, true)
RETAIN_CALL(answerMock, mock, MockExamService, AnswerMock, AnswerMockRequest, MockExam, true)
RETAIN_CALL(flagQuestion, mock, MockExamService, FlagQuestion, FlagQuestionRequest, MockExam, true)
RETAIN_CALL(pauseMock, mock, MockExamService, PauseMock, PauseMockRequest, MockExam, true)
RETAIN_CALL(submitMock, mock, MockExamService, SubmitMock, SubmitMockRequest, MockReport, true)
RETAIN_CALL(mockReport, mock, MockExamService, GetMockReport, GetMockReportRequest, MockReport, true)
RETAIN_CALL(listMocks, mock, MockExamService, ListMocks, ListMocksRequest, ListMocksResponse, true)
RETAIN_CALL(backup, admin, AdminService, Backup, BackupRequest, BackupResponse, false)
RETAIN_CALL(rebuild, admin, AdminService, RebuildDerivedState, RebuildRequest, RebuildResponse, true)
RETAIN_CALL(setClock, admin, AdminService, SetClock, SetClockRequest, SetClockResponse, false)
RETAIN_CALL(setupSync, syncControl, SyncControlService, SetupSync, SetupSyncRequest, SyncStatus, false)
RETAIN_CALL(syncNow, syncControl, SyncControlService, SyncNow, SyncNowRequest, SyncStatus, false)
RETAIN_CALL(syncStatus, syncControl, SyncControlService, GetSyncStatus, GetSyncStatusRequest, SyncStatus,
            true)
RETAIN_CALL(disableSync, syncControl, SyncControlService, DisableSync, DisableSyncRequest, SyncStatus, true)
RETAIN_CALL(addSyncLearner, syncAccount, SyncAccountService, AddLearner, AddSyncLearnerRequest,
            AddSyncLearnerResponse, false)
RETAIN_CALL(revokeSyncToken, syncAccount, SyncAccountService, RevokeToken, RevokeTokenRequest,
            RevokeTokenResponse, true)
RETAIN_CALL(createAccessToken, admin, AdminService, CreateAccessToken, CreateAccessTokenRequest,
            CreateAccessTokenResponse, false)
RETAIN_CALL(revokeAccessToken, admin, AdminService, RevokeAccessToken, RevokeAccessTokenRequest,
            RevokeAccessTokenResponse, true)
#undef RETAIN_CALL

Reply<v1::ListAccessTokensResponse> Client::listAccessTokens() {
    return m_impl->call(m_impl->admin.get(), &v1::AdminService::Stub::ListAccessTokens,
                        v1::ListAccessTokensRequest(), true);
}

Reply<v1::ListAccountsResponse> Client::listSyncAccounts() {
    return m_impl->call(m_impl->syncAccount.get(), &v1::SyncAccountService::Stub::ListAccounts,
                        v1::ListAccountsRequest(), true);
}

Reply<v1::ListLearnersResponse> Client::listLearners() {
    return m_impl->call(m_impl->learner.get(), &v1::LearnerService::Stub::ListLearners,
                        v1::ListLearnersRequest(), true);
}
Reply<v1::ListBlueprintsResponse> Client::listBlueprints() {
    return m_impl->call(m_impl->content.get(), &v1::ContentService::Stub::ListBlueprints,
                        v1::ListBlueprintsRequest(), true);
}
Reply<v1::VersionInfo> Client::version() {
    return m_impl->call(m_impl->admin.get(), &v1::AdminService::Stub::GetVersion, v1::GetVersionRequest(),
                        true);
}
Reply<v1::ReloadContentResponse> Client::reloadContent() {
    return m_impl->call(m_impl->admin.get(), &v1::AdminService::Stub::ReloadContent,
                        v1::ReloadContentRequest(), false);
}

Reply<v1::Learner> Client::ensureLearner(const std::string& name) {
    const std::string n = name.empty() ? "default" : name;
    v1::GetLearnerRequest get;
    get.set_learner(n);
    auto found = getLearner(get);
    if (found || found.error().code != grpc::StatusCode::NOT_FOUND)
        return found;
    v1::CreateLearnerRequest create;
    create.set_name(n);
    create.mutable_settings()->set_time_zone(core::localTimeZoneName());  // where the learner sits
    auto created = createLearner(create);
    if (!created && created.error().code == grpc::StatusCode::ALREADY_EXISTS)
        return getLearner(get);  // a race: fine
    return created;
}

}  // namespace retain::rpc
