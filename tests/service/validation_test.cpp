// Every RPC with malformed or out-of-range input: INVALID_ARGUMENT (or NOT_FOUND for an unknown
// learner) with a message naming the field, and nothing written.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "support/daemon_fixture.h"

namespace retain::test {
namespace {

struct Case {
    std::string name;
    std::function<rpc::RpcError(rpc::Client&, const std::string& learner, const std::string& session)> call;
    std::string expectedCode;
    std::string field;  // must appear in the message
};

template <typename R>
rpc::RpcError errorOf(const R& reply) {
    return reply ? rpc::RpcError{0, "OK", ""} : reply.error();
}

const std::string kUnknownLearner(32, '9');

std::vector<Case> cases() {
    using C = rpc::Client;
    std::vector<Case> v;
    auto add = [&](std::string name, auto fn, std::string code, std::string field) {
        v.push_back({std::move(name), fn, std::move(code), std::move(field)});
    };
    // Learners.
    add(
        "CreateLearner without a name", [](C& c, auto&, auto&) { return errorOf(c.createLearner({})); },
        "INVALID_ARGUMENT", "name");
    add(
        "CreateLearner with spaces in the name",
        [](C& c, auto&, auto&) {
            v1::CreateLearnerRequest r;
            r.set_name("a b");
            return errorOf(c.createLearner(r));
        },
        "INVALID_ARGUMENT", "name");
    add(
        "CreateLearner with a malformed id",
        [](C& c, auto&, auto&) {
            v1::CreateLearnerRequest r;
            r.set_name("x");
            r.set_id("xyz");
            return errorOf(c.createLearner(r));
        },
        "INVALID_ARGUMENT", "id");
    add(
        "CreateLearner with retention 1.5",
        [](C& c, auto&, auto&) {
            v1::CreateLearnerRequest r;
            r.set_name("x");
            r.mutable_settings()->set_desired_retention(1.5);
            return errorOf(c.createLearner(r));
        },
        "INVALID_ARGUMENT", "settings.desired_retention");
    add(
        "CreateLearner with an unknown time zone",
        [](C& c, auto&, auto&) {
            v1::CreateLearnerRequest r;
            r.set_name("x");
            r.mutable_settings()->set_time_zone("Mars/Base");
            return errorOf(c.createLearner(r));
        },
        "INVALID_ARGUMENT", "settings.time_zone");
    add(
        "GetLearner without a learner", [](C& c, auto&, auto&) { return errorOf(c.getLearner({})); },
        "INVALID_ARGUMENT", "learner");
    add(
        "GetLearner unknown",
        [](C& c, auto&, auto&) {
            v1::GetLearnerRequest r;
            r.set_learner("nobody");
            return errorOf(c.getLearner(r));
        },
        "NOT_FOUND", "nobody");
    add(
        "UpdateSettings without fields",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "fields");
    add(
        "UpdateSettings unknown field",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            r.add_fields("colour");
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "fields");
    add(
        "UpdateSettings bad exam date",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            r.add_fields("exam_date");
            r.mutable_settings()->set_exam_date("2026-02-30");
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "settings.exam_date");
    add(
        "CreateLearner with retention NaN",
        [](C& c, auto&, auto&) {
            v1::CreateLearnerRequest r;
            r.set_name("nan");
            r.mutable_settings()->set_desired_retention(std::nan(""));
            return errorOf(c.createLearner(r));
        },
        "INVALID_ARGUMENT", "settings.desired_retention");
    add(
        "UpdateSettings retention infinite",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            r.add_fields("desired_retention");
            r.mutable_settings()->set_desired_retention(std::numeric_limits<double>::infinity());
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "settings.desired_retention");
    add(
        "Backup path with a NUL byte",
        [](C& c, auto&, auto&) {
            v1::BackupRequest r;
            r.set_path(std::string("/tmp/retain-backup-test\0/../../etc/x", 37));
            return errorOf(c.backup(r));
        },
        "INVALID_ARGUMENT", "path: contains a NUL byte");
    add(
        "Backup into a missing directory",
        [](C& c, auto&, auto&) {
            v1::BackupRequest r;
            r.set_path("/nonexistent-retain-dir/x/backup.db");
            return errorOf(c.backup(r));
        },
        "FAILED_PRECONDITION", "does not exist");
    add(
        "UpdateSettings exam date in the past",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            r.add_fields("exam_date");
            r.mutable_settings()->set_exam_date("2025-01-01");  // the daemon's clock: 2026-05-28
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "settings.exam_date: 2025-01-01 is in the past");
    add(
        "CreateLearner with an exam date in the past",
        [](C& c, auto&, auto&) {
            v1::CreateLearnerRequest r;
            r.set_name("late");
            r.mutable_settings()->set_exam_date("2025-01-01");
            return errorOf(c.createLearner(r));
        },
        "INVALID_ARGUMENT", "settings.exam_date: 2025-01-01 is in the past");
    add(
        "CreateLearner for an exam the content does not have",
        [](C& c, auto&, auto&) {
            v1::CreateLearnerRequest r;
            r.set_name("nope");
            r.mutable_settings()->set_exam_code("../NOPE");
            return errorOf(c.createLearner(r));
        },
        "INVALID_ARGUMENT", "settings.exam_code");
    add(
        "UpdateSettings with a field named twice",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            for (int i = 0; i < 100000; ++i)
                r.add_fields("display_name");
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "fields");
    add(
        "UpdateSettings rollover 24",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            r.add_fields("day_rollover_hour");
            r.mutable_settings()->set_day_rollover_hour(24);
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "settings.day_rollover_hour");
    add(
        "UpdateSettings minutes 0",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            r.add_fields("minutes_per_day");
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "settings.minutes_per_day");
    add(
        "UpdateSettings unknown exam",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            r.add_fields("exam_code");
            r.mutable_settings()->set_exam_code("NOPE-01");
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "settings.exam_code");
    add(
        "UpdateSettings unknown learner",
        [](C& c, auto&, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(kUnknownLearner);
            r.add_fields("minutes_per_day");
            r.mutable_settings()->set_minutes_per_day(5);
            return errorOf(c.updateSettings(r));
        },
        "NOT_FOUND", "learner");
    // Content.
    add(
        "GetBlueprint without code", [](C& c, auto&, auto&) { return errorOf(c.getBlueprint({})); },
        "INVALID_ARGUMENT", "exam_code");
    add(
        "GetBlueprint unknown",
        [](C& c, auto&, auto&) {
            v1::GetBlueprintRequest r;
            r.set_exam_code("NOPE");
            return errorOf(c.getBlueprint(r));
        },
        "NOT_FOUND", "NOPE");
    add(
        "SearchItems page too large",
        [](C& c, auto&, auto&) {
            v1::SearchItemsRequest r;
            r.set_page_size(501);
            return errorOf(c.searchItems(r));
        },
        "INVALID_ARGUMENT", "page_size");
    add(
        "SearchItems bad page token",
        [](C& c, auto&, auto&) {
            v1::SearchItemsRequest r;
            r.set_page_token("abc");
            return errorOf(c.searchItems(r));
        },
        "INVALID_ARGUMENT", "page_token");
    add(
        "SearchItems state without learner",
        [](C& c, auto&, auto&) {
            v1::SearchItemsRequest r;
            r.set_state(v1::DUE);
            return errorOf(c.searchItems(r));
        },
        "INVALID_ARGUMENT", "state");
    add(
        "SearchItems bad learner id",
        [](C& c, auto&, auto&) {
            v1::SearchItemsRequest r;
            r.set_learner_id("me");
            return errorOf(c.searchItems(r));
        },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "GetItem without id", [](C& c, auto&, auto&) { return errorOf(c.getItem({})); }, "INVALID_ARGUMENT",
        "item_id");
    add(
        "GetItem unknown",
        [](C& c, auto&, auto&) {
            v1::GetItemRequest r;
            r.set_item_id("9.9-fc-none");
            return errorOf(c.getItem(r));
        },
        "NOT_FOUND", "9.9-fc-none");
    add(
        "SetSuspended unknown item",
        [](C& c, auto& l, auto&) {
            v1::SetSuspendedRequest r;
            r.set_learner_id(l);
            r.set_item_id("nope");
            r.set_suspended(true);
            return errorOf(c.setSuspended(r));
        },
        "NOT_FOUND", "nope");
    add(
        "SetSuspended unknown learner",
        [](C& c, auto&, auto&) {
            v1::SetSuspendedRequest r;
            r.set_learner_id(kUnknownLearner);
            r.set_item_id("1.1-fc-card1");
            return errorOf(c.setSuspended(r));
        },
        "NOT_FOUND", "learner");
    // Study.
    add(
        "StartSession without learner", [](C& c, auto&, auto&) { return errorOf(c.startSession({})); },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "StartSession mock mode",
        [](C& c, auto& l, auto&) {
            v1::StartSessionRequest r;
            r.set_learner_id(l);
            r.set_mode(v1::MOCK_EXAM);
            return errorOf(c.startSession(r));
        },
        "INVALID_ARGUMENT", "mode");
    add(
        "StartSession drill without scope",
        [](C& c, auto& l, auto&) {
            v1::StartSessionRequest r;
            r.set_learner_id(l);
            r.set_mode(v1::DRILL);
            return errorOf(c.startSession(r));
        },
        "INVALID_ARGUMENT", "scope");
    add(
        "StartSession drill unknown scope",
        [](C& c, auto& l, auto&) {
            v1::StartSessionRequest r;
            r.set_learner_id(l);
            r.set_mode(v1::DRILL);
            r.set_scope("7.7");
            return errorOf(c.startSession(r));
        },
        "INVALID_ARGUMENT", "scope");
    add(
        "StartSession 601 minutes",
        [](C& c, auto& l, auto&) {
            v1::StartSessionRequest r;
            r.set_learner_id(l);
            r.set_minutes(601);
            return errorOf(c.startSession(r));
        },
        "INVALID_ARGUMENT", "minutes");
    add(
        "StartSession unknown learner",
        [](C& c, auto&, auto&) {
            v1::StartSessionRequest r;
            r.set_learner_id(kUnknownLearner);
            return errorOf(c.startSession(r));
        },
        "NOT_FOUND", "learner");
    add(
        "NextItem bad session id",
        [](C& c, auto& l, auto&) {
            v1::NextItemRequest r;
            r.set_learner_id(l);
            r.set_session_id("s1");
            return errorOf(c.nextItem(r));
        },
        "INVALID_ARGUMENT", "session_id");
    add(
        "NextItem unknown session",
        [](C& c, auto& l, auto&) {
            v1::NextItemRequest r;
            r.set_learner_id(l);
            r.set_session_id(std::string(16, 'f'));
            return errorOf(c.nextItem(r));
        },
        "NOT_FOUND", "session");
    add(
        "Answer without response time",
        [](C& c, auto& l, auto& s) {
            v1::AnswerRequest r;
            r.set_learner_id(l);
            r.set_session_id(s);
            r.set_item_id("1.1-fc-card1");
            r.set_rating(v1::GOOD);
            return errorOf(c.answer(r));
        },
        "INVALID_ARGUMENT", "response_ms");
    add(
        "Answer rating out of range",
        [](C& c, auto& l, auto& s) {
            v1::AnswerRequest r;
            r.set_learner_id(l);
            r.set_session_id(s);
            r.set_item_id("1.1-fc-card1");
            r.set_rating(static_cast<v1::Rating>(9));
            r.set_response_ms(100);
            return errorOf(c.answer(r));
        },
        "INVALID_ARGUMENT", "rating");
    add(
        "Answer without item",
        [](C& c, auto& l, auto& s) {
            v1::AnswerRequest r;
            r.set_learner_id(l);
            r.set_session_id(s);
            r.set_response_ms(100);
            return errorOf(c.answer(r));
        },
        "INVALID_ARGUMENT", "item_id");
    add(
        "Answer unknown item",
        [](C& c, auto& l, auto& s) {
            v1::AnswerRequest r;
            r.set_learner_id(l);
            r.set_session_id(s);
            r.set_item_id("nope");
            r.set_rating(v1::GOOD);
            r.set_response_ms(100);
            return errorOf(c.answer(r));
        },
        "NOT_FOUND", "nope");
    add(
        "Undo bad event id",
        [](C& c, auto& l, auto& s) {
            v1::UndoRequest r;
            r.set_learner_id(l);
            r.set_session_id(s);
            r.set_answer_event_id("last");
            return errorOf(c.undo(r));
        },
        "INVALID_ARGUMENT", "answer_event_id");
    add(
        "EndSession without session",
        [](C& c, auto& l, auto&) {
            v1::EndSessionRequest r;
            r.set_learner_id(l);
            return errorOf(c.endSession(r));
        },
        "INVALID_ARGUMENT", "session_id");
    add(
        "GetSessionSummary unknown learner",
        [](C& c, auto&, auto& s) {
            v1::GetSessionSummaryRequest r;
            r.set_learner_id(kUnknownLearner);
            r.set_session_id(s);
            return errorOf(c.sessionSummary(r));
        },
        "NOT_FOUND", "learner");
    // Progress.
    add(
        "GetMastery without learner", [](C& c, auto&, auto&) { return errorOf(c.mastery({})); },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "GetDueForecast 400 days",
        [](C& c, auto& l, auto&) {
            v1::GetDueForecastRequest r;
            r.set_learner_id(l);
            r.set_days(400);
            return errorOf(c.dueForecast(r));
        },
        "INVALID_ARGUMENT", "days");
    add(
        "GetReviewHistory bad date",
        [](C& c, auto& l, auto&) {
            v1::GetReviewHistoryRequest r;
            r.set_learner_id(l);
            r.set_from_date("yesterday");
            return errorOf(c.reviewHistory(r));
        },
        "INVALID_ARGUMENT", "from_date");
    add(
        "GetReviewHistory reversed range",
        [](C& c, auto& l, auto&) {
            v1::GetReviewHistoryRequest r;
            r.set_learner_id(l);
            r.set_from_date("2026-02-01");
            r.set_to_date("2026-01-01");
            return errorOf(c.reviewHistory(r));
        },
        "INVALID_ARGUMENT", "from_date");
    add(
        "GetRetention unknown learner",
        [](C& c, auto&, auto&) {
            v1::GetRetentionRequest r;
            r.set_learner_id(kUnknownLearner);
            return errorOf(c.retention(r));
        },
        "NOT_FOUND", "learner");
    add(
        "GetToday malformed learner",
        [](C& c, auto&, auto&) {
            v1::GetTodayRequest r;
            r.set_learner_id("default");
            return errorOf(c.today(r));
        },
        "INVALID_ARGUMENT", "learner_id");
    // Readiness.
    add(
        "GetReadiness bad date",
        [](C& c, auto& l, auto&) {
            v1::GetReadinessRequest r;
            r.set_learner_id(l);
            r.set_date("2026-13-01");
            return errorOf(c.readiness(r));
        },
        "INVALID_ARGUMENT", "date");
    add(
        "GetReadiness past date",
        [](C& c, auto& l, auto&) {
            v1::GetReadinessRequest r;
            r.set_learner_id(l);
            r.set_date("2020-01-01");
            return errorOf(c.readiness(r));
        },
        "INVALID_ARGUMENT", "date");
    add(
        "GetReadiness unknown learner",
        [](C& c, auto&, auto&) {
            v1::GetReadinessRequest r;
            r.set_learner_id(kUnknownLearner);
            return errorOf(c.readiness(r));
        },
        "NOT_FOUND", "learner");
    add(
        "GetReadinessHistory without learner",
        [](C& c, auto&, auto&) { return errorOf(c.readinessHistory({})); }, "INVALID_ARGUMENT", "learner_id");
    // Mock exams.
    add(
        "StartMock too many questions",
        [](C& c, auto& l, auto&) {
            v1::StartMockRequest r;
            r.set_learner_id(l);
            r.set_questions(9999);
            return errorOf(c.startMock(r));
        },
        "INVALID_ARGUMENT", "questions");
    add(
        "StartMock unknown learner",
        [](C& c, auto&, auto&) {
            v1::StartMockRequest r;
            r.set_learner_id(kUnknownLearner);
            return errorOf(c.startMock(r));
        },
        "NOT_FOUND", "learner");
    add(
        "GetMock malformed id",
        [](C& c, auto& l, auto&) {
            v1::GetMockRequest r;
            r.set_learner_id(l);
            r.set_mock_id("m1");
            return errorOf(c.getMock(r));
        },
        "INVALID_ARGUMENT", "mock_id");
    add(
        "AnswerMock question 0",
        [](C& c, auto& l, auto&) {
            v1::AnswerMockRequest r;
            r.set_learner_id(l);
            r.set_mock_id(std::string(16, 'a'));
            return errorOf(c.answerMock(r));
        },
        "INVALID_ARGUMENT", "number");
    add(
        "FlagQuestion unknown mock",
        [](C& c, auto& l, auto&) {
            v1::FlagQuestionRequest r;
            r.set_learner_id(l);
            r.set_mock_id(std::string(16, 'a'));
            r.set_number(1);
            return errorOf(c.flagQuestion(r));
        },
        "NOT_FOUND", "mock");
    add(
        "SubmitMock without mock",
        [](C& c, auto& l, auto&) {
            v1::SubmitMockRequest r;
            r.set_learner_id(l);
            return errorOf(c.submitMock(r));
        },
        "INVALID_ARGUMENT", "mock_id");
    add(
        "GetMockReport unknown mock",
        [](C& c, auto& l, auto&) {
            v1::GetMockReportRequest r;
            r.set_learner_id(l);
            r.set_mock_id(std::string(16, 'b'));
            return errorOf(c.mockReport(r));
        },
        "NOT_FOUND", "mock");
    add(
        "ListMocks without learner", [](C& c, auto&, auto&) { return errorOf(c.listMocks({})); },
        "INVALID_ARGUMENT", "learner_id");
    // Admin.
    add(
        "Backup relative path",
        [](C& c, auto&, auto&) {
            v1::BackupRequest r;
            r.set_path("backup.db");
            return errorOf(c.backup(r));
        },
        "INVALID_ARGUMENT", "path");
    add(
        "Backup without path", [](C& c, auto&, auto&) { return errorOf(c.backup({})); }, "INVALID_ARGUMENT",
        "path");
    add(
        "Rebuild malformed learner",
        [](C& c, auto&, auto&) {
            v1::RebuildRequest r;
            r.set_learner_id("x");
            return errorOf(c.rebuild(r));
        },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "SetClock negative",
        [](C& c, auto&, auto&) {
            v1::SetClockRequest r;
            r.set_now_ms(-5);
            return errorOf(c.setClock(r));
        },
        "INVALID_ARGUMENT", "now_ms");
    add(
        "SetClock backwards",
        [](C& c, auto&, auto&) {
            v1::SetClockRequest r;
            r.set_now_ms(1000);
            return errorOf(c.setClock(r));
        },
        "INVALID_ARGUMENT", "now_ms");
    return v;
}

class Validation : public DaemonTest {};

uint64_t totalEvents(rpc::Client& c) {
    auto all = c.listLearners();
    uint64_t n = 0;
    for (const auto& l : all->learners())
        n += l.event_count();
    return n + static_cast<uint64_t>(all->learners_size()) * 1000000;
}

TEST_F(Validation, everyRpcRejectsBadInputNamingTheFieldAndWritesNothing) {
    const std::string learner = learnerId();
    v1::StartSessionRequest start;
    start.set_learner_id(learner);
    auto session = m_client->startSession(start);
    ASSERT_TRUE(session);
    const auto cs = cases();
    EXPECT_GE(cs.size(), 45u);
    for (const auto& c : cs) {
        const uint64_t before = totalEvents(*m_client);
        const auto err = c.call(*m_client, learner, session->id());
        EXPECT_EQ(err.codeName, c.expectedCode) << c.name << ": " << err.message;
        EXPECT_NE(err.message.find(c.field), std::string::npos)
            << c.name << ": message \"" << err.message << "\" does not name " << c.field;
        EXPECT_EQ(totalEvents(*m_client), before) << c.name << " wrote something";
    }
}

TEST_F(Validation, aMultipleResponseAnswerMayNotChooseMoreOptionsThanItAsksFor) {
    const std::string learner = learnerId();
    v1::StartSessionRequest start;
    start.set_learner_id(learner);
    start.set_mode(v1::DRILL);
    start.set_scope("1.1");
    auto session = m_client->startSession(start);
    ASSERT_TRUE(session) << session.error().format();
    v1::NextItemRequest next;
    next.set_learner_id(learner);
    next.set_session_id(session->id());
    for (int i = 0; i < 20; ++i) {
        auto item = m_client->nextItem(next);
        ASSERT_TRUE(item) << item.error().format();
        ASSERT_FALSE(item->finished()) << "the drill never showed 1.1-mr-multi";
        v1::AnswerRequest a;
        a.set_learner_id(learner);
        a.set_session_id(session->id());
        a.set_item_id(item->item().id());
        a.set_response_ms(1000);
        if (item->item().kind() == v1::MULTIPLE_RESPONSE) {
            ASSERT_EQ(item->item().choose(), 2u);
            for (uint32_t o : {0u, 1u, 2u})
                a.add_chosen_options(o);
            auto tooMany = m_client->answer(a);
            ASSERT_FALSE(tooMany);
            EXPECT_EQ(tooMany.error().codeName, "INVALID_ARGUMENT");
            EXPECT_NE(tooMany.error().message.find("asks for 2 options; 3 were chosen"), std::string::npos)
                << tooMany.error().message;
            return;
        }
        if (item->item().kind() == v1::FLASHCARD)
            a.set_rating(v1::GOOD);
        else
            a.add_chosen_options(0);
        ASSERT_TRUE(m_client->answer(a));
    }
    FAIL() << "no multiple-response item in 20 drill items";
}

TEST_F(Validation, aFlashcardAnswerNeedsAGradeAndTheCurrentItem) {
    const std::string learner = learnerId();
    v1::StartSessionRequest start;
    start.set_learner_id(learner);
    auto session = m_client->startSession(start);
    ASSERT_TRUE(session);
    v1::NextItemRequest next;
    next.set_learner_id(learner);
    next.set_session_id(session->id());
    auto item = m_client->nextItem(next);
    ASSERT_TRUE(item);
    ASSERT_FALSE(item->finished());
    v1::AnswerRequest a;
    a.set_learner_id(learner);
    a.set_session_id(session->id());
    a.set_item_id(item->item().id() == "1.1-fc-card1" ? "1.1-fc-card2" : "1.1-fc-card1");
    a.set_rating(v1::GOOD);
    a.set_response_ms(1000);
    auto wrongItem = m_client->answer(a);
    ASSERT_FALSE(wrongItem);
    EXPECT_EQ(wrongItem.error().codeName, "FAILED_PRECONDITION");
    a.set_item_id(item->item().id());
    if (item->item().kind() == v1::FLASHCARD) {
        a.set_rating(v1::RATING_UNSPECIFIED);
        auto noGrade = m_client->answer(a);
        ASSERT_FALSE(noGrade);
        EXPECT_NE(noGrade.error().message.find("rating"), std::string::npos);
    } else {
        a.add_chosen_options(99);
        auto badOption = m_client->answer(a);
        ASSERT_FALSE(badOption);
        EXPECT_NE(badOption.error().message.find("chosen_options"), std::string::npos);
    }
}

}  // namespace
}  // namespace retain::test
