#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/content_loader.h"
#include "core/content_rules.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

using test::TempDir;

// Copies the mini pack into a temp dir and appends `extra` to its item file.
std::string packWith(const TempDir& dir, const std::string& extra,
                     const std::string& fileName = "mini.textproto") {
    namespace fs = std::filesystem;
    fs::copy(test::miniContentDir(), dir.path() + "/c", fs::copy_options::recursive);
    std::ofstream(dir.path() + "/c/items/mini/" + fileName, std::ios::app) << extra;
    return dir.path() + "/c";
}

const std::string kHeader = "exam: \"MINI-01\"\n";
const std::string kRef = "references { title: \"t\" url: \"https://example.org/doc\" }";

std::string joined(const ContentLoadResult& r) {
    std::string s;
    for (const auto& e : r.errors)
        s += e.format() + "\n";
    return s;
}

TEST(ContentLoader, loadsTheMiniPackWithIndexes) {
    auto r = loadContent(test::miniContentDir());
    ASSERT_TRUE(r.pack) << joined(r);
    EXPECT_EQ(r.pack->itemCount(), 21u);
    const Exam* exam = r.pack->exam("MINI-01");
    ASSERT_NE(exam, nullptr);
    EXPECT_EQ(exam->taskStatements().size(), 3u);
    EXPECT_EQ(exam->itemsOf(exam->taskStatement("2.1")->index).size(), 7u);
    const auto* item = r.pack->item("1.2-mr-multi");
    ASSERT_NE(item, nullptr);
    EXPECT_EQ(item->statement->domain->id(), "1");
    EXPECT_EQ(correctCount(*item->item), 2);
}

TEST(ContentLoader, reportsAnUnknownTaskStatementWithFileAndLine) {
    TempDir dir;
    auto path = packWith(dir,
                         kHeader +
                             "items {\n  id: \"9.9-fc-x\" revision: 1 task_statement: \"9.9\" kind: "
                             "FLASHCARD prompt: \"p\" answer: \"a\" explanation: \"e\" difficulty: 2 " +
                             kRef + " }\n",
                         "bad.textproto");
    auto r = loadContent(path);
    EXPECT_FALSE(r.pack);
    ASSERT_EQ(r.errors.size(), 1u) << joined(r);
    EXPECT_EQ(r.errors[0].file, "items/mini/bad.textproto");
    EXPECT_EQ(r.errors[0].line, 2);
    EXPECT_NE(r.errors[0].reason.find("unknown task statement \"9.9\""), std::string::npos);
}

TEST(ContentLoader, reportsDuplicateIdsWithTheFirstDefinition) {
    TempDir dir;
    auto path = packWith(dir,
                         kHeader +
                             "items { id: \"1.1-fc-card1\" revision: 1 task_statement: \"1.1\" kind: "
                             "FLASHCARD prompt: \"p\" answer: \"a\" explanation: \"e\" difficulty: 2 " +
                             kRef + " }\n",
                         "zz-dup.textproto");
    auto r = loadContent(path);
    EXPECT_FALSE(r.pack);
    ASSERT_EQ(r.errors.size(), 1u) << joined(r);
    EXPECT_NE(r.errors[0].reason.find("duplicate id (first defined at items/mini/mini.textproto:"),
              std::string::npos);
}

TEST(ContentLoader, keepsTheMockReserveApartAndOutOfStudyItemsRelatedLists) {
    const std::string question =
        "items { id: \"1.1-mc-held\" revision: 1 task_statement: \"1.1\" kind: MULTIPLE_CHOICE prompt: \"q\" "
        "options { text: \"a\" correct: true explanation: \"e\" } options { text: \"b\" explanation: \"e\" } "
        "options { text: \"c\" explanation: \"e\" } options { text: \"d\" explanation: \"e\" } "
        "explanation: \"e\" difficulty: 3 mock_reserve: true " +
        kRef + " }\n";
    {
        TempDir dir;
        auto r = loadContent(packWith(dir, kHeader + question, "held.textproto"));
        ASSERT_TRUE(r.pack) << joined(r);
        const Exam* exam = r.pack->exam("MINI-01");
        const int ts = exam->taskStatement("1.1")->index;
        ASSERT_EQ(exam->reserveOf(ts).size(), 1u);
        EXPECT_EQ(r.pack->itemAt(exam->reserveOf(ts)[0]).item->id(), "1.1-mc-held");
        for (size_t idx : exam->items())
            EXPECT_NE(r.pack->itemAt(idx).item->id(), "1.1-mc-held") << "the reserve is not a study item";
    }
    {
        // A study card pointing at it would show the held-back question with a leech.
        TempDir dir;
        auto r = loadContent(packWith(
            dir,
            kHeader + question +
                "items { id: \"1.1-fc-points\" revision: 1 task_statement: \"1.1\" kind: FLASHCARD prompt: "
                "\"p\" answer: \"a\" explanation: \"e\" difficulty: 2 related: [\"1.1-mc-held\"] " +
                kRef + " }\n",
            "held.textproto"));
        EXPECT_FALSE(r.pack);
        ASSERT_EQ(r.errors.size(), 1u) << joined(r);
        EXPECT_NE(r.errors[0].reason.find("\"1.1-mc-held\" is in the mock reserve"), std::string::npos)
            << joined(r);
    }
}

TEST(ContentLoader, rejectsWrongNumbersOfCorrectOptions) {
    TempDir dir;
    std::string mc =
        "items { id: \"1.1-mc-two-right\" revision: 1 task_statement: \"1.1\" kind: MULTIPLE_CHOICE prompt: "
        "\"p\" explanation: \"e\" difficulty: 2 " +
        kRef;
    for (int i = 0; i < 4; ++i)
        mc += " options { text: \"o" + std::to_string(i) + "\" correct: " + (i < 2 ? "true" : "false") +
              " explanation: \"x\" }";
    mc += " }\n";
    std::string mr =
        "items { id: \"1.1-mr-one-right\" revision: 1 task_statement: \"1.1\" kind: MULTIPLE_RESPONSE "
        "prompt: \"p (Choose one.)\" explanation: \"e\" difficulty: 2 " +
        kRef;
    for (int i = 0; i < 5; ++i)
        mr += " options { text: \"o" + std::to_string(i) + "\" correct: " + (i < 1 ? "true" : "false") +
              " explanation: \"x\" }";
    mr += " }\n";
    auto r = loadContent(packWith(dir, kHeader + mc + mr, "bad.textproto"));
    EXPECT_FALSE(r.pack);
    const auto all = joined(r);
    EXPECT_NE(all.find("item 1.1-mc-two-right: multiple choice needs exactly 1 correct of 4 options, has 2 "
                       "correct of 4"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("item 1.1-mr-one-right: multiple response needs 2 or more correct of 5 or more "
                       "options, has 1 correct of 5"),
              std::string::npos)
        << all;
}

TEST(ContentLoader, rejectsMissingExplanationReferenceAndEmptyText) {
    TempDir dir;
    auto r = loadContent(packWith(dir,
                                  kHeader + "items { id: \"1.1-fc-bare\" revision: 1 task_statement: \"1.1\" "
                                            "kind: FLASHCARD prompt: \"  \" answer: \"a\" difficulty: 2 }\n",
                                  "bad.textproto"));
    EXPECT_FALSE(r.pack);
    const auto all = joined(r);
    EXPECT_NE(all.find("prompt is empty"), std::string::npos) << all;
    EXPECT_NE(all.find("explanation is missing"), std::string::npos) << all;
    EXPECT_NE(all.find("no reference"), std::string::npos) << all;
}

TEST(ContentLoader, rejectsUnknownFieldsWithLineAndColumn) {
    TempDir dir;
    auto r = loadContent(
        packWith(dir, kHeader + "items {\n  id: \"1.1-fc-x\"\n  colour: \"blue\"\n}\n", "bad.textproto"));
    EXPECT_FALSE(r.pack);
    ASSERT_FALSE(r.errors.empty());
    EXPECT_EQ(r.errors[0].file, "items/mini/bad.textproto");
    EXPECT_EQ(r.errors[0].line, 4);
    EXPECT_NE(r.errors[0].reason.find("colour"), std::string::npos) << joined(r);
}

TEST(ContentLoader, refusesADirectoryWithoutBlueprints) {
    TempDir dir;
    auto r = loadContent(dir.path());
    EXPECT_FALSE(r.pack);
    ASSERT_FALSE(r.errors.empty());
    EXPECT_NE(r.errors[0].reason.find("no blueprint"), std::string::npos);
}

TEST(ContentRules, blueprintWeightsMustSumToOneHundred) {
    v1::Blueprint bp;
    bp.set_code("X");
    bp.set_name("X");
    auto* f = bp.mutable_form();
    f->set_total_questions(10);
    f->set_scored_questions(10);
    f->set_duration_minutes(10);
    f->set_scaled_score_min(100);
    f->set_scaled_score_max(1000);
    f->set_passing_scaled_score(700);
    f->set_assumed_cut_fraction(0.7);
    f->set_cut_assumption_note("n");
    auto* d = bp.add_domains();
    d->set_id("1");
    d->set_name("d");
    d->set_weight_percent(60);
    auto* ts = d->add_task_statements();
    ts->set_id("1.1");
    ts->set_title("t");
    auto problems = validateBlueprint(bp);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("sum to 60"), std::string::npos);
}

TEST(ContentRules, lintRequiresTheStemToSayHowManyToChoose) {
    auto r = loadContent(test::miniContentDir());
    ASSERT_TRUE(r.pack);
    v1::Item item = *r.pack->item("1.1-mr-multi")->item;
    EXPECT_TRUE(lintItem(item).empty());
    item.set_prompt("Which options apply?");
    auto problems = lintItem(item);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("(Choose two.)"), std::string::npos);
}

TEST(ContentRules, findsNearDuplicatesButNotDistinctItems) {
    v1::Item a, b, c;
    a.set_prompt(
        "Which AWS service ingests streaming data in real time for custom consumer applications at scale?");
    b.set_prompt(
        "Which AWS service ingests streaming data in real time for custom consumer applications at large "
        "scale?");
    c.set_prompt(
        "What does the XGBoost eta hyperparameter control during gradient boosting training rounds?");
    auto dups = findNearDuplicates({a, b, c});
    ASSERT_EQ(dups.size(), 1u);
    EXPECT_EQ(dups[0].first, 0u);
    EXPECT_EQ(dups[0].second, 1u);
    EXPECT_GT(dups[0].similarity, 0.7);
}

}  // namespace
}  // namespace retain::core
