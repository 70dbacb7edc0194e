// The question-bank analysis: exact strategy scores (ties included), the chi-squared tail against
// table values, and the lint rules that keep keys from standing out.
#include <gtest/gtest.h>

#include <cmath>

#include "core/content_rules.h"
#include "core/question_bank.h"

namespace retain::core {
namespace {

v1::Item question(const std::string& stem, const std::vector<std::pair<std::string, bool>>& options) {
    v1::Item q;
    q.set_id("1.1-mc-x");
    q.set_kind(options.size() == 4 ? v1::MULTIPLE_CHOICE : v1::MULTIPLE_RESPONSE);
    q.set_prompt(stem);
    q.set_difficulty(3);
    for (const auto& [text, correct] : options) {
        auto* o = q.add_options();
        o->set_text(text);
        o->set_correct(correct);
        o->set_explanation("because");
    }
    return q;
}

TEST(QuestionBank, longestAndShortestScoreExactlyWithTiesSplit) {
    const auto q =
        question("Which one?", {{"aaaa", false}, {"aaaaaaaa", true}, {"aa", false}, {"aaaaaa", false}});
    EXPECT_DOUBLE_EQ(strategySuccess(q, Strategy::Longest), 1.0);
    EXPECT_DOUBLE_EQ(strategySuccess(q, Strategy::Shortest), 0.0);
    EXPECT_DOUBLE_EQ(chanceSuccess(q), 0.25);
    // Two options tie for longest, one of them the key: a coin flip.
    const auto tie =
        question("Which one?", {{"bbbbbbbb", false}, {"aaaaaaaa", true}, {"aa", false}, {"aaa", false}});
    EXPECT_DOUBLE_EQ(strategySuccess(tie, Strategy::Longest), 0.5);
    // All the same length: the strategy is blind guessing.
    const auto same =
        question("Which one?", {{"aaaa", false}, {"bbbb", true}, {"cccc", false}, {"dddd", false}});
    EXPECT_DOUBLE_EQ(strategySuccess(same, Strategy::Longest), 0.25);
}

TEST(QuestionBank, multipleResponseNeedsExactlyTheKeySet) {
    // Choose two of five: the two longest are the keys.
    const auto q = question(
        "Pick two. (Choose two.)",
        {{"aaaaaaaaaa", true}, {"aaa", false}, {"aaaaaaaaa", true}, {"aaaa", false}, {"aaaaa", false}});
    EXPECT_DOUBLE_EQ(chanceSuccess(q), 0.1);
    EXPECT_DOUBLE_EQ(strategySuccess(q, Strategy::Longest), 1.0);
    EXPECT_DOUBLE_EQ(strategySuccess(q, Strategy::Shortest), 0.0);
    // The second key ties with a distractor for second place: half the time.
    const auto tie = question(
        "Pick two. (Choose two.)",
        {{"aaaaaaaaaa", true}, {"aaaaaaaaa", false}, {"aaaaaaaaa", true}, {"aaaa", false}, {"aaaaa", false}});
    EXPECT_DOUBLE_EQ(strategySuccess(tie, Strategy::Longest), 0.5);
}

TEST(QuestionBank, numericMiddleAndStemOverlapAndOddOneOut) {
    const auto numbers = question(
        "How many days?", {{"1 day", false}, {"7 days", true}, {"30 days", false}, {"365 days", false}});
    EXPECT_DOUBLE_EQ(strategySuccess(numbers, Strategy::NumericMiddle), 0.5);  // 7 and 30 are the middle
    const auto words =
        question("Which option?", {{"red", false}, {"blue", true}, {"green", false}, {"pink", false}});
    EXPECT_DOUBLE_EQ(strategySuccess(words, Strategy::NumericMiddle), 0.25);  // not numeric: chance
    const auto echo =
        question("A team streams clickstream records into Amazon S3 with low latency.",
                 {{"Use Amazon Data Firehose to deliver the clickstream records to Amazon S3", true},
                  {"Use AWS Glue crawlers on a schedule", false},
                  {"Use Amazon Athena views over time", false},
                  {"Use AWS Batch jobs every hour", false}});
    EXPECT_DOUBLE_EQ(strategySuccess(echo, Strategy::StemOverlap), 1.0);
    const auto odd = question("Which one?", {{"train the model on spot instances", false},
                                             {"train the model on reserved instances", false},
                                             {"train the model on dedicated instances", false},
                                             {"compress logs before upload", true}});
    EXPECT_DOUBLE_EQ(strategySuccess(odd, Strategy::OddOneOut), 1.0);
}

TEST(QuestionBank, chiSquaredTailMatchesTables) {
    EXPECT_NEAR(chiSquaredUpperTail(3.841459, 1), 0.05, 1e-6);
    EXPECT_NEAR(chiSquaredUpperTail(7.814728, 3), 0.05, 1e-6);
    EXPECT_NEAR(chiSquaredUpperTail(11.070498, 5), 0.05, 1e-6);
    EXPECT_NEAR(chiSquaredUpperTail(2.0, 2), std::exp(-1.0), 1e-12);  // df 2: exp(-x/2)
    // df 3: erfc(sqrt(x/2)) + sqrt(2x/pi) exp(-x/2), in the tail where the continued fraction is used.
    EXPECT_NEAR(chiSquaredUpperTail(30.0, 3),
                std::erfc(std::sqrt(15.0)) + std::sqrt(60.0 / M_PI) * std::exp(-15.0), 1e-15);
    EXPECT_DOUBLE_EQ(chiSquaredUpperTail(0.0, 4), 1.0);
}

TEST(QuestionBank, aBankWithTheKeyAlwaysFirstAndLongestFailsBothRules) {
    std::vector<v1::Item> items;
    for (int i = 0; i < 120; ++i)
        items.push_back(question("Which one?", {{"the right answer, longer than the rest", true},
                                                {"a wrong one", false},
                                                {"another one", false},
                                                {"a third one", false}}));
    std::vector<const v1::Item*> ptrs;
    for (const auto& q : items)
        ptrs.push_back(&q);
    const auto report = analyzeBank(ptrs);
    EXPECT_EQ(report.questions, 120);
    EXPECT_EQ(report.multipleChoice, 120);
    EXPECT_DOUBLE_EQ(report.strategies[0].score, 1.0);
    EXPECT_DOUBLE_EQ(report.strategies[0].chance, 0.25);
    EXPECT_DOUBLE_EQ(report.multipleChoiceKeys.chiSquared, 360.0);  // (120-30)^2/30 + 3 * 30
    EXPECT_LT(report.multipleChoiceKeys.pValue, 1e-6);
    const auto problems = bankProblems(report);
    ASSERT_GE(problems.size(), 2u);
    EXPECT_NE(problems[0].find("longest option scores 100.0 % against 25.0 %"), std::string::npos)
        << problems[0];
    // Keys rotated over the positions and options of one length: nothing to find.
    items.clear();
    for (int i = 0; i < 120; ++i) {
        std::vector<std::pair<std::string, bool>> opts{
            {"option one", false}, {"option two", false}, {"option 3rd", false}, {"option 4th", false}};
        opts[static_cast<size_t>(i % 4)].second = true;
        items.push_back(question("Which one?", opts));
    }
    ptrs.clear();
    for (const auto& q : items)
        ptrs.push_back(&q);
    const auto fair = analyzeBank(ptrs);
    EXPECT_TRUE(bankProblems(fair).empty());
    EXPECT_DOUBLE_EQ(fair.multipleChoiceKeys.pValue, 1.0);
}

TEST(ContentRulesLint, flashcardsAreAtomicAndKeysMatchTheDistractorsLength) {
    v1::Item card;
    card.set_kind(v1::FLASHCARD);
    std::string longAnswer;
    for (int i = 0; i < 41; ++i)
        longAnswer += "word ";
    card.set_answer(longAnswer);
    card.set_prompt("What is it? Why?");
    auto problems = lintItem(card);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_NE(problems[0].find("41 words"), std::string::npos);
    EXPECT_NE(problems[1].find("more than one question"), std::string::npos);

    auto q = question("Which one?", {{"a key that is much much longer than the rest", true},
                                     {"short one", false},
                                     {"short two", false},
                                     {"all of the above", false}});
    problems = lintItem(q);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_NE(problems[0].find("option 4 refers to other options"), std::string::npos);
    EXPECT_NE(problems[1].find("times as long as the distractors"), std::string::npos);
}

TEST(ContentRulesValidate, reserveIsForQuestionsAndAsOfIsADate) {
    v1::Item card;
    card.set_id("1.1-fc-x");
    card.set_revision(1);
    card.set_task_statement("1.1");
    card.set_kind(v1::FLASHCARD);
    card.set_prompt("p");
    card.set_answer("a");
    card.set_explanation("e");
    card.set_difficulty(1);
    card.add_references()->set_title("t");
    card.mutable_references(0)->set_citation("c");
    EXPECT_TRUE(validateItem(card).empty());
    card.set_mock_reserve(true);
    card.set_as_of("2026-02-30");
    const auto problems = validateItem(card);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_NE(problems[0].find("mock_reserve is for questions"), std::string::npos);
    EXPECT_NE(problems[1].find("is not a date"), std::string::npos);
    card.set_mock_reserve(false);
    card.set_as_of("2026-12-07");
    EXPECT_TRUE(validateItem(card).empty());
}

TEST(ContentRulesLint, samePromptsAreFoundAcrossItems) {
    v1::Item a, b, c;
    a.set_prompt("What is k-fold cross-validation?");
    b.set_prompt("what is K-fold cross validation ?");
    c.set_prompt("What is stratified k-fold cross-validation?");
    const auto same = findSamePrompts({a, b, c});
    ASSERT_EQ(same.size(), 1u);
    EXPECT_EQ(same[0], std::make_pair(size_t{0}, size_t{1}));
}

}  // namespace
}  // namespace retain::core
