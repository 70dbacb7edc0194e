#include <gtest/gtest.h>

#include <cmath>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/content_loader.h"
#include "core/session_planner.h"
#include "support/events.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

using test::kDayMs;
using test::kT0;

std::unique_ptr<ContentPack> loadPack(const std::string& dir) {
    auto r = loadContent(dir);
    EXPECT_TRUE(r.pack);
    return r.pack ? std::make_unique<ContentPack>(std::move(*r.pack)) : nullptr;
}

// The mini pack with the domain weights swapped (1: 30 %, 2: 70 %).
std::string swappedWeights(const test::TempDir& dir) {
    namespace fs = std::filesystem;
    fs::copy(test::miniContentDir(), dir.path() + "/c", fs::copy_options::recursive);
    const std::string bp = dir.path() + "/c/blueprints/mini.textproto";
    std::stringstream s;
    s << std::ifstream(bp).rdbuf();
    std::string text = s.str();
    text.replace(text.find("weight_percent: 70"), 18, "weight_percent: 3X");
    text.replace(text.find("weight_percent: 30"), 18, "weight_percent: 70");
    text.replace(text.find("weight_percent: 3X"), 18, "weight_percent: 30");
    std::ofstream(bp) << text;
    return dir.path() + "/c";
}

struct Scenario {
    std::unique_ptr<ContentPack> pack;
    std::unique_ptr<LearnerModel> model;
    std::unique_ptr<KnowledgeModel> knowledge;
    int64_t now = 0;
};

// Every flashcard of 1.2 and 2.1 learned on the same day with the same grade (equal due loads a
// month later); question evidence makes `weak` weak and `strong` strong.
Scenario dueScenario(const std::string& contentDir, const std::string& weak, const std::string& strong) {
    Scenario s;
    s.pack = loadPack(contentDir);
    test::EventMaker mk;
    s.model = std::make_unique<LearnerModel>(mk.learner(), s.pack.get());
    s.model->apply(mk.setting(kT0, "new_items_per_day", "0"));
    for (const char* ts : {"1.2", "2.1"})
        for (int i = 1; i <= 4; ++i)
            s.model->apply(mk.answer(kT0 + 1000, std::string(ts) + "-fc-card" + std::to_string(i), 3));
    s.knowledge = std::make_unique<KnowledgeModel>(s.model->exam());
    const int64_t day = s.model->days().dayOf(kT0);
    // Each item counts once (its latest answer), so the evidence is spread over the questions.
    for (const char* q : {"-mc-q1", "-mc-q2", "-mr-multi"}) {
        s.knowledge->observe(*s.pack->item(weak + q), false, day);
        s.knowledge->observe(*s.pack->item(strong + q), true, day);
    }
    s.now = kT0 + 30 * kDayMs;
    return s;
}

// Mean gain of planned items per task statement.
std::map<std::string, double> gainByStatement(const SessionPlan& plan, const ContentPack& pack) {
    std::map<std::string, std::pair<double, int>> acc;
    for (const auto& p : plan.items) {
        auto& a = acc[pack.itemAt(p.itemIndex).item->task_statement()];
        a.first += p.gain;
        ++a.second;
    }
    std::map<std::string, double> out;
    for (auto& [ts, a] : acc)
        out[ts] = a.first / a.second;
    return out;
}

TEST(SessionPlanner, servesAWeakHighWeightStatementBeforeAStrongLowWeightOne) {
    auto s = dueScenario(test::miniContentDir(), "1.2", "2.1");
    PlanRequest req{PlanMode::DailyReview, "", 60, 1000, s.now};
    auto plan = planSession(*s.model, *s.knowledge, req);
    ASSERT_EQ(plan.reviews, 8);
    const auto gains = gainByStatement(plan, *s.pack);
    EXPECT_GT(gains.at("1.2"), gains.at("2.1"));
    EXPECT_EQ(s.pack->itemAt(plan.items.front().itemIndex).item->task_statement(), "1.2");
    // With a budget for only four cards, all four are the weak, heavy statement's.
    PlanRequest tight{PlanMode::DailyReview, "", 4 * estimateTimes(*s.model).flashcardMinutes + 0.01, 1000,
                      s.now};
    auto small = planSession(*s.model, *s.knowledge, tight);
    ASSERT_EQ(small.items.size(), 4u);
    for (const auto& p : small.items)
        EXPECT_EQ(s.pack->itemAt(p.itemIndex).item->task_statement(), "1.2");
}

TEST(SessionPlanner, loweringMasteryMovesAStatementUp) {
    auto strong = dueScenario(test::miniContentDir(), "1.2", "2.1");  // 2.1 strong
    auto weak = dueScenario(test::miniContentDir(), "2.1", "1.2");    // 2.1 weak
    PlanRequest req{PlanMode::DailyReview, "", 60, 1000, strong.now};
    const auto g1 = gainByStatement(planSession(*strong.model, *strong.knowledge, req), *strong.pack);
    const auto g2 = gainByStatement(planSession(*weak.model, *weak.knowledge, req), *weak.pack);
    EXPECT_GT(g2.at("2.1"), g1.at("2.1"));
    EXPECT_GT(g2.at("2.1"), g2.at("1.2"));
}

TEST(SessionPlanner, raisingTheDomainWeightMovesAStatementUp) {
    test::TempDir dir;
    // Equal evidence for both statements: only the weight differs.
    auto base = dueScenario(test::miniContentDir(), "1.1", "1.1");
    auto swapped = dueScenario(swappedWeights(dir), "1.1", "1.1");
    PlanRequest req{PlanMode::DailyReview, "", 60, 1000, base.now};
    const auto before = gainByStatement(planSession(*base.model, *base.knowledge, req), *base.pack);
    const auto after = gainByStatement(planSession(*swapped.model, *swapped.knowledge, req), *swapped.pack);
    EXPECT_GT(before.at("1.2"), before.at("2.1"));
    EXPECT_GT(after.at("2.1"), after.at("1.2"));
}

TEST(SessionPlanner, honoursTheDailyNewItemLimitAndTheMinutesBudget) {
    auto pack = loadPack(test::miniContentDir());
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    model.apply(mk.setting(kT0, "new_items_per_day", "5"));
    KnowledgeModel know(model.exam());
    auto plan = planSession(model, know, {PlanMode::DailyReview, "", 600, 1000, kT0 + 1000});
    EXPECT_EQ(plan.newItems, 5);
    // Two introduced today leave three.
    model.apply(mk.answer(kT0 + 2000, "1.1-fc-card1", 3));
    model.apply(mk.answer(kT0 + 3000, "1.1-fc-card2", 3));
    EXPECT_EQ(newAllowanceToday(model, kT0 + 4000), 3);
    auto budget = planSession(model, know, {PlanMode::DailyReview, "", 1.0, 1000, kT0 + 4000});
    EXPECT_LE(budget.minutes, 1.0 + 1e-9);
    EXPECT_GE(budget.items.size(), 1u);
}

TEST(SessionPlanner, pacesNewMaterialToTheExamDateWithoutEverLockingItOut) {
    auto pack = loadPack(test::miniContentDir());
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    const int64_t today = model.days().dayOf(kT0);
    // Exam in 20 days: consolidation min(14, 20/4) = 5 days; 21 unseen over 15 days -> 2 a day.
    model.apply(mk.setting(kT0, "exam_date", StudyDayClock::isoDate(today + 20)));
    auto p = pacing(model, kT0 + 1000);
    EXPECT_EQ(p.unseen, 21);
    EXPECT_EQ(p.daysLeft, 20);
    EXPECT_EQ(p.consolidationDays, 5);
    EXPECT_EQ(p.perDay, 2);
    // Exam in 8 days: consolidation 2 days; 21 over 6 days -> 4 a day, not 0.
    model.apply(mk.setting(kT0 + 2000, "exam_date", StudyDayClock::isoDate(today + 8)));
    p = pacing(model, kT0 + 3000);
    EXPECT_EQ(p.consolidationDays, 2);
    EXPECT_EQ(p.perDay, 4);
    // Exam tomorrow: still a day to introduce things in.
    model.apply(mk.setting(kT0 + 4000, "exam_date", StudyDayClock::isoDate(today + 1)));
    p = pacing(model, kT0 + 5000);
    EXPECT_EQ(p.consolidationDays, 0);
    EXPECT_EQ(p.perDay, 21);
    // The learner's own limit is the only cap on what a day may introduce.
    EXPECT_EQ(newAllowanceToday(model, kT0 + 5000), 20);
}

TEST(SessionPlanner, anExamEightDaysAwayStillGivesANewLearnerNewItems) {
    auto pack = loadPack(RETAIN_CONTENT_DIR);  // 654 items
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    const int64_t today = model.days().dayOf(kT0);
    model.apply(mk.setting(kT0, "exam_date", StudyDayClock::isoDate(today + 8)));
    KnowledgeModel know(model.exam());
    auto plan = planSession(model, know, {PlanMode::DailyReview, "", 40, 1000, kT0 + 1000});
    EXPECT_EQ(plan.newItems, 20);  // the default limit: 654 over 6 days would be 109 a day
    EXPECT_LE(plan.minutes, 40.0);
}

TEST(SessionPlanner, theLearnersNewItemLimitIsHonouredUpToIt) {
    auto pack = loadPack(RETAIN_CONTENT_DIR);
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    const int64_t today = model.days().dayOf(kT0);
    model.apply(mk.setting(kT0, "exam_date", StudyDayClock::isoDate(today + 70)));
    model.apply(mk.setting(kT0, "new_items_per_day", "40"));
    KnowledgeModel know(model.exam());
    // 70 days away the pace alone would be the study items / 56 days (14 kept for consolidation), rounded
    // up; the minutes allow more and the learner asked for 40.
    const int pace = static_cast<int>(std::ceil(static_cast<double>(model.exam()->items().size()) / 56.0));
    ASSERT_GT(pace, 1);
    auto plan = planSession(model, know, {PlanMode::DailyReview, "", 120, 1000, kT0 + 1000});
    EXPECT_EQ(plan.newItems, 40);
    // A short session takes what its minutes hold, and never less than the pace.
    auto shortPlan = planSession(model, know, {PlanMode::DailyReview, "", 5, 1000, kT0 + 1000});
    EXPECT_EQ(shortPlan.newAllowance, pace);
}

TEST(SessionPlanner, thePlanIsSaidInOneSentenceWithAnyLimitInForce) {
    EXPECT_EQ(longDate(*StudyDayClock::parseIsoDate("2027-01-03")), "3 January 2027");
    auto pack = loadPack(test::miniContentDir());
    const int items = static_cast<int>(pack->defaultExam()->items().size());
    ASSERT_GT(items, 10);
    test::EventMaker mk;
    {
        // 70 days away: consolidation min(14, 70 / 4) = 14, so the items are paced over 56 days.
        LearnerModel model(mk.learner(), pack.get());
        const int64_t today = model.days().dayOf(kT0);
        model.apply(mk.setting(kT0, "exam_date", StudyDayClock::isoDate(today + 70)));
        const int perDay = (items + 55) / 56;
        EXPECT_EQ(planSentence(model, kT0),
                  std::to_string(perDay) +
                      " new a day (more when your minutes allow, up to your limit of 20) " +
                      "introduces the " + std::to_string(items) + " items left by " + longDate(today + 56) +
                      ", then 14 days of consolidation before your exam on " + longDate(today + 70) +
                      " (in 70 days).");
    }
    {
        // A limit too low to cover the pack by the exam: how much stays unseen, and what to change.
        LearnerModel model(mk.learner(), pack.get());
        const int64_t today = model.days().dayOf(kT0);
        model.apply(mk.setting(kT0, "exam_date", StudyDayClock::isoDate(today + 5)));
        model.apply(mk.setting(kT0 + 1, "new_items_per_day", "2"));
        const std::string s = planSentence(model, kT0 + 2);
        EXPECT_NE(
            s.find("Your limit of 2 new a day introduces 10 of the " + std::to_string(items) + " items left"),
            std::string::npos)
            << s;
        EXPECT_NE(s.find(std::to_string(items - 10) + " will stay unseen"), std::string::npos) << s;
        EXPECT_NE(s.find("Raise new_items_per_day"), std::string::npos) << s;
    }
    {
        // No date, a zero limit, a date passed.
        LearnerModel model(mk.learner(), pack.get());
        EXPECT_EQ(planSentence(model, kT0).rfind("No exam date: up to 20 new a day", 0), 0u)
            << planSentence(model, kT0);
        model.apply(mk.setting(kT0, "new_items_per_day", "0"));
        EXPECT_EQ(planSentence(model, kT0 + 1).rfind("Your limit is 0 new items a day", 0), 0u);
        const int64_t today = model.days().dayOf(kT0);
        model.apply(mk.setting(kT0 + 2, "exam_date", StudyDayClock::isoDate(today - 3)));
        EXPECT_EQ(planSentence(model, kT0 + 3),
                  "Your exam date " + longDate(today - 3) +
                      " has passed: set the new one (exam_date) to pace the plan.");
    }
}

TEST(SessionPlanner, aDrillIntroducesNewItemsOfItsScopeBeyondTheDailyLimit) {
    auto pack = loadPack(test::miniContentDir());
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    model.apply(mk.setting(kT0, "new_items_per_day", "0"));
    KnowledgeModel know(model.exam());
    auto daily = planSession(model, know, {PlanMode::DailyReview, "", 60, 1000, kT0 + 1000});
    EXPECT_EQ(daily.newItems, 0);
    auto drill = planSession(model, know, {PlanMode::Drill, "1.1", 60, 1000, kT0 + 1000});
    EXPECT_GT(drill.newItems, 0);
    for (const auto& p : drill.items)
        EXPECT_EQ(pack->itemAt(p.itemIndex).item->task_statement(), "1.1");
}

TEST(SessionPlanner, minutesLeftAfterTheDueReviewsAreFilledWithReviewsAheadOfSchedule) {
    auto pack = loadPack(test::miniContentDir());
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    for (const auto& item : pack->items())
        model.apply(mk.answer(kT0 + 1000, item.id(), 4, item.kind() != v1::FLASHCARD));  // all EASY
    KnowledgeModel know(model.exam());
    // Five days on nothing is due (EASY: about 8 days) and nothing is new, but recall has dropped to
    // about 93 %: a willing learner still gets work.
    const int64_t later = kT0 + 5 * kDayMs;
    auto plan = planSession(model, know, {PlanMode::DailyReview, "", 30, 1000, later});
    ASSERT_GT(plan.reviews, 0);
    EXPECT_EQ(plan.newItems, 0);
    for (const auto& p : plan.items)
        EXPECT_NE(p.reason.find("ahead of schedule"), std::string::npos) << p.reason;
    // The day after the answers, recall is still too high to be worth the time.
    auto nextDay = planSession(model, know, {PlanMode::DailyReview, "", 30, 1000, kT0 + kDayMs});
    EXPECT_TRUE(nextDay.items.empty());
}

TEST(SessionPlanner, newItemsCoverEveryTaskStatementInTheFirstTenthOfThePlan) {
    auto pack = loadPack(RETAIN_CONTENT_DIR);  // MLS-C01: 15 task statements, weights 20/24/36/20
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    const int64_t today = model.days().dayOf(kT0);
    model.apply(mk.setting(kT0, "exam_date", StudyDayClock::isoDate(today + 60)));
    model.apply(mk.setting(kT0, "minutes_per_day", "40"));
    KnowledgeModel know(model.exam());
    std::map<std::string, int> seenByStatement, seenByDomain;
    int64_t t = kT0 + 1000;
    for (int day = 0; day < 6; ++day) {  // 10 % of 60 days, every planned item answered GOOD
        auto plan = planSession(model, know, {PlanMode::DailyReview, "", 40, 1000, t});
        for (const auto& p : plan.items) {
            const auto& item = *pack->itemAt(p.itemIndex).item;
            t += 30'000;
            model.apply(mk.answer(t, item.id(), 3, item.kind() != v1::FLASHCARD));
            if (p.isNew) {
                ++seenByStatement[item.task_statement()];
                ++seenByDomain[item.task_statement().substr(0, 1)];
            }
        }
        t = kT0 + (day + 1) * kDayMs + 1000;
    }
    for (const auto& ts : model.exam()->taskStatements())
        EXPECT_GT(seenByStatement[ts.statement->id()], 0) << "task statement " << ts.statement->id();
    // Every domain gets new material roughly by weight (not all of it from the heaviest one).
    int total = 0;
    for (const auto& [d, n] : seenByDomain)
        total += n;
    ASSERT_GT(total, 0);
    for (const auto& [domain, weight] :
         std::map<std::string, double>{{"1", 0.20}, {"2", 0.24}, {"3", 0.36}, {"4", 0.20}}) {
        const double share = static_cast<double>(seenByDomain[domain]) / total;
        EXPECT_GT(share, weight * 0.5) << "domain " << domain;
        EXPECT_LT(share, weight * 1.6) << "domain " << domain;
    }
}

TEST(SessionPlanner, interleavesQuestionsWithFlashcards) {
    auto pack = loadPack(test::miniContentDir());
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    model.apply(mk.setting(kT0, "new_items_per_day", "21"));
    KnowledgeModel know(model.exam());
    auto plan = planSession(model, know, {PlanMode::DailyReview, "", 600, 1000, kT0 + 1000});
    ASSERT_EQ(plan.items.size(), 21u);
    int longestRun = 0, run = 0;
    bool lastCard = false;
    for (size_t i = 0; i < plan.items.size(); ++i) {
        const bool card = pack->itemAt(plan.items[i].itemIndex).item->kind() == v1::FLASHCARD;
        run = (i > 0 && card == lastCard) ? run + 1 : 1;
        longestRun = std::max(longestRun, run);
        lastCard = card;
    }
    EXPECT_LE(longestRun, 3);  // 12 cards and 9 questions: never a long block of one kind
}

TEST(SessionPlanner, newMaterialMixesQuestionsWithFlashcardsFromTheFirstDay) {
    auto pack = loadPack(RETAIN_CONTENT_DIR);  // the real pack: 382 flashcards, 272 questions
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    KnowledgeModel know(model.exam());
    auto plan = planSession(model, know, {PlanMode::DailyReview, "", 600, 1000, kT0 + 1000});
    ASSERT_EQ(plan.newItems, 20);  // the default daily limit
    int questions = 0;
    for (const auto& p : plan.items)
        questions += pack->itemAt(p.itemIndex).item->kind() != v1::FLASHCARD;
    EXPECT_GE(questions, 6);
    EXPECT_LE(questions, 11);
}

TEST(KnowledgeModel, wrongAnswersLowerMasteryAndEvidenceShrinksUncertainty) {
    auto pack = loadPack(test::miniContentDir());
    KnowledgeModel k(pack->exam("MINI-01"));
    const auto prior = k.taskStatement(0, 100);
    for (int i = 0; i < 8; ++i)
        k.observe(*pack->item("1.1-mc-q1"), false, 100);
    const auto after = k.taskStatement(0, 100);
    EXPECT_LT(after.mean, prior.mean);
    EXPECT_LT(after.stddev, prior.stddev);
    // Time without evidence widens it again.
    EXPECT_GT(k.taskStatement(0, 400).stddev, after.stddev);
}

TEST(KnowledgeModel, aStatementWithoutEvidenceBorrowsFromItsDomain) {
    auto pack = loadPack(test::miniContentDir());
    KnowledgeModel k(pack->exam("MINI-01"));
    const double before = k.taskStatement(1, 100).mean;  // 1.2
    for (int i = 0; i < 10; ++i)
        k.observe(*pack->item("1.1-mc-q2"), true, 100);
    EXPECT_GT(k.taskStatement(1, 100).mean, before);                        // same domain moves up
    EXPECT_NEAR(k.taskStatement(2, 100).mean, before, 1e-9);                // 2.1, other domain: unchanged
    EXPECT_GT(k.taskStatement(0, 100).mean, k.taskStatement(1, 100).mean);  // own evidence counts most
}

TEST(KnowledgeModel, guessingFloorsMatchTheItemFormat) {
    auto pack = loadPack(test::miniContentDir());
    EXPECT_DOUBLE_EQ(KnowledgeModel::guessingFloor(*pack->item("1.1-mc-q1")->item), 0.25);
    EXPECT_DOUBLE_EQ(KnowledgeModel::guessingFloor(*pack->item("1.1-mr-multi")->item), 0.1);  // 1 / C(5,2)
    EXPECT_DOUBLE_EQ(KnowledgeModel::guessingFloor(*pack->item("1.1-fc-card1")->item), 0.0);
}

}  // namespace
}  // namespace retain::core
