#pragma once
// The engine: a daemon's learners, their folded models, study sessions and the durable event log,
// behind one synchronous API that speaks the retain.v1 messages (no gRPC types). Not thread-safe by
// design: the daemon calls it only from its single write strand, so the models need no locks and
// every write is ordered.

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/content_pack.h"
#include "core/fsrs_personalization.h"
#include "core/knowledge_model.h"
#include "core/learner_model.h"
#include "core/mock_exam.h"
#include "core/result.h"
#include "core/session_planner.h"
#include "retain/v1/admin.pb.h"
#include "retain/v1/content_service.pb.h"
#include "retain/v1/learner.pb.h"
#include "retain/v1/mock_exam.pb.h"
#include "retain/v1/progress.pb.h"
#include "retain/v1/readiness.pb.h"
#include "retain/v1/study.pb.h"
#include "storage/access_tokens.h"
#include "storage/event_store.h"

namespace retain::engine {

namespace v1 = ::retain::v1;
using core::Result;

struct EngineConfig {
    std::string dataDir;
    std::string contentDir;
    std::string mode = "local";  // or "sync-server"
    std::string version;
};

// A session being studied (ephemeral; its answers and boundaries are in the log).
struct OpenSession {
    v1::Session info;
    core::SessionPlan plan;
    size_t cursor = 0;
    // Items to show again this session: answered AGAIN (after a few other items) or undone (next).
    struct Requeued {
        size_t item = 0;
        uint32_t notBefore = 0;  // presentations that must happen first
    };
    std::vector<Requeued> requeue;
    std::map<size_t, int> relearnCount;  // AGAIN re-shows per item, capped
    uint32_t presented = 0;
    std::optional<size_t> current;      // item presented and not yet answered
    std::vector<std::string> answers;   // answer event ids of this session, in order
    std::vector<double> masteryBefore;  // per task statement, at start
    double minutesBudget = 20;
    bool ended = false;
    int64_t endedMs = 0;
};

// A mock exam being taken (ephemeral until submitted; then its answers and result are events).
struct MockState {
    std::string id;
    std::vector<core::FormQuestion> form;
    std::vector<std::vector<uint32_t>> chosen;
    std::vector<bool> flagged;
    int64_t startedMs = 0;
    int64_t limitSeconds = 0;
    int64_t pausedTotalMs = 0;
    std::optional<int64_t> pausedAt;
    bool examConditions = true;
};

// An access token's grant as the daemon keeps it (the text itself is never stored).
struct AccessGrant {
    storage::AccessTokenRow row;
    std::string learnerName;  // empty for an admin token
};
struct IssuedAccessToken {
    v1::CreateAccessTokenResponse response;  // holds the token text, shown once
    AccessGrant grant;
};

struct LearnerSlot {
    explicit LearnerSlot(std::string id, const core::ContentPack* pack) : model(std::move(id), pack) {}
    core::LearnerModel model;
    std::unique_ptr<core::KnowledgeModel> knowledge;  // rebuilt lazily when null
    std::map<std::string, OpenSession> sessions;
    std::string openSession;
    std::map<std::string, MockState> mocks;  // not yet submitted
    // Personal parameters: answers counted at the last fit, and whether one is running.
    uint64_t optimizedAtAnswers = 0;
    bool optimizing = false;
};

// A snapshot of what fitting personal parameters needs, taken on the strand, used on a worker thread.
struct OptimizationJob {
    std::string learnerId;
    std::vector<core::ReviewLogRecord> reviews;
    core::StudyDayBoundary boundary;
    core::FsrsParameters current;
};

class Engine {
public:
    // Opens the database under config.dataDir and folds every learner's log. `pack` must be loaded.
    static Result<std::unique_ptr<Engine>> open(const EngineConfig& config, core::ContentPack pack,
                                                const core::Clock& clock);
    ~Engine();

    // Learners.
    Result<v1::Learner> createLearner(const v1::CreateLearnerRequest& request);
    Result<v1::Learner> getLearner(const std::string& idOrName);
    Result<v1::ListLearnersResponse> listLearners();
    Result<v1::Learner> updateSettings(const v1::UpdateSettingsRequest& request);

    // Content.
    Result<v1::Blueprint> getBlueprint(const std::string& code);
    Result<v1::ListBlueprintsResponse> listBlueprints();
    Result<v1::SearchItemsResponse> searchItems(const v1::SearchItemsRequest& request);
    Result<v1::ItemDetail> getItem(const v1::GetItemRequest& request);
    Result<v1::ItemDetail> setSuspended(const v1::SetSuspendedRequest& request);

    // Study.
    Result<v1::Session> startSession(const v1::StartSessionRequest& request);
    Result<v1::NextItemResponse> nextItem(const v1::NextItemRequest& request);
    Result<v1::AnswerResponse> answer(const v1::AnswerRequest& request);
    Result<v1::UndoResponse> undo(const v1::UndoRequest& request);
    Result<v1::SessionSummary> endSession(const v1::EndSessionRequest& request);
    Result<v1::SessionSummary> sessionSummary(const v1::GetSessionSummaryRequest& request);
    Result<v1::ImportReviewsResponse> importReviews(const v1::ImportReviewsRequest& request);

    // Progress.
    Result<v1::TodaySummary> today(const std::string& learnerId);
    Result<v1::MasteryReport> mastery(const std::string& learnerId);
    Result<v1::DueForecast> dueForecast(const std::string& learnerId, uint32_t days);
    Result<v1::ReviewHistory> reviewHistory(const v1::GetReviewHistoryRequest& request);
    Result<v1::RetentionReport> retention(const std::string& learnerId);

    // Mock exams.
    Result<v1::MockExam> startMock(const v1::StartMockRequest& request);
    Result<v1::MockExam> getMock(const std::string& learnerId, const std::string& mockId);
    Result<v1::MockExam> answerMock(const v1::AnswerMockRequest& request);
    Result<v1::MockExam> flagQuestion(const v1::FlagQuestionRequest& request);
    Result<v1::MockExam> pauseMock(const v1::PauseMockRequest& request);
    Result<v1::MockReport> submitMock(const std::string& learnerId, const std::string& mockId);
    Result<v1::MockReport> mockReport(const std::string& learnerId, const std::string& mockId);
    Result<v1::ListMocksResponse> listMocks(const std::string& learnerId);

    // Readiness: the chance of passing on a date (default: the exam date, else today), and its history.
    Result<v1::Readiness> readiness(const std::string& learnerId, const std::string& date);
    Result<v1::ReadinessHistory> readinessHistory(const std::string& learnerId);

    // Personal FSRS parameters: prepare on the strand, run core::personalizeFsrs elsewhere, finish on
    // the strand (which writes a ParametersAdopted event when the fit wins).
    Result<OptimizationJob> prepareOptimization(const std::string& learnerId);
    Result<v1::OptimizationReport> finishOptimization(const std::string& learnerId,
                                                      const Result<core::PersonalizationResult>& result);
    // Called (on the strand) when a learner's history has grown enough for an automatic fit.
    void setOptimizationTrigger(std::function<void(const std::string&)> trigger) {
        m_trigger = std::move(trigger);
    }

    // Admin.
    v1::VersionInfo version() const;
    Result<v1::BackupResponse> backup(const std::string& path);
    Result<v1::RebuildResponse> rebuild(const std::string& learnerId);
    Result<v1::ReloadContentResponse> reloadContent();
    // Access tokens for TCP clients (engine_access.cpp).
    Result<IssuedAccessToken> createAccessToken(const v1::CreateAccessTokenRequest& request);
    Result<std::vector<AccessGrant>> accessGrants();
    Result<v1::ListAccessTokensResponse> listAccessTokens();
    Result<v1::RevokeAccessTokenResponse> revokeAccessToken(const std::string& prefix);
    // Moves committed WAL pages into the database file (PASSIVE: never blocks readers or writers), so
    // the WAL stays small and start-up recovery short. Called by the daemon's periodic timer.
    core::Status checkpoint();

    // A learner known from elsewhere (sync: a new machine joining), registered with an empty log that
    // sync then fills. Nothing happens when the learner exists.
    core::Status adoptLearner(const std::string& learnerId, const std::string& name);
    // Appends events durably and folds them (import, sync). Events of unknown learners are refused.
    Result<storage::AppendResult> ingest(const std::vector<v1::Event>& events);

    const core::ContentPack& content() const { return *m_pack; }
    core::HybridClock& hlc() { return m_hlc; }
    int64_t nowMs() const { return m_clock.nowMs(); }
    const std::string& replicaId() const { return m_replicaId; }
    // The sequence of this replica's latest event id; raiseSequence() makes new ids start above `n`
    // (sync: the server holds events of ours this database lacks, e.g. after restoring a backup).
    uint64_t sequence() const { return m_sequence; }
    void raiseSequence(uint64_t n) { m_sequence = std::max(m_sequence, n); }
    storage::EventStore& store() { return *m_store; }
    LearnerSlot* slot(const std::string& learnerId);

private:
    Engine(const EngineConfig& config, core::ContentPack pack, const core::Clock& clock);
    Result<LearnerSlot*> requireLearner(const std::string& learnerId);
    // Builds an event for a learner with a fresh id and timestamp (not yet written).
    v1::Event newEvent(const std::string& learnerId);
    // Writes events durably, then folds them into the learner's model.
    core::Status commit(LearnerSlot& slot, std::vector<v1::Event> events);
    core::KnowledgeModel& knowledge(LearnerSlot& slot);
    v1::Learner describe(const LearnerSlot& slot) const;
    void fillMemory(const LearnerSlot& slot, const core::ItemTrack* track, v1::ItemMemory* out) const;
    Result<OpenSession*> requireSession(LearnerSlot& slot, const std::string& sessionId);
    v1::SessionSummary summarize(LearnerSlot& slot, const OpenSession& session);
    Result<MockState*> openMock(LearnerSlot& slot, const std::string& mockId);  // times out an expired mock
    v1::MockExam describeMock(const MockState& mock, const std::string& learnerId) const;
    Result<v1::MockReport> finishMock(LearnerSlot& slot, const std::string& mockId, bool timedOut);
    core::Status loadLearners();
    void maybeTriggerOptimization(LearnerSlot& slot);
    std::function<void(const std::string&)> m_trigger;

    EngineConfig m_config;
    std::unique_ptr<core::ContentPack> m_pack;
    std::vector<std::unique_ptr<core::ContentPack>> m_retiredPacks;  // kept alive: models may point into them
    const core::Clock& m_clock;
    core::HybridClock m_hlc;
    std::unique_ptr<storage::EventStore> m_store;
    std::string m_replicaId;
    uint64_t m_sequence = 0;
    int64_t m_startedMs = 0;
    std::unordered_map<std::string, std::unique_ptr<LearnerSlot>> m_learners;
};

}  // namespace retain::engine
