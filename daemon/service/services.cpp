#include "service/services.h"

#include <algorithm>

#include "core/clock.h"
#include "engine/engine.h"
#include "retain/v1/admin.grpc.pb.h"
#include "retain/v1/content_service.grpc.pb.h"
#include "retain/v1/learner.grpc.pb.h"
#include "retain/v1/mock_exam.grpc.pb.h"
#include "retain/v1/progress.grpc.pb.h"
#include "retain/v1/readiness.grpc.pb.h"
#include "retain/v1/study.grpc.pb.h"
#include "retain/v1/sync.grpc.pb.h"
#include "service/sync_services.h"
#include "service/unary.h"

namespace retain::service {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

#define RETAIN_UNARY(Method, Request, Response, body)                                                        \
    ServerUnaryReactor* Method(CallbackServerContext* call, const v1::Request* request,                      \
                               v1::Response* response) override {                                            \
        engine::Engine* e = m_ctx.engine;                                                                    \
        (void)e;                                                                                             \
        return runUnary(                                                                                     \
            m_ctx, call, request, response,                                                                  \
            [ e, this ]([[maybe_unused]] const v1::Request& r, [[maybe_unused]] const Principal& who) body); \
    }

class LearnerServiceImpl final : public v1::LearnerService::CallbackService {
public:
    explicit LearnerServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}
    RETAIN_UNARY(CreateLearner, CreateLearnerRequest, Learner, { return e->createLearner(r); })
    RETAIN_UNARY(GetLearner, GetLearnerRequest, Learner, { return e->getLearner(r.learner()); })
    RETAIN_UNARY(ListLearners, ListLearnersRequest, ListLearnersResponse, {
        auto all = e->listLearners();
        if (!all || who.isAdmin())
            return all;
        // A learner token sees its own learner only.
        auto* learners = all->mutable_learners();
        learners->erase(std::remove_if(learners->begin(), learners->end(),
                                       [&](const v1::Learner& l) { return l.id() != who.learnerId; }),
                        learners->end());
        return all;
    })
    RETAIN_UNARY(UpdateSettings, UpdateSettingsRequest, Learner, { return e->updateSettings(r); })

    ServerUnaryReactor* OptimizeParameters(CallbackServerContext* call,
                                           const v1::OptimizeParametersRequest* request,
                                           v1::OptimizationReport* response) override {
        auto* reactor = call->DefaultReactor();
        if (auto who = admit(m_ctx, call, *request); !who) {
            reactor->Finish(toStatus(who.error()));
            return reactor;
        }
        if (auto invalid = checkLearnerId(request->learner_id())) {
            reactor->Finish(toStatus(*invalid));
            return reactor;
        }
        // Long-running: the fit runs on the daemon's background pool; the reactor finishes when it is done.
        m_ctx.optimize(request->learner_id(), [reactor, response](core::Result<v1::OptimizationReport> r) {
            if (r) {
                *response = std::move(r.value());
                reactor->Finish(grpc::Status::OK);
            } else {
                reactor->Finish(toStatus(r.error()));
            }
        });
        return reactor;
    }

private:
    ServiceContext m_ctx;
};

class ContentServiceImpl final : public v1::ContentService::CallbackService {
public:
    explicit ContentServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}
    RETAIN_UNARY(GetBlueprint, GetBlueprintRequest, Blueprint, { return e->getBlueprint(r.exam_code()); })
    RETAIN_UNARY(ListBlueprints, ListBlueprintsRequest, ListBlueprintsResponse,
                 { return e->listBlueprints(); })
    RETAIN_UNARY(SearchItems, SearchItemsRequest, SearchItemsResponse, { return e->searchItems(r); })
    RETAIN_UNARY(GetItem, GetItemRequest, ItemDetail, { return e->getItem(r); })
    RETAIN_UNARY(SetSuspended, SetSuspendedRequest, ItemDetail, { return e->setSuspended(r); })

private:
    ServiceContext m_ctx;
};

class StudyServiceImpl final : public v1::StudyService::CallbackService {
public:
    explicit StudyServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}
    RETAIN_UNARY(StartSession, StartSessionRequest, Session, { return e->startSession(r); })
    RETAIN_UNARY(NextItem, NextItemRequest, NextItemResponse, { return e->nextItem(r); })
    RETAIN_UNARY(Answer, AnswerRequest, AnswerResponse, { return e->answer(r); })
    RETAIN_UNARY(Undo, UndoRequest, UndoResponse, { return e->undo(r); })
    RETAIN_UNARY(EndSession, EndSessionRequest, SessionSummary, {
        auto summary = e->endSession(r);
        if (summary && m_ctx.sessionEnded)
            m_ctx.sessionEnded(r.learner_id());
        return summary;
    })
    RETAIN_UNARY(GetSessionSummary, GetSessionSummaryRequest, SessionSummary,
                 { return e->sessionSummary(r); })
    RETAIN_UNARY(ImportReviews, ImportReviewsRequest, ImportReviewsResponse, {
        if (auto invalid = checkReviewTimes(r, e->nowMs()))
            return core::Result<v1::ImportReviewsResponse>(*invalid);
        return e->importReviews(r);
    })

private:
    ServiceContext m_ctx;
};

class ProgressServiceImpl final : public v1::ProgressService::CallbackService {
public:
    explicit ProgressServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}
    RETAIN_UNARY(GetMastery, GetMasteryRequest, MasteryReport, { return e->mastery(r.learner_id()); })
    RETAIN_UNARY(GetDueForecast, GetDueForecastRequest, DueForecast,
                 { return e->dueForecast(r.learner_id(), r.days()); })
    RETAIN_UNARY(GetReviewHistory, GetReviewHistoryRequest, ReviewHistory, { return e->reviewHistory(r); })
    RETAIN_UNARY(GetRetention, GetRetentionRequest, RetentionReport, { return e->retention(r.learner_id()); })
    RETAIN_UNARY(GetToday, GetTodayRequest, TodaySummary, { return e->today(r.learner_id()); })

private:
    ServiceContext m_ctx;
};

class ReadinessServiceImpl final : public v1::ReadinessService::CallbackService {
public:
    explicit ReadinessServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}
    RETAIN_UNARY(GetReadiness, GetReadinessRequest, Readiness,
                 { return e->readiness(r.learner_id(), r.date()); })
    RETAIN_UNARY(GetReadinessHistory, GetReadinessHistoryRequest, ReadinessHistory,
                 { return e->readinessHistory(r.learner_id()); })

private:
    ServiceContext m_ctx;
};

class MockExamServiceImpl final : public v1::MockExamService::CallbackService {
public:
    explicit MockExamServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}
    RETAIN_UNARY(StartMock, StartMockRequest, MockExam, { return e->startMock(r); })
    RETAIN_UNARY(GetMock, GetMockRequest, MockExam, { return e->getMock(r.learner_id(), r.mock_id()); })
    RETAIN_UNARY(AnswerMock, AnswerMockRequest, MockExam, { return e->answerMock(r); })
    RETAIN_UNARY(FlagQuestion, FlagQuestionRequest, MockExam, { return e->flagQuestion(r); })
    RETAIN_UNARY(PauseMock, PauseMockRequest, MockExam, { return e->pauseMock(r); })
    RETAIN_UNARY(SubmitMock, SubmitMockRequest, MockReport,
                 { return e->submitMock(r.learner_id(), r.mock_id()); })
    RETAIN_UNARY(GetMockReport, GetMockReportRequest, MockReport,
                 { return e->mockReport(r.learner_id(), r.mock_id()); })
    RETAIN_UNARY(ListMocks, ListMocksRequest, ListMocksResponse, { return e->listMocks(r.learner_id()); })

private:
    ServiceContext m_ctx;
};

class AdminServiceImpl final : public v1::AdminService::CallbackService {
public:
    explicit AdminServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}
    RETAIN_UNARY(GetVersion, GetVersionRequest, VersionInfo, {
        auto v = e->version();
        v.set_simulated_clock(m_ctx.simulatedClock != nullptr);
        return core::Result<v1::VersionInfo>(std::move(v));
    })
    RETAIN_UNARY(Backup, BackupRequest, BackupResponse, { return e->backup(r.path()); })
    RETAIN_UNARY(RebuildDerivedState, RebuildRequest, RebuildResponse, { return e->rebuild(r.learner_id()); })
    RETAIN_UNARY(ReloadContent, ReloadContentRequest, ReloadContentResponse, { return e->reloadContent(); })
    RETAIN_UNARY(SetClock, SetClockRequest, SetClockResponse, {
        if (!m_ctx.simulatedClock)
            return core::Result<v1::SetClockResponse>(core::failedPrecondition(
                "the clock can only be set when retaind runs with --clock=simulated"));
        if (!m_ctx.simulatedClock->set(r.now_ms()))
            return core::Result<v1::SetClockResponse>(
                core::invalidArgument("now_ms: the simulated clock cannot move backwards"));
        v1::SetClockResponse out;
        out.set_now_ms(m_ctx.simulatedClock->nowMs());
        return core::Result<v1::SetClockResponse>(std::move(out));
    })
    RETAIN_UNARY(CreateAccessToken, CreateAccessTokenRequest, CreateAccessTokenResponse, {
        auto issued = e->createAccessToken(r);
        if (!issued)
            return core::Result<v1::CreateAccessTokenResponse>(issued.error());
        m_ctx.access->add(accessEntry(issued->grant));
        return core::Result<v1::CreateAccessTokenResponse>(std::move(issued->response));
    })
    RETAIN_UNARY(ListAccessTokens, ListAccessTokensRequest, ListAccessTokensResponse,
                 { return e->listAccessTokens(); })
    RETAIN_UNARY(RevokeAccessToken, RevokeAccessTokenRequest, RevokeAccessTokenResponse, {
        auto revoked = e->revokeAccessToken(r.prefix());
        if (revoked)
            m_ctx.access->removePrefix(r.prefix());
        return revoked;
    })

private:
    ServiceContext m_ctx;
};

#undef RETAIN_UNARY

AccessControl::Entry accessEntry(const engine::AccessGrant& grant) {
    AccessControl::Entry entry;
    entry.hash = grant.row.hash;
    entry.principal.role = grant.row.learnerId.empty() ? Role::Admin : Role::Learner;
    entry.principal.learnerId = grant.row.learnerId;
    entry.principal.learnerName = grant.learnerName;
    entry.principal.tokenPrefix = grant.row.prefix;
    return entry;
}

std::vector<std::unique_ptr<grpc::Service>> makeServices(const ServiceContext& ctx) {
    std::vector<std::unique_ptr<grpc::Service>> out;
    if (ctx.transport == Transport::Tcp && ctx.syncStore) {
        // A sync server's network port: sync and health (added by the daemon), nothing else.
        addSyncServices(ctx, out);
        return out;
    }
    out.push_back(std::make_unique<LearnerServiceImpl>(ctx));
    out.push_back(std::make_unique<ContentServiceImpl>(ctx));
    out.push_back(std::make_unique<StudyServiceImpl>(ctx));
    out.push_back(std::make_unique<ProgressServiceImpl>(ctx));
    out.push_back(std::make_unique<AdminServiceImpl>(ctx));
    out.push_back(std::make_unique<ReadinessServiceImpl>(ctx));
    out.push_back(std::make_unique<MockExamServiceImpl>(ctx));
    addSyncServices(ctx, out);
    return out;
}

}  // namespace retain::service
