// Every RPC with malformed or out-of-range input: INVALID_ARGUMENT (or NOT_FOUND for an unknown
// learner) with a message naming the field, and nothing written. The table covers every RPC the daemon
// serves to its owner (checked against the protocol's descriptors); SyncService and SyncAccountService,
// served only by a daemon in sync-server mode, have their table in tests/sync/sync_validation_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <iostream>
#include <limits>
#include <set>

#include "support/bad_input.h"
#include "support/daemon_fixture.h"

namespace retain::test {
namespace {

struct Case {
    std::string name;  // starts with the RPC's method name: "CreateLearner without a name"
    std::function<rpc::RpcError(rpc::Client&, const std::string& learner, const std::string& session)> call;
    std::string expectedCode;
    std::string field;   // the field (or, for NOT_FOUND, the kind of thing) the message names: see
                         // messageNamesField() for the exact rule
    std::string detail;  // and, when set, something else the message must say
};

template <typename R>
rpc::RpcError errorOf(const R& reply) {
    return reply ? rpc::RpcError{0, "OK", ""} : reply.error();
}

const std::string kUnknownLearner(32, '9');

std::vector<Case> cases() {
    using C = rpc::Client;
    std::vector<Case> v;
    auto add = [&](std::string name, auto fn, std::string code, std::string field, std::string detail = {}) {
        v.push_back({std::move(name), fn, std::move(code), std::move(field), std::move(detail)});
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
        "NOT_FOUND", "learner", "\"nobody\"");
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
        "INVALID_ARGUMENT", "path", "contains a NUL byte");
    add(
        "Backup into a missing directory",
        [](C& c, auto&, auto&) {
            v1::BackupRequest r;
            r.set_path("/nonexistent-retain-dir/x/backup.db");
            return errorOf(c.backup(r));
        },
        "FAILED_PRECONDITION", "directory", "/nonexistent-retain-dir/x does not exist");
    add(
        "UpdateSettings exam date in the past",
        [](C& c, auto& l, auto&) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(l);
            r.add_fields("exam_date");
            r.mutable_settings()->set_exam_date("2025-01-01");  // the daemon's clock: 2026-05-28
            return errorOf(c.updateSettings(r));
        },
        "INVALID_ARGUMENT", "settings.exam_date", "2025-01-01 is in the past");
    add(
        "CreateLearner with an exam date in the past",
        [](C& c, auto&, auto&) {
            v1::CreateLearnerRequest r;
            r.set_name("late");
            r.mutable_settings()->set_exam_date("2025-01-01");
            return errorOf(c.createLearner(r));
        },
        "INVALID_ARGUMENT", "settings.exam_date", "2025-01-01 is in the past");
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
    add(
        "OptimizeParameters without a learner",
        [](C& c, auto&, auto&) { return errorOf(c.optimizeParameters({})); }, "INVALID_ARGUMENT",
        "learner_id", "is required");
    add(
        "OptimizeParameters with a learner name for an id",
        [](C& c, auto&, auto&) {
            v1::OptimizeParametersRequest r;
            r.set_learner_id("default");
            return errorOf(c.optimizeParameters(r));
        },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "OptimizeParameters unknown learner",
        [](C& c, auto&, auto&) {
            v1::OptimizeParametersRequest r;
            r.set_learner_id(kUnknownLearner);
            return errorOf(c.optimizeParameters(r));
        },
        "NOT_FOUND", "learner", kUnknownLearner);
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
        "NOT_FOUND", "exam", "\"NOPE\"");
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
        "NOT_FOUND", "item", "\"9.9-fc-none\"");
    add(
        "GetItem malformed learner",
        [](C& c, auto&, auto&) {
            v1::GetItemRequest r;
            r.set_item_id("1.1-fc-card1");
            r.set_learner_id("default");
            return errorOf(c.getItem(r));
        },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "SetSuspended without item",
        [](C& c, auto& l, auto&) {
            v1::SetSuspendedRequest r;
            r.set_learner_id(l);
            r.set_suspended(true);
            return errorOf(c.setSuspended(r));
        },
        "INVALID_ARGUMENT", "item_id");
    add(
        "SetSuspended unknown item",
        [](C& c, auto& l, auto&) {
            v1::SetSuspendedRequest r;
            r.set_learner_id(l);
            r.set_item_id("nope");
            r.set_suspended(true);
            return errorOf(c.setSuspended(r));
        },
        "NOT_FOUND", "item", "\"nope\"");
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
        "NOT_FOUND", "item", "\"nope\"");
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
    auto importOne = [](const std::string& learner, std::function<void(v1::ImportedReview&)> spoil) {
        v1::ImportReviewsRequest r;
        r.set_learner_id(learner);
        auto* good = r.add_reviews();
        good->set_card_id("anki-1");
        good->set_rating(v1::GOOD);
        good->set_time_ms(1'779'000'000'000);  // 12 days before the daemon's clock
        auto* bad = r.add_reviews();
        *bad = *good;
        bad->set_card_id("anki-2");
        spoil(*bad);
        return r;
    };
    add(
        "ImportReviews without learner",
        [=](C& c, auto&, auto&) { return errorOf(c.importReviews(importOne("", [](auto&) {}))); },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "ImportReviews without reviews",
        [](C& c, auto& l, auto&) {
            v1::ImportReviewsRequest r;
            r.set_learner_id(l);
            return errorOf(c.importReviews(r));
        },
        "INVALID_ARGUMENT", "reviews");
    add(
        "ImportReviews 5001 reviews",
        [=](C& c, auto& l, auto&) {
            auto r = importOne(l, [](auto&) {});
            while (r.reviews_size() < 5001)
                *r.add_reviews() = r.reviews(0);
            return errorOf(c.importReviews(r));
        },
        "INVALID_ARGUMENT", "reviews");
    add(
        "ImportReviews card without id",
        [=](C& c, auto& l, auto&) {
            return errorOf(c.importReviews(importOne(l, [](auto& rv) { rv.clear_card_id(); })));
        },
        "INVALID_ARGUMENT", "reviews[1].card_id");
    add(
        "ImportReviews card id with a newline",
        [=](C& c, auto& l, auto&) {
            return errorOf(c.importReviews(importOne(l, [](auto& rv) { rv.set_card_id("a\nb"); })));
        },
        "INVALID_ARGUMENT", "reviews[1].card_id");
    add(
        "ImportReviews rating 0",
        [=](C& c, auto& l, auto&) {
            return errorOf(
                c.importReviews(importOne(l, [](auto& rv) { rv.set_rating(v1::RATING_UNSPECIFIED); })));
        },
        "INVALID_ARGUMENT", "reviews[1].rating");
    add(
        "ImportReviews review in 1970",
        [=](C& c, auto& l, auto&) {
            return errorOf(c.importReviews(importOne(l, [](auto& rv) { rv.set_time_ms(5); })));
        },
        "INVALID_ARGUMENT", "reviews[1].time_ms");
    add(
        "ImportReviews review after the daemon's today",
        [=](C& c, auto& l, auto&) {
            // The daemon's (simulated) clock says 2026-05-28: a review dated a week later has not happened,
            // whatever the machine's clock says.
            return errorOf(c.importReviews(
                importOne(l, [](auto& rv) { rv.set_time_ms(1'780'000'000'000 + 7 * 86'400'000); })));
        },
        "INVALID_ARGUMENT", "reviews[1].time_ms");
    add(
        "ImportReviews review lasting two days",
        [=](C& c, auto& l, auto&) {
            return errorOf(
                c.importReviews(importOne(l, [](auto& rv) { rv.set_duration_ms(2 * 86'400'000); })));
        },
        "INVALID_ARGUMENT", "reviews[1].duration_ms");
    add(
        "ImportReviews unknown learner",
        [=](C& c, auto&, auto&) {
            return errorOf(c.importReviews(importOne(kUnknownLearner, [](auto&) {})));
        },
        "NOT_FOUND", "learner", kUnknownLearner);
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
    add(
        "StartMock unknown exam",
        [](C& c, auto& l, auto&) {
            v1::StartMockRequest r;
            r.set_learner_id(l);
            r.set_exam_code("NOPE-01");
            return errorOf(c.startMock(r));
        },
        "NOT_FOUND", "exam", "\"NOPE-01\"");
    add(
        "StartMock 601 minutes",
        [](C& c, auto& l, auto&) {
            v1::StartMockRequest r;
            r.set_learner_id(l);
            r.set_minutes(601);
            return errorOf(c.startMock(r));
        },
        "INVALID_ARGUMENT", "minutes");
    add(
        "AnswerMock 21 options",
        [](C& c, auto& l, auto&) {
            v1::AnswerMockRequest r;
            r.set_learner_id(l);
            r.set_mock_id(std::string(16, 'a'));
            r.set_number(1);
            for (uint32_t o = 0; o < 21; ++o)
                r.add_chosen_options(o);
            return errorOf(c.answerMock(r));
        },
        "INVALID_ARGUMENT", "chosen_options");
    add(
        "PauseMock without learner",
        [](C& c, auto&, auto&) {
            v1::PauseMockRequest r;
            r.set_mock_id(std::string(16, 'a'));
            r.set_paused(true);
            return errorOf(c.pauseMock(r));
        },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "PauseMock malformed id",
        [](C& c, auto& l, auto&) {
            v1::PauseMockRequest r;
            r.set_learner_id(l);
            r.set_mock_id("m1");
            r.set_paused(true);
            return errorOf(c.pauseMock(r));
        },
        "INVALID_ARGUMENT", "mock_id");
    add(
        "PauseMock unknown mock",
        [](C& c, auto& l, auto&) {
            v1::PauseMockRequest r;
            r.set_learner_id(l);
            r.set_mock_id(std::string(16, 'c'));
            r.set_paused(true);
            return errorOf(c.pauseMock(r));
        },
        "NOT_FOUND", "mock", std::string(16, 'c'));
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
        "RebuildDerivedState malformed learner",
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
    add(
        "CreateAccessToken without learner",
        [](C& c, auto&, auto&) { return errorOf(c.createAccessToken({})); }, "INVALID_ARGUMENT", "learner");
    add(
        "CreateAccessToken admin for one learner",
        [](C& c, auto& l, auto&) {
            v1::CreateAccessTokenRequest r;
            r.set_admin(true);
            r.set_learner(l);
            return errorOf(c.createAccessToken(r));
        },
        "INVALID_ARGUMENT", "learner");
    add(
        "CreateAccessToken label with a newline",
        [](C& c, auto& l, auto&) {
            v1::CreateAccessTokenRequest r;
            r.set_learner(l);
            r.set_label("phone\nX-Injected: 1");
            return errorOf(c.createAccessToken(r));
        },
        "INVALID_ARGUMENT", "label");
    add(
        "CreateAccessToken unknown learner",
        [](C& c, auto&, auto&) {
            v1::CreateAccessTokenRequest r;
            r.set_learner("nobody");
            return errorOf(c.createAccessToken(r));
        },
        "NOT_FOUND", "learner", "\"nobody\"");
    add(
        "RevokeAccessToken without prefix",
        [](C& c, auto&, auto&) { return errorOf(c.revokeAccessToken({})); }, "INVALID_ARGUMENT", "prefix");
    add(
        "RevokeAccessToken unknown prefix",
        [](C& c, auto&, auto&) {
            v1::RevokeAccessTokenRequest r;
            r.set_prefix("0badc0de");
            return errorOf(c.revokeAccessToken(r));
        },
        "NOT_FOUND", "prefix", "0badc0de");
    // This daemon's sync (SyncControlService).
    auto setup = [](const std::string& learner) {
        v1::SetupSyncRequest r;
        r.set_learner_id(learner);
        r.set_server("127.0.0.1:1");
        r.set_token(std::string(64, 'a'));
        return r;
    };
    add(
        "SetupSync malformed learner",
        [=](C& c, auto&, auto&) { return errorOf(c.setupSync(setup("default"))); }, "INVALID_ARGUMENT",
        "learner_id");
    add(
        "SetupSync without server",
        [=](C& c, auto& l, auto&) {
            auto r = setup(l);
            r.clear_server();
            return errorOf(c.setupSync(r));
        },
        "INVALID_ARGUMENT", "server");
    add(
        "SetupSync token not hex",
        [=](C& c, auto& l, auto&) {
            auto r = setup(l);
            r.set_token(std::string(64, 'z'));
            return errorOf(c.setupSync(r));
        },
        "INVALID_ARGUMENT", "token");
    add(
        "SetupSync every 5 seconds",
        [=](C& c, auto& l, auto&) {
            auto r = setup(l);
            r.set_interval_seconds(5);
            return errorOf(c.setupSync(r));
        },
        "INVALID_ARGUMENT", "interval_seconds");
    add(
        "SetupSync ca_file too long",
        [=](C& c, auto& l, auto&) {
            auto r = setup(l);
            r.set_ca_file("/" + std::string(5000, 'x'));
            return errorOf(c.setupSync(r));
        },
        "INVALID_ARGUMENT", "ca_file");
    add(
        "SyncNow without learner", [](C& c, auto&, auto&) { return errorOf(c.syncNow({})); },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "GetSyncStatus malformed learner",
        [](C& c, auto&, auto&) {
            v1::GetSyncStatusRequest r;
            r.set_learner_id("default");
            return errorOf(c.syncStatus(r));
        },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "DisableSync without learner", [](C& c, auto&, auto&) { return errorOf(c.disableSync({})); },
        "INVALID_ARGUMENT", "learner_id");
    return v;
}

// RPCs whose request has no field: nothing to get wrong. expectEveryRpcCovered() checks that their
// requests stay empty.
const std::set<std::string> kNoInput = {
    "LearnerService.ListLearners", "ContentService.ListBlueprints", "AdminService.GetVersion",
    "AdminService.ReloadContent",  "AdminService.ListAccessTokens",
};
// Served only by a daemon in sync-server mode: their table is in tests/sync/sync_validation_test.cpp.
const std::set<std::string> kSyncServerServices = {"SyncService", "SyncAccountService"};

// "Service.Method" of a case, from the method name its name starts with.
std::string rpcOf(const Case& c) {
    const std::string method = c.name.substr(0, c.name.find(' '));
    for (const auto& [name, descriptor] : allRpcMethods())
        if (!kSyncServerServices.count(serviceOf(name)) && name.substr(name.find('.') + 1) == method)
            return name;
    return "(no RPC named " + method + ")";
}

class Validation : public DaemonTest {};

// What a rejected request must not change: every learner's event count, the access tokens, the learner's
// sync configuration.
std::string writtenState(rpc::Client& c, const std::string& learner) {
    std::string out;
    auto all = c.listLearners();
    EXPECT_TRUE(all) << all.error().format();
    if (all)
        for (const auto& l : all->learners())
            out += l.id() + " " + std::to_string(l.event_count()) + "\n";
    auto tokens = c.listAccessTokens();
    EXPECT_TRUE(tokens) << tokens.error().format();
    if (tokens)
        out += "tokens " + std::to_string(tokens->tokens_size()) + "\n";
    v1::GetSyncStatusRequest s;
    s.set_learner_id(learner);
    auto sync = c.syncStatus(s);
    EXPECT_TRUE(sync) << sync.error().format();
    if (sync)
        out += "sync " + std::to_string(sync->configured()) + " " + sync->server() + "\n";
    return out;
}

TEST(ValidationTable, namesAFieldOnlyAsAWholeName) {
    EXPECT_TRUE(namesField("learner_id: is required", "learner_id"));
    EXPECT_FALSE(namesField("learner_id: is required", "learner"));
    EXPECT_FALSE(namesField("learner_id: is required", "id"));
    EXPECT_FALSE(namesField("to_date: is required", "date"));
    EXPECT_FALSE(namesField("settings.exam_date: 2025-01-01 is in the past", "exam_date"));
    EXPECT_FALSE(namesField("settings.exam_date: 2025-01-01 is in the past", "settings"));
    EXPECT_FALSE(namesField("reviews[0].rating: must be AGAIN", "reviews"));
    EXPECT_TRUE(namesField("reviews[0].rating: must be AGAIN", "reviews[0].rating"));
    EXPECT_TRUE(namesField("learner \"nobody\" not found", "learner"));
    EXPECT_TRUE(namesField("mock \"aaaa\" not found for this learner.", "learner"));
    EXPECT_TRUE(messageNamesField("INVALID_ARGUMENT", "from_date: is after to_date", "from_date"));
    EXPECT_FALSE(messageNamesField("INVALID_ARGUMENT", "from_date: is after to_date", "to_date"));
    EXPECT_FALSE(
        messageNamesField("INVALID_ARGUMENT", "interval_seconds must be 30 to 86400", "interval_seconds"));
}

TEST(ValidationTable, listsEveryRpcTheDaemonServesToItsOwner) {
    std::set<std::string> services;
    for (const auto& [name, descriptor] : allRpcMethods())
        if (!kSyncServerServices.count(serviceOf(name)))
            services.insert(serviceOf(name));
    std::set<std::string> tabled;
    for (const auto& c : cases())
        tabled.insert(rpcOf(c));
    expectEveryRpcCovered(services, tabled, kNoInput);
    std::cout << "[bad-input table] " << cases().size() << " cases over " << tabled.size() << " RPCs; "
              << kNoInput.size() << " RPCs take no input\n";
}

TEST_F(Validation, everyRpcRejectsBadInputNamingTheFieldAndWritesNothing) {
    const std::string learner = learnerId();
    v1::StartSessionRequest start;
    start.set_learner_id(learner);
    auto session = m_client->startSession(start);
    ASSERT_TRUE(session);
    for (const auto& c : cases()) {
        SCOPED_TRACE(c.name + " (" + rpcOf(c) + ")");
        const std::string before = writtenState(*m_client, learner);
        const auto err = c.call(*m_client, learner, session->id());
        EXPECT_EQ(err.codeName, c.expectedCode) << err.message;
        EXPECT_TRUE(messageNamesField(err.codeName, err.message, c.field, c.detail));
        EXPECT_EQ(writtenState(*m_client, learner), before) << "it wrote something";
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
