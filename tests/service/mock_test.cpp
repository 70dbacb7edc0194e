// Mock exams over the API on the real MLS-C01 pack: the form's shape, answering, flags, pause, time-out,
// the score report, and the results feeding the learner's history.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "core/study_day.h"
#include "support/daemon_fixture.h"

namespace retain::test {
namespace {

class Mock : public DaemonTest {
protected:
    void SetUp() override {
        startDaemon(RETAIN_CONTENT_DIR);
        m_learner = learnerId();
    }
    v1::MockExam start(uint32_t questions = 0) {
        v1::StartMockRequest r;
        r.set_learner_id(m_learner);
        r.set_questions(questions);
        auto m = m_client->startMock(r);
        EXPECT_TRUE(m) << m.error().format();
        return m ? *m : v1::MockExam();
    }
    rpc::Reply<v1::MockExam> answer(const std::string& mock, uint32_t number, std::vector<uint32_t> chosen) {
        v1::AnswerMockRequest r;
        r.set_learner_id(m_learner);
        r.set_mock_id(mock);
        r.set_number(number);
        for (auto c : chosen)
            r.add_chosen_options(c);
        return m_client->answerMock(r);
    }
    rpc::Reply<v1::MockReport> submit(const std::string& mock) {
        v1::SubmitMockRequest r;
        r.set_learner_id(m_learner);
        r.set_mock_id(mock);
        return m_client->submitMock(r);
    }
    std::string m_learner;
};

TEST_F(Mock, aFullFormHasTheRealShapeAndAReportLikeTheRealOne) {
    const auto m = start();
    ASSERT_EQ(m.questions_size(), 65);
    EXPECT_EQ(m.time_limit_seconds(), 180u * 60);
    EXPECT_TRUE(m.exam_conditions());
    // Blueprint proportions of 65: 13 / 16 / 23 / 13 questions for weights 20 / 24 / 36 / 20.
    v1::GetItemRequest get;
    std::vector<std::string> domainOf;  // per question, from the content
    std::vector<v1::Item> itemOf;
    std::map<std::string, int> perDomain;
    std::set<std::string> distinct;
    for (const auto& q : m.questions()) {
        get.set_item_id(q.item_id());
        const auto detail = m_client->getItem(get);
        ASSERT_TRUE(detail) << detail.error().format();
        domainOf.push_back(detail->domain_id());
        itemOf.push_back(detail->item());
        perDomain[detail->domain_id()]++;
        distinct.insert(q.item_id());
        EXPECT_NE(q.kind(), v1::FLASHCARD);
    }
    EXPECT_EQ(distinct.size(), 65u);
    EXPECT_EQ(perDomain, (std::map<std::string, int>{{"1", 13}, {"2", 16}, {"3", 23}, {"4", 13}}));

    // A known pattern: the key for exactly the questions of domain 3, a wrong answer of the right size
    // (the key with one correct option swapped for a wrong one) for every other question.
    auto key = [](const v1::Item& item) {
        std::vector<uint32_t> right;
        for (int i = 0; i < item.options_size(); ++i)
            if (item.options(i).correct())
                right.push_back(static_cast<uint32_t>(i));
        return right;
    };
    auto wrong = [&](const v1::Item& item) {
        auto chosen = key(item);
        for (int i = 0; i < item.options_size(); ++i)
            if (!item.options(i).correct()) {
                chosen.back() = static_cast<uint32_t>(i);
                break;
            }
        std::sort(chosen.begin(), chosen.end());
        return chosen;
    };
    auto knows = [&](size_t q) { return domainOf[q] == "3"; };
    auto pattern = [&](size_t q) { return knows(q) ? key(itemOf[q]) : wrong(itemOf[q]); };
    // Question 1 is first answered the other way round, then changed: only the last answer counts.
    ASSERT_TRUE(answer(m.id(), 1, knows(0) ? wrong(itemOf[0]) : key(itemOf[0])));
    for (int q = 0; q < m.questions_size(); ++q)
        ASSERT_TRUE(answer(m.id(), m.questions(q).number(), pattern(static_cast<size_t>(q))));
    for (uint32_t n : {2u, 5u, 7u}) {
        v1::FlagQuestionRequest f;
        f.set_learner_id(m_learner);
        f.set_mock_id(m.id());
        f.set_number(n);
        f.set_flagged(true);
        ASSERT_TRUE(m_client->flagQuestion(f));
    }
    v1::GetMockRequest getMock;
    getMock.set_learner_id(m_learner);
    getMock.set_mock_id(m.id());
    const auto before = m_client->getMock(getMock);
    ASSERT_TRUE(before) << before.error().format();
    EXPECT_EQ(before->answered(), 65u);
    EXPECT_EQ(before->flagged(), 3u);
    for (int q = 0; q < before->questions_size(); ++q) {
        const auto& chosen = before->questions(q).chosen_options();
        EXPECT_EQ(std::vector<uint32_t>(chosen.begin(), chosen.end()), pattern(static_cast<size_t>(q)))
            << "question " << q + 1;
    }

    auto report = submit(m.id());
    ASSERT_TRUE(report) << report.error().format();
    ASSERT_EQ(report->review_size(), 65);
    // The blueprint's form: 65 questions of which 15 are unscored (pretest) questions, revealed only in
    // the report. Expected counts follow from which questions were unscored and the pattern above.
    int unscored = 0, flagged = 0, scoredKnown = 0;
    std::map<std::string, uint32_t> domainTotal;
    for (int q = 0; q < report->review_size(); ++q) {
        const auto& r = report->review(q);
        const auto i = static_cast<size_t>(q);
        EXPECT_EQ(r.number(), static_cast<uint32_t>(q + 1));
        EXPECT_EQ(r.item().id(), m.questions(q).item_id());
        EXPECT_EQ(r.correct(), knows(i)) << "question " << q + 1 << " of domain " << domainOf[i];
        EXPECT_EQ(r.flagged(), q + 1 == 2 || q + 1 == 5 || q + 1 == 7) << "question " << q + 1;
        unscored += !r.scored();
        flagged += r.flagged();
        if (r.scored()) {
            ++domainTotal[domainOf[i]];
            scoredKnown += knows(i);
        }
        EXPECT_FALSE(r.item().explanation().empty());
        EXPECT_EQ(std::vector<uint32_t>(r.chosen_options().begin(), r.chosen_options().end()), pattern(i));
    }
    EXPECT_EQ(unscored, 15);
    EXPECT_EQ(flagged, 3);
    EXPECT_EQ(report->scored_total(), 50u);
    EXPECT_EQ(report->scored_correct(), static_cast<uint32_t>(scoredKnown));
    // Domain 3 had 23 questions, of which at most 15 were unscored.
    EXPECT_GE(scoredKnown, 8);
    EXPECT_LE(scoredKnown, 23);
    // Per domain, as on the real report: all of domain 3 right, nothing else; "meets competencies" at the
    // assumed cut of 72 % per domain.
    ASSERT_EQ(report->domains_size(), 4);
    uint32_t totals = 0;
    for (const auto& d : report->domains()) {
        SCOPED_TRACE("domain " + d.domain_id());
        EXPECT_EQ(d.total(), domainTotal[d.domain_id()]);
        EXPECT_EQ(d.correct(), d.domain_id() == "3" ? d.total() : 0u);
        EXPECT_EQ(d.meets(), d.domain_id() == "3" && d.total() > 0);
        EXPECT_FALSE(d.name().empty());
        totals += d.total();
    }
    EXPECT_EQ(totals, 50u);
    // The scaled score: piecewise linear from 100 (nothing right) through 750 at the assumed cut,
    // 72 % of the 50 scored questions = 36, to 1,000 (all right), rounded to the nearest point
    // (daemon/core/readiness.h scaledScore; the blueprint's form and cut_assumption_note).
    auto scaled = [](int right) {
        return static_cast<uint32_t>(
            std::lround(right <= 36 ? 100 + 650.0 * right / 36 : 750 + 250.0 * (right - 36) / 14));
    };
    EXPECT_EQ(scaled(0), 100u);
    EXPECT_EQ(scaled(9), 263u);  // 100 + 650 / 4 = 262.5
    EXPECT_EQ(scaled(18), 425u);
    EXPECT_EQ(scaled(36), 750u);
    EXPECT_EQ(scaled(43), 875u);
    EXPECT_EQ(scaled(50), 1000u);
    EXPECT_EQ(report->scaled_score(), scaled(scoredKnown)) << scoredKnown << " of 50 right";
    EXPECT_EQ(report->passing_scaled_score(), 750u);
    EXPECT_FALSE(report->passed()) << "at most 23 of 50 right is below the cut of 36";
    EXPECT_FALSE(report->assumption_note().empty());
    EXPECT_TRUE(report->full_form());
    // 65 answers in every domain are evidence enough for readiness; its history's point for today is the
    // same estimate as readiness for today, to the last bit (the learner has no exam date: today).
    v1::GetReadinessRequest rr;
    rr.set_learner_id(m_learner);
    const auto readiness = m_client->readiness(rr);
    ASSERT_TRUE(readiness) << readiness.error().format();
    ASSERT_TRUE(readiness->enough_evidence());
    v1::GetReadinessHistoryRequest hr;
    hr.set_learner_id(m_learner);
    const auto history = m_client->readinessHistory(hr);
    ASSERT_TRUE(history) << history.error().format();
    ASSERT_EQ(history->points_size(), 1);
    EXPECT_EQ(history->points(0).date(), readiness->date());
    EXPECT_EQ(history->points(0).pass_probability(), readiness->pass_probability());
    EXPECT_EQ(history->points(0).scaled_score(), readiness->scaled_score());
    // For today there is no plan to project; for a later date the estimate assumes the plan is kept and
    // today's is beside it, the same as for today. The plan's answers: the 65 given today, one day of
    // pace, times the 30 days to the date.
    EXPECT_FALSE(readiness->has_today());
    rr.set_date(core::StudyDayClock::isoDate(*core::StudyDayClock::parseIsoDate(readiness->date()) + 30));
    const auto later = m_client->readiness(rr);
    ASSERT_TRUE(later) << later.error().format();
    ASSERT_TRUE(later->enough_evidence());
    ASSERT_TRUE(later->has_today());
    EXPECT_EQ(later->today().date(), readiness->date());
    EXPECT_EQ(later->today().pass_probability(), readiness->pass_probability());
    EXPECT_EQ(later->today().pass_probability_low(), readiness->pass_probability_low());
    EXPECT_EQ(later->planned_answers(), 65u * 30);
    EXPECT_GT(later->planned_new_items(), 0u);
    // Without an exam date the history has no exam-date forecast; with one, today's point carries the
    // forecast GetReadiness gives for that date, to the last bit.
    EXPECT_FALSE(history->points(0).has_exam_date_pass_probability());
    v1::UpdateSettingsRequest exam;
    exam.set_learner_id(m_learner);
    exam.add_fields("exam_date");
    exam.mutable_settings()->set_exam_date(rr.date());
    ASSERT_TRUE(m_client->updateSettings(exam));
    const auto withDate = m_client->readinessHistory(hr);
    ASSERT_TRUE(withDate) << withDate.error().format();
    ASSERT_EQ(withDate->points_size(), 1);
    ASSERT_TRUE(withDate->points(0).has_exam_date_pass_probability());
    EXPECT_EQ(withDate->points(0).exam_date_pass_probability(), later->pass_probability());
    EXPECT_EQ(withDate->points(0).pass_probability(), readiness->pass_probability());
    // The answers fed the learner's history, and the report survives a restart.
    get.set_item_id(m.questions(3).item_id());
    get.set_learner_id(m_learner);
    auto item = m_client->getItem(get);
    ASSERT_EQ(item->history_size(), 1);
    EXPECT_EQ(item->history(0).mode(), v1::MOCK_EXAM);
    stopDaemon();
    startDaemon(RETAIN_CONTENT_DIR);
    v1::GetMockReportRequest again;
    again.set_learner_id(m_learner);
    again.set_mock_id(m.id());
    auto restored = m_client->mockReport(again);
    ASSERT_TRUE(restored) << restored.error().format();
    EXPECT_EQ(restored->SerializeAsString(), report->SerializeAsString());
    v1::ListMocksRequest list;
    list.set_learner_id(m_learner);
    ASSERT_EQ(m_client->listMocks(list)->mocks_size(), 1);
    // A second mock avoids the questions just seen.
    const auto second = start();
    int repeated = 0;
    for (const auto& q : second.questions())
        repeated += distinct.count(q.item_id());
    EXPECT_LT(repeated, 20) << "the pack has 272 questions; a new form should mostly be fresh";
}

TEST_F(Mock, aPracticeFormReportsItsRawScoreNeverAScaledOneOrAPass) {
    const auto m = start(5);
    ASSERT_EQ(m.questions_size(), 5);
    v1::GetItemRequest get;
    for (const auto& q : m.questions()) {
        get.set_item_id(q.item_id());
        const auto detail = m_client->getItem(get);
        ASSERT_TRUE(detail) << detail.error().format();
        std::vector<uint32_t> right;
        for (int o = 0; o < detail->item().options_size(); ++o)
            if (detail->item().options(o).correct())
                right.push_back(static_cast<uint32_t>(o));
        ASSERT_TRUE(answer(m.id(), q.number(), right));
    }
    const auto report = submit(m.id());
    ASSERT_TRUE(report) << report.error().format();
    EXPECT_FALSE(report->full_form());
    // Every answer right, yet no scaled score and no pass: five questions cannot say. The raw score
    // stands: 15 of the real form's 65 are unscored, so 15 x 5 / 65 = 1.15, one unscored question here.
    EXPECT_EQ(report->scaled_score(), 0u);
    EXPECT_FALSE(report->passed());
    EXPECT_EQ(report->scored_total(), 4u);
    EXPECT_EQ(report->scored_correct(), 4u);
    v1::ListMocksRequest list;
    list.set_learner_id(m_learner);
    const auto listed = m_client->listMocks(list);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->mocks_size(), 1);
    EXPECT_FALSE(listed->mocks(0).full_form());
    EXPECT_EQ(listed->mocks(0).scaled_score(), 0u);
    EXPECT_EQ(listed->mocks(0).scored_correct(), 4u);
    EXPECT_EQ(listed->mocks(0).scored_total(), 4u);
}

TEST_F(Mock, pausingEndsExamConditionsAndBlocksAnswers) {
    const auto m = start(10);
    EXPECT_FALSE(m.exam_conditions());  // a short practice form is not exam conditions either
    v1::PauseMockRequest p;
    p.set_learner_id(m_learner);
    p.set_mock_id(m.id());
    p.set_paused(true);
    auto paused = m_client->pauseMock(p);
    ASSERT_TRUE(paused);
    EXPECT_TRUE(paused->paused());
    auto blocked = answer(m.id(), 1, {0});
    ASSERT_FALSE(blocked);
    EXPECT_EQ(blocked.error().codeName, "FAILED_PRECONDITION");
    p.set_paused(false);
    ASSERT_TRUE(m_client->pauseMock(p));
    EXPECT_TRUE(answer(m.id(), 1, {0}));
}

TEST_F(Mock, runningOutOfTimeSubmitsTheFormAsItStood) {
    const auto m = start(10);
    ASSERT_TRUE(answer(m.id(), 1, {0}));
    v1::SetClockRequest c;
    c.set_now_ms(1'780'000'000'000 + (static_cast<int64_t>(m.time_limit_seconds()) + 5) * 1000);
    ASSERT_TRUE(m_client->setClock(c));
    v1::GetMockRequest g;
    g.set_learner_id(m_learner);
    g.set_mock_id(m.id());
    auto late = m_client->getMock(g);
    ASSERT_FALSE(late);
    EXPECT_NE(late.error().message.find("time ran out"), std::string::npos);
    v1::GetMockReportRequest r;
    r.set_learner_id(m_learner);
    r.set_mock_id(m.id());
    auto report = m_client->mockReport(r);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->timed_out());
}

TEST_F(Mock, badAnswersAreRefusedNamingTheField) {
    const auto m = start(10);
    auto zero = answer(m.id(), 0, {0});
    ASSERT_FALSE(zero);
    EXPECT_NE(zero.error().message.find("number"), std::string::npos);
    auto beyond = answer(m.id(), 11, {0});
    ASSERT_FALSE(beyond);
    EXPECT_NE(beyond.error().message.find("does not exist"), std::string::npos);
    for (const auto& q : m.questions())
        if (q.kind() == v1::MULTIPLE_CHOICE) {
            auto two = answer(m.id(), q.number(), {0, 1});
            ASSERT_FALSE(two);
            EXPECT_NE(two.error().message.find("chosen_options"), std::string::npos);
            break;
        }
    v1::GetMockRequest g;
    g.set_learner_id(m_learner);
    g.set_mock_id(std::string(16, 'e'));
    EXPECT_EQ(m_client->getMock(g).error().codeName, "NOT_FOUND");
}

// The mock reserve: never-seen reserve questions first, options shown shuffled with the order recorded
// in the report, answers in content order, and reserve questions never served in study afterwards.
TEST_F(Mock, aMockDrawsTheUnseenReserveShuffledAndStudyNeverServesIt) {
    v1::GetItemRequest get;
    std::set<std::string> firstForm;
    const auto m = start();
    ASSERT_EQ(m.questions_size(), 65);
    std::map<uint32_t, std::vector<uint32_t>> shown;
    int reordered = 0;
    for (const auto& q : m.questions()) {
        get.set_item_id(q.item_id());
        const auto item = m_client->getItem(get);
        ASSERT_TRUE(item) << item.error().format();
        EXPECT_TRUE(item->item().mock_reserve()) << q.item_id()
                                                 << ": the reserve holds two forms, so a first "
                                                    "mock comes wholly from it";
        firstForm.insert(q.item_id());
        // Shown shuffled: option_index is an order of the item's options, and the texts follow it.
        ASSERT_EQ(q.option_index_size(), item->item().options_size());
        ASSERT_EQ(q.options_size(), item->item().options_size());
        std::vector<uint32_t> order(q.option_index().begin(), q.option_index().end());
        std::vector<uint32_t> sorted = order;
        std::sort(sorted.begin(), sorted.end());
        for (size_t i = 0; i < sorted.size(); ++i) {
            ASSERT_EQ(sorted[i], i);
            EXPECT_EQ(q.options(static_cast<int>(i)),
                      item->item().options(static_cast<int>(order[i])).text());
        }
        reordered += !std::is_sorted(order.begin(), order.end());
        shown[q.number()] = order;
        // Answer with the key, in content order: every answer must score right.
        std::vector<uint32_t> key;
        for (int i = 0; i < item->item().options_size(); ++i)
            if (item->item().options(i).correct())
                key.push_back(static_cast<uint32_t>(i));
        ASSERT_TRUE(answer(m.id(), q.number(), key));
    }
    EXPECT_GT(reordered, 40) << "options should be shuffled, not shown in file order";
    auto report = submit(m.id());
    ASSERT_TRUE(report) << report.error().format();
    EXPECT_EQ(report->scored_correct(), 50u);
    EXPECT_EQ(report->scored_total(), 50u);
    EXPECT_TRUE(report->passed());
    for (const auto& r : report->review()) {
        EXPECT_TRUE(r.correct()) << r.item().id();
        EXPECT_EQ(std::vector<uint32_t>(r.option_order().begin(), r.option_order().end()), shown[r.number()])
            << "the report shows the options in the order they were shown";
    }
    // A second mock: the rest of the reserve, none of the first form.
    const auto second = start();
    for (const auto& q : second.questions()) {
        get.set_item_id(q.item_id());
        EXPECT_TRUE(m_client->getItem(get)->item().mock_reserve()) << q.item_id();
        EXPECT_EQ(firstForm.count(q.item_id()), 0u) << q.item_id();
    }
    // Study never serves the reserve: not in daily review, not among mistakes, not in a drill.
    for (auto mode : {v1::DAILY_REVIEW, v1::REVIEW_MISTAKES, v1::DRILL}) {
        v1::StartSessionRequest sr;
        sr.set_learner_id(m_learner);
        sr.set_mode(mode);
        sr.set_max_items(40);
        if (mode == v1::DRILL)
            sr.set_scope("3");
        auto session = m_client->startSession(sr);
        ASSERT_TRUE(session) << session.error().format();
        for (int i = 0; i < 40; ++i) {
            v1::NextItemRequest nr;
            nr.set_learner_id(m_learner);
            nr.set_session_id(session->id());
            auto next = m_client->nextItem(nr);
            ASSERT_TRUE(next) << next.error().format();
            if (next->finished())
                break;
            get.set_item_id(next->item().id());
            ASSERT_FALSE(m_client->getItem(get)->item().mock_reserve()) << next->item().id();
            v1::AnswerRequest ar;
            ar.set_learner_id(m_learner);
            ar.set_session_id(session->id());
            ar.set_item_id(next->item().id());
            ar.set_response_ms(20'000);
            if (next->item().kind() == v1::FLASHCARD)
                ar.set_rating(v1::GOOD);
            else
                for (uint32_t c = 0; c < std::max(1u, next->item().choose()); ++c)
                    ar.add_chosen_options(next->item().option_index(static_cast<int>(c)));
            ASSERT_TRUE(m_client->answer(ar));
        }
    }
}

}  // namespace
}  // namespace retain::test
