// core::checkForeignEvent: every field of every event kind is checked before a replica or the sync
// server stores an event it did not write. One test per finding of the outside probe (issue 15), and
// ordinary events of every kind pass.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/event_check.h"
#include "core/fsrs.h"
#include "core/learner_settings.h"
#include "support/events.h"

namespace retain::core {
namespace {

using test::EventMaker;
using test::kDayMs;
using test::kT0;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kLearner(32, 'a');
constexpr int64_t kNow = kT0 + 3'600'000;  // the checker's clock: an hour after the events
constexpr const char* kSession = "0123456789abcdef";

// Refused with a message that starts with the event's name and names `field`.
::testing::AssertionResult refusedNaming(const v1::Event& e, const std::string& field) {
    const auto problem = checkForeignEvent(e, kLearner, kNow);
    if (!problem)
        return ::testing::AssertionFailure() << "accepted; expected a refusal naming " << field;
    const std::string name = "event \"" + e.id() + "\": ";
    if (problem->rfind(name, 0) != 0)
        return ::testing::AssertionFailure() << "does not start with " << name << ": " << *problem;
    if (problem->find(field) == std::string::npos)
        return ::testing::AssertionFailure() << "does not name " << field << ": " << *problem;
    return ::testing::AssertionSuccess() << *problem;
}

std::string refusal(const v1::Event& e) {
    return checkForeignEvent(e, kLearner, kNow).value_or("<accepted>");
}

v1::Event sessionAnswer(EventMaker& mk, int64_t wallMs = kT0) {
    auto e = mk.answer(wallMs, "1.1-q1", 3, true);
    e.mutable_answer()->set_session_id(kSession);
    return e;
}

// A finished 65-question mock exam as Engine::finishMock writes it: 15 unscored questions, 50 scored in
// four domains.
v1::Event mockExam(EventMaker& mk) {
    auto e = mk.base(kT0);
    auto* m = e.mutable_mock_exam();
    m->set_mock_id("fedcba9876543210");
    m->set_exam_code("MLS-C01");
    for (int i = 1; i <= 65; ++i)
        m->add_item_ids("1." + std::to_string(1 + i % 4) + "-q" + std::to_string(i));
    for (uint32_t n = 4; n <= 60; n += 4)  // 15 numbers
        m->add_unscored_numbers(n);
    m->add_flagged_numbers(7);
    m->add_flagged_numbers(33);
    m->set_scored_total(50);
    m->set_scored_correct(38);
    m->set_estimated_scaled_score(781);
    m->set_passed(true);
    m->set_exam_conditions(true);
    m->set_started_ms(kT0 - 170 * 60'000);
    m->set_finished_ms(kT0);
    const struct {
        const char* id;
        uint32_t correct, total;
    } domains[] = {{"1", 8, 10}, {"2", 10, 13}, {"3", 13, 18}, {"4", 7, 9}};
    for (const auto& d : domains) {
        auto* o = m->add_domains();
        o->set_domain_id(d.id);
        o->set_correct(d.correct);
        o->set_total(d.total);
    }
    return e;
}

v1::Event parameters(EventMaker& mk) {
    auto e = mk.base(kT0);
    auto* p = e.mutable_parameters();
    for (double w : FsrsParameters::defaults().w)
        p->add_w(w);
    p->set_previous_log_loss(0.46);
    p->set_new_log_loss(0.41);
    p->set_review_count(812);
    return e;
}

v1::Event session(EventMaker& mk, bool start) {
    auto e = mk.base(kT0);
    auto* s = e.mutable_session();
    s->set_session_id(kSession);
    s->set_mode(v1::DRILL);
    s->set_start(start);
    s->set_scope("3.2");
    return e;
}

// ---- Ordinary events pass -------------------------------------------------------------------------

TEST(EventCheck, ordinaryEventsOfEveryKindPass) {
    EventMaker mk(kLearner);
    std::vector<v1::Event> events;
    auto created = mk.base(kT0);
    created.mutable_learner_created()->set_name("ana.b_c-1");
    events.push_back(created);
    events.push_back(mk.answer(kT0, "1.1-fc-card1", 1));
    events.push_back(sessionAnswer(mk));
    events.push_back(mk.undo(kT0, "00000000000000aa-2"));
    events.push_back(mk.suspend(kT0, "1.1-fc-card1", true));
    events.push_back(mockExam(mk));
    events.push_back(session(mk, true));
    events.push_back(session(mk, false));
    events.push_back(parameters(mk));
    for (const auto& e : events)
        EXPECT_EQ(checkForeignEvent(e, kLearner, kNow), std::nullopt) << e.ShortDebugString();
}

TEST(EventCheck, everySettingWithAValidValuePasses) {
    EventMaker mk(kLearner);
    const std::vector<std::pair<std::string, std::string>> settings = {
        {"exam_code", "MLS-C01"},       {"exam_code", ""},
        {"exam_date", "2027-03-01"},    {"exam_date", ""},
        {"time_zone", "Europe/Berlin"}, {"time_zone", "UTC"},
        {"day_rollover_hour", "0"},     {"new_items_per_day", "40"},
        {"minutes_per_day", "1440"},    {"desired_retention", "0.9"},
        {"leech_threshold", "6"},       {"maximum_interval_days", "36500"},
        {"display_name", "Ana Müller"},
    };
    ASSERT_EQ(LearnerSettings::keys().size(), 10u) << "a new setting: add a valid value here";
    for (const auto& [key, value] : settings)
        EXPECT_EQ(checkForeignEvent(mk.setting(kT0, key, value), kLearner, kNow), std::nullopt)
            << key << "=" << value;
}

TEST(EventCheck, anImportedAnswerWithoutSessionOrDurationPasses) {
    EventMaker mk(kLearner);
    auto e = mk.answer(kT0, "import/1711684180217 a card, with spaces", 2);
    e.mutable_answer()->set_response_ms(0);
    e.mutable_answer()->set_item_revision(0);
    e.mutable_answer()->set_mode(v1::IMPORTED);
    EXPECT_EQ(checkForeignEvent(e, kLearner, kNow), std::nullopt);
}

TEST(EventCheck, theDefaultFsrsWeightsAndTheBoundsThemselvesPass) {
    EventMaker mk(kLearner);
    EXPECT_EQ(checkForeignEvent(parameters(mk), kLearner, kNow), std::nullopt);
    for (bool upper : {false, true}) {
        auto e = parameters(mk);
        for (int i = 0; i < kFsrsParameterCount; ++i) {
            const auto& b = fsrsParameterBounds()[static_cast<size_t>(i)];
            e.mutable_parameters()->set_w(i, upper ? b.upper : b.lower);
        }
        EXPECT_EQ(checkForeignEvent(e, kLearner, kNow), std::nullopt) << (upper ? "upper" : "lower");
    }
}

TEST(EventCheck, checkEventAppliesTheSameRulesWithoutLookingAtTheLearner) {
    EventMaker mk(std::string(32, 'b'));
    EXPECT_EQ(checkEvent(mockExam(mk), kNow), std::nullopt);
    auto bad = mk.setting(kT0, "desired_retention", "5");
    EXPECT_THAT(checkEvent(bad, kNow).value_or(""), HasSubstr("setting.value for desired_retention"));
}

// ---- Ownership and envelope -------------------------------------------------------------------------

TEST(EventCheck, anotherLearnersEventIsRefused) {
    EventMaker mk(std::string(32, 'b'));
    EXPECT_TRUE(refusedNaming(mk.answer(kT0, "1.1-fc-card1", 3), "learner_id"));
}

TEST(EventCheck, aMalformedEventIdIsRefused) {
    EventMaker mk(kLearner);
    auto e = mk.answer(kT0, "1.1-fc-card1", 3);
    e.set_id("00000000000000aa-x");
    EXPECT_EQ(refusal(e), "event \"00000000000000aa-x\": id must be \"<16 hex digits>-<sequence>\"");
}

TEST(EventCheck, anEventLargerThan64KiBIsRefused) {
    EventMaker mk(kLearner);
    auto e = mk.setting(kT0, "display_name", std::string(70'000, 'x'));
    EXPECT_TRUE(refusedNaming(e, "larger than 64 KiB"));
}

TEST(EventCheck, anEventWithoutAPayloadIsRefused) {
    EventMaker mk(kLearner);
    EXPECT_TRUE(refusedNaming(mk.base(kT0), "no payload"));
}

// ---- Times ----------------------------------------------------------------------------------------

TEST(EventCheck, aWallTimeInTheYear8940IsRefused) {
    // The probe's event: its hybrid clock (about 1.4e19) pushed the pulling replica's clock past 2^63.
    EventMaker mk(kLearner);
    const int64_t year8940 = 219'950'000'000'000;
    auto e = mk.answer(year8940, "1.1-fc-card1", 3);
    ASSERT_GT(e.hlc(), static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
    EXPECT_EQ(refusal(e), "event \"" + e.id() +
                              "\": wall_time_ms must be from 1990-01-01 to a day after now, got " +
                              std::to_string(year8940));
}

TEST(EventCheck, anHlcFarInTheFutureIsRefusedEvenWithAPlausibleWallTime) {
    EventMaker mk(kLearner);
    auto e = mk.answer(kT0, "1.1-fc-card1", 3);
    e.set_hlc(~uint64_t{0});
    EXPECT_TRUE(refusedNaming(e, "hlc's physical time"));
    e.set_hlc(static_cast<uint64_t>(kNow + 2 * kDayMs) << 16);
    e.set_wall_time_ms(kNow);
    EXPECT_TRUE(refusedNaming(e, "hlc's physical time"));
}

TEST(EventCheck, timesUpToADayAheadOfTheCheckersClockPassAndLaterOnesDoNot) {
    // Clock skew between machines is tolerated up to a day.
    EventMaker mk(kLearner);
    EXPECT_EQ(checkForeignEvent(mk.answer(kNow + kDayMs, "1.1-fc-card1", 3), kLearner, kNow), std::nullopt);
    EXPECT_TRUE(refusedNaming(mk.answer(kNow + kDayMs + 1, "1.1-fc-card1", 3), "wall_time_ms"));
}

TEST(EventCheck, aWallTimeBefore1990IsRefused) {
    EventMaker mk(kLearner);
    EXPECT_EQ(checkForeignEvent(mk.answer(kEarliestEventMs, "1.1-fc-card1", 3), kLearner, kNow),
              std::nullopt);
    EXPECT_TRUE(refusedNaming(mk.answer(kEarliestEventMs - 1, "1.1-fc-card1", 3), "wall_time_ms"));
    auto negative = mk.answer(kT0, "1.1-fc-card1", 3);
    negative.set_wall_time_ms(-5);
    EXPECT_TRUE(refusedNaming(negative, "wall_time_ms"));
}

TEST(EventCheck, aMissingHlcIsRefused) {
    EventMaker mk(kLearner);
    auto e = mk.answer(kT0, "1.1-fc-card1", 3);
    e.set_hlc(0);
    EXPECT_EQ(refusal(e), "event \"" + e.id() + "\": hlc must be set");
}

TEST(EventCheck, anHlcInconsistentWithTheWallTimeIsRefused) {
    EventMaker mk(kLearner);
    auto e = mk.answer(kT0, "1.1-fc-card1", 3);
    e.set_hlc(static_cast<uint64_t>(kT0 - 2 * kDayMs) << 16);
    EXPECT_EQ(refusal(e), "event \"" + e.id() + "\": hlc is inconsistent with wall_time_ms");
}

// ---- Settings -------------------------------------------------------------------------------------

TEST(EventCheck, aSettingWithAnOutOfRangeRetentionIsRefused) {
    EventMaker mk(kLearner);
    auto e = mk.setting(kT0, "desired_retention", "5");
    EXPECT_EQ(refusal(e),
              "event \"" + e.id() +
                  "\": setting.value for desired_retention must be between 0.70 and 0.99, got \"5\"");
}

TEST(EventCheck, aSettingWithANonFiniteRetentionIsRefused) {
    EventMaker mk(kLearner);
    for (const char* value : {"nan", "NaN", "inf", "-inf"}) {
        EXPECT_TRUE(
            refusedNaming(mk.setting(kT0, "desired_retention", value), "setting.value for desired_retention"))
            << value;
        EXPECT_TRUE(LearnerSettings::check("desired_retention", value))
            << "local validation agrees: " << value;
    }
}

TEST(EventCheck, aSettingWithAnUnknownTimeZoneIsRefused) {
    EventMaker mk(kLearner);
    auto e = mk.setting(kT0, "time_zone", "Mars/Olympus");
    EXPECT_TRUE(refusedNaming(e, "setting.value for time_zone"));
    EXPECT_THAT(refusal(e), HasSubstr("IANA time zone"));
    EXPECT_THAT(refusal(e), HasSubstr("\"Mars/Olympus\""));
}

TEST(EventCheck, aSettingWithAnUnknownKeyIsRefused) {
    EventMaker mk(kLearner);
    auto e = mk.setting(kT0, "admin", "true");
    EXPECT_EQ(refusal(e), "event \"" + e.id() + "\": setting.key \"admin\" is not a known setting");
}

TEST(EventCheck, settingValuesInvalidForTheirKeyAreRefused) {
    EventMaker mk(kLearner);
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"exam_date", "2027-02-30"}, {"day_rollover_hour", "24"},         {"new_items_per_day", "-1"},
        {"minutes_per_day", "0"},    {"leech_threshold", "1e9"},          {"maximum_interval_days", "36501"},
        {"display_name", ""},        {"exam_code", std::string(33, 'X')}, {"time_zone", ""},
    };
    for (const auto& [key, value] : bad)
        EXPECT_TRUE(refusedNaming(mk.setting(kT0, key, value), "setting.value for " + key)) << key;
}

// ---- Parameters -----------------------------------------------------------------------------------

TEST(EventCheck, parametersWithANonFiniteOrHugeWeightAreRefused) {
    EventMaker mk(kLearner);
    for (double w : {std::nan(""), std::numeric_limits<double>::infinity(), 1e308, -1e308}) {
        auto e = parameters(mk);
        e.mutable_parameters()->set_w(3, w);
        EXPECT_TRUE(refusedNaming(e, "parameters.w[3]")) << w;
    }
}

TEST(EventCheck, parametersOutsideTheOptimisersBoundsAreRefused) {
    EventMaker mk(kLearner);
    auto e = parameters(mk);
    e.mutable_parameters()->set_w(20, 0.05);
    EXPECT_EQ(refusal(e), "event \"" + e.id() + "\": parameters.w[20] = 0.05 is outside [0.1, 0.8]");
}

TEST(EventCheck, parametersWithAnotherNumberOfWeightsAreRefused) {
    EventMaker mk(kLearner);
    auto e = parameters(mk);
    e.mutable_parameters()->add_w(0.5);
    EXPECT_EQ(refusal(e), "event \"" + e.id() + "\": parameters.w must have 21 FSRS-6 weights, got 22");
    e.mutable_parameters()->clear_w();
    EXPECT_TRUE(refusedNaming(e, "parameters.w must have 21"));
}

TEST(EventCheck, parametersWithANonFiniteOrNegativeLogLossAreRefused) {
    EventMaker mk(kLearner);
    auto e = parameters(mk);
    e.mutable_parameters()->set_previous_log_loss(std::nan(""));
    EXPECT_TRUE(refusedNaming(e, "parameters.previous_log_loss"));
    e = parameters(mk);
    e.mutable_parameters()->set_new_log_loss(-0.1);
    EXPECT_TRUE(refusedNaming(e, "parameters.new_log_loss"));
    e.mutable_parameters()->set_new_log_loss(1e308);
    EXPECT_TRUE(refusedNaming(e, "parameters.new_log_loss"));
}

// ---- Answers --------------------------------------------------------------------------------------

TEST(EventCheck, anAnswerWithAHugeOptionIndexIsRefused) {
    EventMaker mk(kLearner);
    auto e = sessionAnswer(mk);
    e.mutable_answer()->add_chosen_options(4'000'000'000u);
    EXPECT_EQ(refusal(e),
              "event \"" + e.id() + "\": answer.chosen_options: 4000000000 is not an option index 0-63");
    auto edge = sessionAnswer(mk);
    edge.mutable_answer()->add_chosen_options(63);
    EXPECT_EQ(checkForeignEvent(edge, kLearner, kNow), std::nullopt);
    edge.mutable_answer()->add_chosen_options(64);
    EXPECT_TRUE(refusedNaming(edge, "answer.chosen_options"));
}

TEST(EventCheck, anAnswerChoosingAnOptionTwiceIsRefused) {
    EventMaker mk(kLearner);
    auto e = sessionAnswer(mk);
    e.mutable_answer()->add_chosen_options(2);
    e.mutable_answer()->add_chosen_options(0);  // sessionAnswer chose 0 already
    EXPECT_EQ(refusal(e), "event \"" + e.id() + "\": answer.chosen_options: option 0 is chosen twice");
}

TEST(EventCheck, anAnswerWithAResponseTimeOverADayIsRefused) {
    EventMaker mk(kLearner);
    auto e = sessionAnswer(mk);
    e.mutable_answer()->set_response_ms(kMaxResponseMs);
    EXPECT_EQ(checkForeignEvent(e, kLearner, kNow), std::nullopt);
    e.mutable_answer()->set_response_ms(kMaxResponseMs + 1);
    EXPECT_TRUE(refusedNaming(e, "answer.response_ms"));
}

TEST(EventCheck, anAnswerWithARatingOutsideAgainToEasyIsRefused) {
    EventMaker mk(kLearner);
    for (int rating : {0, 5, -1, 1'000'000}) {
        auto e = sessionAnswer(mk);
        e.mutable_answer()->set_rating(static_cast<v1::Rating>(rating));
        EXPECT_TRUE(refusedNaming(e, "answer.rating")) << rating;
    }
}

TEST(EventCheck, anAnswerWithAnUnknownStudyModeIsRefused) {
    EventMaker mk(kLearner);
    auto e = sessionAnswer(mk);
    e.mutable_answer()->set_mode(static_cast<v1::StudyMode>(99));
    EXPECT_TRUE(refusedNaming(e, "answer.mode"));
}

TEST(EventCheck, anAnswerWithAnInsaneItemIdIsRefused) {
    EventMaker mk(kLearner);
    for (const std::string& id : {std::string(), std::string(129, 'a'), std::string("1.1-q1\n"),
                                  std::string("a\0b", 3), std::string("a\x7f")}) {
        auto e = sessionAnswer(mk);
        e.mutable_answer()->set_item_id(id);
        EXPECT_TRUE(refusedNaming(e, "answer.item_id")) << id.size();
    }
}

TEST(EventCheck, anAnswerWithASessionIdThatIsNotOneIsRefused) {
    EventMaker mk(kLearner);
    for (const std::string& id :
         {std::string(200, 'f'), std::string("0123456789ABCDEF"), std::string("s1")}) {
        auto e = sessionAnswer(mk);
        e.mutable_answer()->set_session_id(id);
        EXPECT_TRUE(refusedNaming(e, "answer.session_id")) << id;
    }
}

// ---- Undo and suspension --------------------------------------------------------------------------

TEST(EventCheck, anUndoThatNamesItselfIsRefused) {
    EventMaker mk(kLearner);
    auto e = mk.undo(kT0, "00000000000000aa-1");  // the maker's first event: this one
    ASSERT_EQ(e.id(), "00000000000000aa-1");
    EXPECT_EQ(refusal(e), "event \"00000000000000aa-1\": undo.answer_event_id names the undo itself");
}

TEST(EventCheck, anUndoOfSomethingThatIsNotAnEventIdIsRefused) {
    EventMaker mk(kLearner);
    EXPECT_TRUE(refusedNaming(mk.undo(kT0, "last"), "undo.answer_event_id"));
}

TEST(EventCheck, aSuspensionOfAnInsaneItemIdIsRefused) {
    EventMaker mk(kLearner);
    EXPECT_TRUE(refusedNaming(mk.suspend(kT0, std::string(500, 'q'), true), "suspension.item_id"));
    EXPECT_TRUE(refusedNaming(mk.suspend(kT0, "", false), "suspension.item_id"));
}

TEST(EventCheck, aLearnerCreatedWithAnInvalidNameIsRefused) {
    EventMaker mk(kLearner);
    auto e = mk.base(kT0);
    e.mutable_learner_created()->set_name("robert'); drop table");
    EXPECT_TRUE(refusedNaming(e, "learner_created.name"));
}

// ---- Mock exams -----------------------------------------------------------------------------------

TEST(EventCheck, aMockExamWithNoScoredQuestionsAnd5000ItemsIsRefused) {
    // The probe's mock exam: scored_total = 0 and 5,000 items.
    EventMaker mk(kLearner);
    auto e = mockExam(mk);
    auto* m = e.mutable_mock_exam();
    m->set_scored_total(0);
    m->set_scored_correct(0);
    for (int i = 0; i < 5000 - 65; ++i)
        m->add_item_ids("1.1-q" + std::to_string(i));
    EXPECT_EQ(refusal(e), "event \"" + e.id() + "\": mock_exam.item_ids must hold 1-200 questions, got 5000");
}

TEST(EventCheck, aMockExamWithZeroScoredTotalIsRefused) {
    EventMaker mk(kLearner);
    auto e = mockExam(mk);
    e.mutable_mock_exam()->set_scored_total(0);
    e.mutable_mock_exam()->set_scored_correct(0);
    EXPECT_EQ(refusal(e),
              "event \"" + e.id() + "\": mock_exam.scored_total must be 1-50 (the scored questions), got 0");
}

TEST(EventCheck, aMockExamScoringMoreThanItsScoredQuestionsIsRefused) {
    EventMaker mk(kLearner);
    auto e = mockExam(mk);
    e.mutable_mock_exam()->set_scored_total(51);  // 65 questions, 15 unscored
    EXPECT_TRUE(refusedNaming(e, "mock_exam.scored_total"));
    e = mockExam(mk);
    e.mutable_mock_exam()->set_scored_correct(51);
    EXPECT_TRUE(refusedNaming(e, "mock_exam.scored_correct"));
}

TEST(EventCheck, aMockExamWithoutQuestionsIsRefused) {
    EventMaker mk(kLearner);
    auto e = mockExam(mk);
    e.mutable_mock_exam()->clear_item_ids();
    EXPECT_TRUE(refusedNaming(e, "mock_exam.item_ids"));
}

TEST(EventCheck, aMockExamWithBadQuestionNumbersIsRefused) {
    EventMaker mk(kLearner);
    auto e = mockExam(mk);
    e.mutable_mock_exam()->add_unscored_numbers(66);
    EXPECT_TRUE(refusedNaming(e, "mock_exam.unscored_numbers: 66"));
    e = mockExam(mk);
    e.mutable_mock_exam()->add_unscored_numbers(0);
    EXPECT_TRUE(refusedNaming(e, "mock_exam.unscored_numbers: 0"));
    e = mockExam(mk);
    e.mutable_mock_exam()->add_flagged_numbers(7);
    EXPECT_TRUE(refusedNaming(e, "mock_exam.flagged_numbers: 7 appears twice"));
}

TEST(EventCheck, aMockExamWithImpossibleDomainResultsIsRefused) {
    EventMaker mk(kLearner);
    auto e = mockExam(mk);
    e.mutable_mock_exam()->mutable_domains(1)->set_correct(14);  // of 13
    EXPECT_TRUE(refusedNaming(e, "mock_exam.domains.correct is more than total"));
    e = mockExam(mk);
    e.mutable_mock_exam()->mutable_domains(1)->set_total(4'000'000'000u);
    EXPECT_TRUE(refusedNaming(e, "mock_exam.domains.total"));
    e = mockExam(mk);
    e.mutable_mock_exam()->mutable_domains(3)->set_domain_id("1");
    EXPECT_TRUE(refusedNaming(e, "mock_exam.domains: domain \"1\" appears twice"));
    e = mockExam(mk);
    e.mutable_mock_exam()->mutable_domains(0)->set_domain_id("");
    EXPECT_TRUE(refusedNaming(e, "mock_exam.domains.domain_id"));
    e = mockExam(mk);
    for (int i = 0; i < 65; ++i)
        e.mutable_mock_exam()->add_domains()->set_domain_id("d" + std::to_string(i));
    EXPECT_TRUE(refusedNaming(e, "mock_exam.domains has more than 64"));
}

TEST(EventCheck, aMockExamWithOutOfRangeIdsScoresOrTimesIsRefused) {
    EventMaker mk(kLearner);
    const std::vector<std::pair<std::string, std::function<void(v1::MockExamFinished&)>>> cases = {
        {"mock_exam.mock_id", [](auto& m) { m.set_mock_id("../../etc"); }},
        {"mock_exam.exam_code", [](auto& m) { m.set_exam_code(""); }},
        {"mock_exam.exam_code", [](auto& m) { m.set_exam_code(std::string(65, 'X')); }},
        {"mock_exam.item_ids", [](auto& m) { m.set_item_ids(3, "1.1\tq"); }},
        {"mock_exam.estimated_scaled_score", [](auto& m) { m.set_estimated_scaled_score(4'000'000'000u); }},
        {"mock_exam.started_ms", [](auto& m) { m.set_started_ms(0); }},
        {"mock_exam.finished_ms", [](auto& m) { m.set_finished_ms(kNow + 2 * kDayMs); }},
        {"mock_exam.started_ms is after finished_ms", [](auto& m) { m.set_finished_ms(kT0 - 2 * kDayMs); }},
        {"mock_exam.finished_ms is after", [](auto& m) { m.set_finished_ms(kT0 + kDayMs + 1); }},
    };
    for (const auto& [field, spoil] : cases) {
        auto e = mockExam(mk);
        spoil(*e.mutable_mock_exam());
        EXPECT_TRUE(refusedNaming(e, field)) << field;
    }
}

// ---- Sessions -------------------------------------------------------------------------------------

TEST(EventCheck, aSessionBoundaryWithABadIdModeOrScopeIsRefused) {
    EventMaker mk(kLearner);
    auto e = session(mk, true);
    e.mutable_session()->clear_session_id();
    EXPECT_TRUE(refusedNaming(e, "session.session_id"));
    e = session(mk, true);
    e.mutable_session()->set_mode(static_cast<v1::StudyMode>(42));
    EXPECT_TRUE(refusedNaming(e, "session.mode"));
    e = session(mk, true);
    e.mutable_session()->set_scope(std::string(129, '3'));
    EXPECT_TRUE(refusedNaming(e, "session.scope"));
    e.mutable_session()->set_scope("3.2\r\n");
    EXPECT_TRUE(refusedNaming(e, "session.scope"));
}

// ---- Messages -------------------------------------------------------------------------------------

TEST(EventCheck, messagesQuoteAtMost40CharactersOfAnAttackersStrings) {
    EventMaker mk(kLearner);
    const std::string longZone = std::string(200, 'Z') + "\n\x1b[31m";
    auto zone = mk.setting(kT0, "time_zone", longZone);
    const std::string zoneMessage = refusal(zone);
    EXPECT_THAT(zoneMessage, HasSubstr("setting.value for time_zone"));
    EXPECT_THAT(zoneMessage, HasSubstr("\"" + std::string(40, 'Z') + "...\""));
    EXPECT_THAT(zoneMessage, Not(HasSubstr(std::string(41, 'Z'))));

    auto key = mk.setting(kT0, std::string(300, 'k') + "\x07", "1");
    EXPECT_THAT(refusal(key), HasSubstr("setting.key \"" + std::string(40, 'k') + "...\" is not a known"));

    auto id = mk.answer(kT0, "1.1-fc-card1", 3);
    id.set_id(std::string(1000, 'i') + "\n");
    EXPECT_EQ(refusal(id),
              "event \"" + std::string(40, 'i') + "...\": id must be \"<16 hex digits>-<sequence>\"");

    auto learner = mk.answer(kT0, "1.1-fc-card1", 3);
    learner.set_learner_id("\x1b]0;" + std::string(100, 'L'));
    EXPECT_THAT(refusal(learner), HasSubstr("learner_id \"?]0;" + std::string(36, 'L') + "...\""));

    // A cut never splits a UTF-8 character: 39 ASCII bytes, then a two-byte 'ü'.
    auto utf8 = mk.setting(kT0, "time_zone", std::string(39, 'a') + "\xc3\xbc" + std::string(10, 'b'));
    EXPECT_THAT(refusal(utf8), HasSubstr("\"" + std::string(39, 'a') + "...\""));
}

}  // namespace
}  // namespace retain::core
