// The MLS-C01 pack in the repository: it loads, passes every lint rule, and meets the coverage minimums,
// so none of this can silently regress.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "app/daemon.h"
#include "core/content_loader.h"
#include "core/content_rules.h"
#include "core/question_bank.h"
#include "core/readiness.h"
#include "core/study_day.h"
#include "rpc/client.h"
#include "support/temp_dir.h"

namespace retain::test {
namespace {

class Pack : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto r = core::loadContent(RETAIN_CONTENT_DIR);
        for (const auto& e : r.errors)
            ADD_FAILURE() << e.format();
        if (r.pack)
            s_pack = new core::ContentPack(std::move(*r.pack));
    }
    static void TearDownTestSuite() {
        delete s_pack;
        s_pack = nullptr;
    }
    static core::ContentPack* s_pack;
};
core::ContentPack* Pack::s_pack = nullptr;

TEST_F(Pack, loadsAndPassesEveryLintRule) {
    ASSERT_NE(s_pack, nullptr);
    for (const auto& item : s_pack->items())
        for (const auto& problem : core::lintItem(item))
            ADD_FAILURE() << item.id() << ": " << problem;
    for (const auto& d : core::findNearDuplicates(s_pack->items()))
        ADD_FAILURE() << "near-duplicates: " << s_pack->items()[d.first].id() << " and "
                      << s_pack->items()[d.second].id();
    for (const auto& [first, second] : core::findSamePrompts(s_pack->items()))
        ADD_FAILURE() << "the same prompt: " << s_pack->items()[first].id() << " and "
                      << s_pack->items()[second].id();
}

TEST_F(Pack, noKnowledgeStrategyBeatsChanceAndKeysAreSpreadOverThePositions) {
    ASSERT_NE(s_pack, nullptr);
    const auto* exam = s_pack->exam("MLS-C01");
    ASSERT_NE(exam, nullptr);
    const auto report = core::analyzeBank(core::examQuestions(*s_pack, *exam));
    ASSERT_GE(report.questions, core::kMinQuestionsToJudge);
    for (const auto& problem : core::bankProblems(report))
        ADD_FAILURE() << problem;
    for (const auto& s : report.strategies)
        EXPECT_NEAR(s.score, s.chance, core::kStrategyTolerance) << core::strategyName(s.strategy);
    EXPECT_GT(report.multipleChoiceKeys.pValue, 0.05);
    EXPECT_GT(report.multipleResponseKeys.pValue, 0.05);
}

TEST_F(Pack, questionsAreExamLikeScenariosInBlueprintProportions) {
    ASSERT_NE(s_pack, nullptr);
    const auto* exam = s_pack->exam("MLS-C01");
    ASSERT_NE(exam, nullptr);
    const auto report = core::analyzeBank(core::examQuestions(*s_pack, *exam));
    EXPECT_GE(report.questions, 400);
    EXPECT_GE(report.scenarioStems, 0.85 * report.questions)
        << report.scenarioStems << " of " << report.questions << " stems are scenarios of "
        << core::kScenarioMinWords << "-" << core::kScenarioMaxWords << " words";
    EXPECT_GE(report.difficulty[4] + report.difficulty[5], 0.20 * report.questions) << "difficulty 4-5";
    std::map<std::string, int> perDomain;
    for (const auto& ts : exam->taskStatements()) {
        int q = 0;
        for (const auto* list : {&exam->itemsOf(ts.index), &exam->reserveOf(ts.index)})
            for (size_t idx : *list)
                q += s_pack->itemAt(idx).item->kind() != v1::FLASHCARD;
        EXPECT_GE(q, 20) << "task statement " << ts.statement->id() << " has " << q << " questions";
        perDomain[ts.domain->id()] += q;
    }
    for (const auto& d : exam->blueprint().domains())
        EXPECT_NEAR(100.0 * perDomain[d.id()] / report.questions, d.weight_percent(), 3.0)
            << "domain " << d.id();
}

TEST_F(Pack, theMockReserveHoldsTwoFullFormsInBlueprintShape) {
    ASSERT_NE(s_pack, nullptr);
    const auto* exam = s_pack->exam("MLS-C01");
    ASSERT_NE(exam, nullptr);
    // A full form (65 questions, scored and unscored alike) per domain, as mock exams draw it.
    v1::Blueprint full = exam->blueprint();
    full.mutable_form()->set_scored_questions(full.form().total_questions());
    const auto form = core::questionsPerDomain(full);
    std::map<std::string, int> reserve;
    for (const auto& ts : exam->taskStatements())
        for (size_t idx : exam->reserveOf(ts.index)) {
            EXPECT_NE(s_pack->itemAt(idx).item->kind(), v1::FLASHCARD);
            ++reserve[ts.domain->id()];
        }
    for (int d = 0; d < full.domains_size(); ++d)
        EXPECT_GE(reserve[full.domains(d).id()], 2 * form[static_cast<size_t>(d)])
            << "domain " << full.domains(d).id() << ": the reserve must hold two forms' worth";
    // Never studied: no reserve question is among the study items.
    for (size_t idx : exam->items())
        EXPECT_FALSE(s_pack->itemAt(idx).item->mock_reserve()) << s_pack->itemAt(idx).item->id();
}

TEST_F(Pack, availabilityClaimsWereCheckedWithinAYear) {
    ASSERT_NE(s_pack, nullptr);
    const int64_t today =
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
    int dated = 0;
    for (const auto& item : s_pack->items()) {
        if (item.as_of().empty())
            continue;
        ++dated;
        const auto checked = core::StudyDayClock::parseIsoDate(item.as_of());
        ASSERT_TRUE(checked) << item.id();
        EXPECT_LE(*checked, today) << item.id() << ": as_of is in the future";
        EXPECT_LE(today - *checked, 365)
            << item.id() << ": as_of " << item.as_of()
            << " is more than a year old; re-check the service's availability against the cited "
               "documentation and update the item and its as_of";
    }
    EXPECT_GT(dated, 0) << "items about retired or closed services carry an as_of date";
}

TEST_F(Pack, theBlueprintIsMlsC01AsPublished) {
    ASSERT_NE(s_pack, nullptr);
    const auto* exam = s_pack->exam("MLS-C01");
    ASSERT_NE(exam, nullptr);
    const auto& bp = exam->blueprint();
    EXPECT_EQ(bp.form().total_questions(), 65u);
    EXPECT_EQ(bp.form().scored_questions(), 50u);
    EXPECT_EQ(bp.form().unscored_questions(), 15u);
    EXPECT_EQ(bp.form().duration_minutes(), 180u);
    EXPECT_EQ(bp.form().passing_scaled_score(), 750u);
    EXPECT_TRUE(bp.status().retired());
    EXPECT_EQ(bp.status().retired_on(), "2026-03-31");
    const std::vector<std::pair<std::string, double>> domains = {{"1", 20}, {"2", 24}, {"3", 36}, {"4", 20}};
    ASSERT_EQ(bp.domains_size(), 4);
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(bp.domains(i).id(), domains[static_cast<size_t>(i)].first);
        EXPECT_DOUBLE_EQ(bp.domains(i).weight_percent(), domains[static_cast<size_t>(i)].second);
    }
    EXPECT_EQ(exam->taskStatements().size(), 15u);
    for (const auto& ts : exam->taskStatements())
        EXPECT_FALSE(ts.statement->topics().empty()) << ts.statement->id();
}

TEST_F(Pack, meetsTheCoverageMinimumsPerTaskStatementAndOverall) {
    ASSERT_NE(s_pack, nullptr);
    const auto* exam = s_pack->exam("MLS-C01");
    ASSERT_NE(exam, nullptr);
    int cards = 0, questions = 0, multipleResponse = 0;
    std::map<std::string, int> domainItems;
    for (const auto& ts : exam->taskStatements()) {
        int c = 0, q = 0;
        for (size_t idx : exam->itemsOf(ts.index)) {
            const auto kind = s_pack->itemAt(idx).item->kind();
            (kind == v1::FLASHCARD ? c : q) += 1;
            if (kind == v1::MULTIPLE_RESPONSE)
                ++multipleResponse;
        }
        EXPECT_GE(c, 15) << "task statement " << ts.statement->id() << " has " << c << " flashcards";
        EXPECT_GE(q, 10) << "task statement " << ts.statement->id() << " has " << q << " study questions";
        cards += c;
        questions += q;
        domainItems[ts.domain->id()] += c + q;
    }
    EXPECT_GE(cards, 350);
    EXPECT_GE(questions, 250);
    EXPECT_GE(multipleResponse, 80);
    // Spread in proportion to the domain weights: each domain's share within 5 points of its weight.
    const double total = cards + questions;
    for (const auto& d : exam->blueprint().domains())
        EXPECT_NEAR(100.0 * domainItems[d.id()] / total, d.weight_percent(), 5.0) << "domain " << d.id();
}

TEST_F(Pack, everyItemCitesASource) {
    ASSERT_NE(s_pack, nullptr);
    for (const auto& item : s_pack->items()) {
        ASSERT_GE(item.references_size(), 1) << item.id();
        for (const auto& r : item.references())
            EXPECT_TRUE(r.url().rfind("https://", 0) == 0 || !r.citation().empty()) << item.id();
    }
}

TEST(PackServed, theDaemonServesThePackThroughTheContentApi) {
    TempDir dir;
    app::DaemonConfig c;
    c.socketPath = dir.file("d.sock");
    c.dataDir = dir.file("data");
    c.contentDir = RETAIN_CONTENT_DIR;
    auto d = app::Daemon::start(c);
    ASSERT_TRUE(d) << d.error().message;
    rpc::Client client((*d)->socketAddress());
    v1::GetBlueprintRequest bp;
    bp.set_exam_code("MLS-C01");
    auto blueprint = client.getBlueprint(bp);
    ASSERT_TRUE(blueprint) << blueprint.error().format();
    EXPECT_EQ(blueprint->domains_size(), 4);
    v1::SearchItemsRequest q;
    q.set_exam_code("MLS-C01");
    q.set_query("kinesis");
    auto found = client.searchItems(q);
    ASSERT_TRUE(found);
    EXPECT_GT(found->total(), 10u);
    v1::GetItemRequest get;
    get.set_item_id(found->items(0).id());
    auto item = client.getItem(get);
    ASSERT_TRUE(item);
    EXPECT_FALSE(item->item().explanation().empty());
}

}  // namespace
}  // namespace retain::test
