// The knowledge model's hierarchy over two answers, and what coverage counts (knowledge_model.h). The
// expected posteriors are computed here from the documented model, not read back from the code.
//
// The model with the learning rate pinned at 0 (prior sd ~0), no tracking discount and answers on one day
// (no decay), so that only the hierarchy is at work:
// - domain: prior N(-0.5, 1.5); each answer adds one Laplace step of weight 1/2, linearised at the
//   domain's current posterior;
// - statement: its prior is the domain's current posterior widened by the between-statement variance
//   0.35; each answer adds a step of weight 1 linearised at the statement's current posterior (that
//   prior times the statement's evidence); the evidence is kept as the posterior minus the prior in
//   natural parameters (precision, precision x mean).
// The first answer's statement evidence does not depend on the prior's variance; the second answer's
// does, through the point the step is linearised at: this test pins the widening there.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/content_loader.h"
#include "core/knowledge_model.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

constexpr int64_t kDay = 20605;

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

struct Natural {  // a Gaussian in natural parameters
    double precision = 0;
    double shift = 0;  // precision x mean
    Ability ability() const { return {shift / precision, 1.0 / precision}; }
};

Natural natural(const Ability& a) {
    return {1.0 / a.var, a.mean / a.var};
}

// One Laplace step of the 3PL likelihood at the mean of `at` (knowledge_step_test.cpp has the derivation):
// the posterior `at` x step, in natural parameters.
Natural step(const Ability& at, double b, double c, bool correct, double w) {
    const double s = sigmoid(at.mean - b);
    const double p = c + (1 - c) * s;
    const double dp = (1 - c) * s * (1 - s);
    const double info = w * dp * dp / (p * (1 - p));
    const double var = 1.0 / (1.0 / at.var + info);
    const double mean = at.mean + var * w * dp * ((correct ? 1.0 : 0.0) - p) / (p * (1 - p));
    return natural({mean, var});
}

// Two right answers to 1-of-4 questions of difficulty 3 (b = 0, c = 1/4) on one statement: its
// posterior afterwards, with the statement's prior widened by `widening` when each step is taken.
Ability twoRightAnswers(double widening) {
    const Ability domainPrior{-0.5, 1.5};
    Natural domainEvidence, statementEvidence;
    for (int answer = 0; answer < 2; ++answer) {
        const Natural domainNow{1.0 / domainPrior.var + domainEvidence.precision,
                                domainPrior.mean / domainPrior.var + domainEvidence.shift};
        Ability statementPrior = domainNow.ability();
        statementPrior.var += widening;
        const Natural prior = natural(statementPrior);
        const Natural statementNow{prior.precision + statementEvidence.precision,
                                   prior.shift + statementEvidence.shift};
        const Natural statementAfter = step(statementNow.ability(), 0.0, 0.25, true, 1.0);
        statementEvidence = {statementAfter.precision - prior.precision, statementAfter.shift - prior.shift};
        const Natural domainAfter = step(domainNow.ability(), 0.0, 0.25, true, 0.5);
        domainEvidence = {domainAfter.precision - 1.0 / domainPrior.var,
                          domainAfter.shift - domainPrior.mean / domainPrior.var};
    }
    // The statement's posterior: the domain's posterior widened by 0.35, times the statement's evidence.
    Ability prior = Natural{1.0 / domainPrior.var + domainEvidence.precision,
                            domainPrior.mean / domainPrior.var + domainEvidence.shift}
                        .ability();
    prior.var += 0.35;
    const Natural p = natural(prior);
    return Natural{p.precision + statementEvidence.precision, p.shift + statementEvidence.shift}.ability();
}

KnowledgeParameters hierarchyOnly() {
    KnowledgeParameters p;
    p.learningRatePriorSd = 1e-12;  // the learning rate stays 0
    p.statementTracking = 1.0;
    p.domainTracking = 1.0;
    return p;
}

std::unique_ptr<ContentPack> loadPack(const std::string& dir) {
    auto r = loadContent(dir);
    EXPECT_TRUE(r.pack);
    return r.pack ? std::make_unique<ContentPack>(std::move(*r.pack)) : nullptr;
}

TEST(KnowledgeHierarchy, aSecondAnswerIsLinearisedAtThePosteriorUnderTheWidenedDomainPrior) {
    auto pack = loadPack(test::miniContentDir());
    ASSERT_TRUE(pack);
    const Exam* exam = pack->exam("MINI-01");
    KnowledgeModel k(exam, hierarchyOnly());
    k.observe(*pack->item("1.1-mc-q1"), true, kDay);
    k.observe(*pack->item("1.1-mc-q2"), true, kDay);

    const Ability expected = twoRightAnswers(0.35);
    const Ability unwidened = twoRightAnswers(0.0);
    ASSERT_GT(std::abs(expected.mean - unwidened.mean), 1e-4) << "the scenario must tell the two apart";
    const Ability a = k.posterior(0, kDay);
    EXPECT_NEAR(a.mean, expected.mean, 1e-9);
    EXPECT_NEAR(a.var, expected.var, 1e-9);
}

TEST(KnowledgeHierarchy, aRepeatedItemCountsOnceWithItsLatestAnswer) {
    // Four misses and then a right answer on one question, then a second question right: the statement
    // and its domain know what a learner who answered each question once, right, would show (the
    // hand-computed two right answers above). Counting every answer, the misses pull it far down.
    auto pack = loadPack(test::miniContentDir());
    ASSERT_TRUE(pack);
    const Exam* exam = pack->exam("MINI-01");
    const auto history = [&](KnowledgeModel& k) {
        for (int i = 0; i < 4; ++i)
            k.observe(*pack->item("1.1-mc-q1"), false, kDay);
        k.observe(*pack->item("1.1-mc-q1"), true, kDay);
        k.observe(*pack->item("1.1-mc-q2"), true, kDay);
    };
    KnowledgeModel latest(exam, hierarchyOnly());
    history(latest);
    const Ability expected = twoRightAnswers(0.35);
    EXPECT_NEAR(latest.posterior(0, kDay).mean, expected.mean, 1e-9);
    EXPECT_NEAR(latest.posterior(0, kDay).var, expected.var, 1e-9);
    KnowledgeModel once(exam, hierarchyOnly());
    once.observe(*pack->item("1.1-mc-q1"), true, kDay);
    once.observe(*pack->item("1.1-mc-q2"), true, kDay);
    EXPECT_NEAR(latest.domain("1", kDay).mean, once.domain("1", kDay).mean, 1e-9);
    // Answers are still counted as answers (readiness's evidence thresholds).
    EXPECT_EQ(latest.taskStatement(0, kDay).questions, 6u);

    auto every = hierarchyOnly();
    every.latestAnswerPerItem = false;
    KnowledgeModel all(exam, every);
    history(all);
    EXPECT_LT(all.posterior(0, kDay).mean, expected.mean - 0.5);
}

TEST(KnowledgeHierarchy, anEarlierAnswersShareLeavesAtWhatItHasDecayedTo) {
    // Evidence decays (half-life 120 days). A miss 30 days before a right answer on the same question
    // leaves exactly nothing behind, while another question's answer from that day stays, decayed.
    auto pack = loadPack(test::miniContentDir());
    ASSERT_TRUE(pack);
    const Exam* exam = pack->exam("MINI-01");
    const auto p = hierarchyOnly();
    KnowledgeModel repeated(exam, p), single(exam, p);
    for (auto* k : {&repeated, &single})
        k->observe(*pack->item("1.2-mc-q2"), true, kDay);
    repeated.observe(*pack->item("1.2-mc-q1"), false, kDay);
    for (auto* k : {&repeated, &single})
        k->observe(*pack->item("1.2-mc-q1"), true, kDay + 30);
    const Ability a = repeated.posterior(1, kDay + 30), b = single.posterior(1, kDay + 30);
    EXPECT_NEAR(a.mean, b.mean, 1e-9);
    EXPECT_NEAR(a.var, b.var, 1e-9);
    EXPECT_NEAR(repeated.domain("1", kDay + 30).mean, single.domain("1", kDay + 30).mean, 1e-9);
}

TEST(KnowledgeHierarchy, coverageCountsStudyItemsOnlyNotTheMockReserve) {
    // The mini pack plus one reserve question on 1.1. Statement 1.1 has 7 study items; answering the
    // reserve question covers none of them, answering one study item covers 1/7.
    test::TempDir dir;
    namespace fs = std::filesystem;
    fs::copy(test::miniContentDir(), dir.path() + "/c", fs::copy_options::recursive);
    std::ofstream(dir.path() + "/c/items/mini/held.textproto")
        << "exam: \"MINI-01\"\n"
           "items { id: \"1.1-mc-held\" revision: 1 task_statement: \"1.1\" kind: MULTIPLE_CHOICE prompt: "
           "\"q\" "
           "options { text: \"a\" correct: true explanation: \"e\" } options { text: \"b\" explanation: "
           "\"e\" } "
           "options { text: \"c\" explanation: \"e\" } options { text: \"d\" explanation: \"e\" } "
           "explanation: \"e\" difficulty: 3 mock_reserve: true "
           "references { title: \"t\" url: \"https://example.org/doc\" } }\n";
    auto pack = loadPack(dir.path() + "/c");
    ASSERT_TRUE(pack);
    const Exam* exam = pack->exam("MINI-01");
    const int ts = exam->taskStatement("1.1")->index;
    ASSERT_EQ(exam->itemsOf(ts).size(), 7u);

    KnowledgeModel k(exam);
    k.observe(*pack->item("1.1-mc-held"), true, kDay);
    EXPECT_DOUBLE_EQ(k.coverage(ts), 0.0);
    k.observe(*pack->item("1.1-fc-card1"), true, kDay);
    EXPECT_DOUBLE_EQ(k.coverage(ts), 1.0 / 7.0);
    k.observe(*pack->item("1.1-mc-held"), false, kDay + 1);
    EXPECT_DOUBLE_EQ(k.coverage(ts), 1.0 / 7.0);
}

}  // namespace
}  // namespace retain::core
