#include <gtest/gtest.h>

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
    for (int i = 0; i < 6; ++i) {
        s.knowledge->observe(*s.pack->item(weak + "-mc-q1"), false, day);
        s.knowledge->observe(*s.pack->item(strong + "-mc-q1"), true, day);
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

TEST(SessionPlanner, pacesNewMaterialToTheExamDateThenConsolidates) {
    auto pack = loadPack(test::miniContentDir());
    test::EventMaker mk;
    LearnerModel model(mk.learner(), pack.get());
    const int64_t today = model.days().dayOf(kT0);
    // Exam in 20 days: 6 days before the 14-day consolidation phase for 21 unseen items -> 4 a day.
    model.apply(mk.setting(kT0, "exam_date", StudyDayClock::isoDate(today + 20)));
    EXPECT_EQ(newAllowanceToday(model, kT0 + 1000), 4);
    // Exam in 10 days: consolidation, nothing new.
    model.apply(mk.setting(kT0 + 2000, "exam_date", StudyDayClock::isoDate(today + 10)));
    EXPECT_EQ(newAllowanceToday(model, kT0 + 3000), 0);
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
