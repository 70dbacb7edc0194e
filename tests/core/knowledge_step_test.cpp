// Known-answer tests of one knowledge-model update (issue 22): the posterior after a single question,
// computed here from the documented model rather than read back from the code.
//
// The model (knowledge_model.h, docs/ARCHITECTURE.md "Scheduling"): ability theta ~ N(m, v) on the logit
// scale; a question is right with p = c + (1 - c) sigmoid(theta - b), b = (difficulty - 3) * 0.6, guessing
// floor c = 1/4 for 1-of-4 and 1/C(n, k) for k-of-n. One Laplace step per answer, linearised at the
// current mean (as in Glicko / online IRT), with weight w (1 for a question, half of it at the domain
// level):
//   s = sigmoid(m - b),  p = c + (1 - c) s,  p' = dp/dtheta = (1 - c) s (1 - s)
//   score        g = w p' (y - p) / (p (1 - p))        (the exact derivative of the log likelihood)
//   information  I = w p'^2 / (p (1 - p))              (the Fisher information of the 3PL at m)
//   v' = 1 / (1 / v + I),   m' = m + v' g
// Note: I is the expected information, not the observed curvature of the log likelihood; for c > 0 the
// two differ (a Newton step with the observed curvature gives m' = -0.0243, v' = 1.4389 in the first case
// below instead of -0.0823, 1.2635). See the report of issue 22.
//
// Prior of a new learner (KnowledgeParameters): domain N(-0.5, 1.5); a task statement's prior is its
// domain's posterior widened by the between-statement variance 0.35.

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "core/content_loader.h"
#include "core/knowledge_model.h"
#include "support/mini_pack.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

constexpr double kEps = 1e-12;

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

struct Step {
    Ability posterior;
    double information = 0;
};

// The documented step, written out independently of knowledge_model.cpp.
Step laplaceStep(Ability prior, double b, double c, bool correct, double w) {
    const double s = sigmoid(prior.mean - b);
    const double p = c + (1 - c) * s;
    const double dp = (1 - c) * s * (1 - s);
    const double g = w * dp * ((correct ? 1.0 : 0.0) - p) / (p * (1 - p));
    const double info = w * dp * dp / (p * (1 - p));
    Step out;
    out.information = info;
    out.posterior.var = 1.0 / (1.0 / prior.var + info);
    out.posterior.mean = prior.mean + out.posterior.var * g;
    return out;
}

class KnowledgeStep : public ::testing::Test {
protected:
    void SetUp() override {
        m_pack = test::loadMiniPack();
        m_exam = m_pack->exam("MINI-01");
        ASSERT_NE(m_exam, nullptr);
    }
    const ItemRef& item(const char* id) const { return *m_pack->item(id); }

    std::unique_ptr<ContentPack> m_pack;
    const Exam* m_exam = nullptr;
    static constexpr int64_t kDay = 20605;
};

TEST_F(KnowledgeStep, guessingFloorsAreOneQuarterAndOneOverNChooseK) {
    EXPECT_DOUBLE_EQ(KnowledgeModel::guessingFloor(*item("1.1-mc-q1").item), 0.25);    // 1 of 4
    EXPECT_DOUBLE_EQ(KnowledgeModel::guessingFloor(*item("1.1-mr-multi").item), 0.1);  // 2 of 5: 1/C(5,2)
    EXPECT_DOUBLE_EQ(KnowledgeModel::guessingFloor(*item("1.1-fc-card1").item), 0.0);
    EXPECT_DOUBLE_EQ(KnowledgeModel::itemDifficultyLogit(*item("1.1-mc-q1").item), 0.0);     // difficulty 3
    EXPECT_DOUBLE_EQ(KnowledgeModel::itemDifficultyLogit(*item("1.1-mr-multi").item), 0.6);  // difficulty 4
}

TEST_F(KnowledgeStep, aRightOneOfFourAnswerMovesTheFirstExposureAbilityByOneFloorAwareStep) {
    // A new learner answers 1.1-mc-q1 (b = 0, c = 1/4) right. The domain's first-exposure ability is the
    // prior N(-0.5, 1.5) after one step of weight 1:
    //   s = sigmoid(-0.5) = 0.3775407, p = 0.25 + 0.75 s = 0.5331555, p' = 0.75 s (1 - s) = 0.1762528
    //   I = p'^2 / (p (1 - p)) = 0.0310650 / 0.2489007 = 0.1248090
    //   v' = 1 / (1/1.5 + 0.1248090) = 1.2634628
    //   m' = -0.5 + 1.2634628 * 0.1762528 / 0.5331555 = -0.0823192
    // (Without the floor, c = 0: p = 0.3775407, m' = +0.1903402, v' = 1.1090527.)
    KnowledgeModel k(m_exam);
    k.observe(item("1.1-mc-q1"), true, kDay);
    const Ability a = k.unstudied(0, kDay);
    const Step expected = laplaceStep({-0.5, 1.5}, 0.0, 0.25, true, 1.0);
    EXPECT_NEAR(a.mean, expected.posterior.mean, kEps);
    EXPECT_NEAR(a.var, expected.posterior.var, kEps);
    EXPECT_NEAR(a.mean, -0.0823191780, 1e-9);
    EXPECT_NEAR(a.var, 1.2634627547, 1e-9);
    // The other domain has seen nothing: still the prior.
    EXPECT_NEAR(k.unstudied(1, kDay).mean, -0.5, kEps);
    EXPECT_NEAR(k.unstudied(1, kDay).var, 1.5, kEps);
}

TEST_F(KnowledgeStep, aRightTwoOfFiveAnswerUsesTheFloorOneTenth) {
    // 1.1-mr-multi: 2 correct of 5 options, c = 1/C(5,2) = 0.1, difficulty 4: b = 0.6.
    //   s = sigmoid(-1.1) = 0.2497399, p = 0.1 + 0.9 s = 0.3247659, p' = 0.9 s (1 - s) = 0.1686329
    //   I = p'^2 / (p (1 - p)) = 0.0284371 / 0.2192930 = 0.1296761, v' = 1 / (1/1.5 + I) = 1.2557407
    //   m' = -0.5 + v' p' / p = -0.5 + 1.2557407 * 0.5192444 = 0.1520364
    KnowledgeModel k(m_exam);
    k.observe(item("1.1-mr-multi"), true, kDay);
    const Ability a = k.unstudied(0, kDay);
    const Step expected = laplaceStep({-0.5, 1.5}, 0.6, 0.1, true, 1.0);
    EXPECT_NEAR(a.mean, expected.posterior.mean, kEps);
    EXPECT_NEAR(a.var, expected.posterior.var, kEps);
    EXPECT_NEAR(a.mean, 0.1520364047, 1e-9);
    EXPECT_NEAR(a.var, 1.2557407457, 1e-9);
    const Step noFloor = laplaceStep({-0.5, 1.5}, 0.6, 0.0, true, 1.0);
    EXPECT_GT(std::abs(a.mean - noFloor.posterior.mean), 0.1);  // the floor matters here
}

TEST_F(KnowledgeStep, theStatementPosteriorCombinesItsOwnStepWithTheUpdatedDomain) {
    // The same right 1-of-4 answer, seen through the hierarchy (knowledge_model.h):
    //   domain: prior N(-0.5, 1.5), step of weight 1/2                      -> N(mD, vD)
    //   statement: prior N(-0.5, 1.5 + 0.35) (the domain before the answer), step of weight 1; its
    //     evidence is that step in natural parameters: precision I_s, precision x mean
    //     m_s / v_s - (-0.5) / 1.85
    //   statement posterior: the domain's posterior widened by 0.35, times that evidence:
    //     var = 1 / (1 / (vD + 0.35) + I_s),  mean = var * (mD / (vD + 0.35) + m_s / v_s + 0.5 / 1.85)
    // Domain mastery (average 1-of-4 question, b = 0): 0.25 + 0.75 sigmoid(mD).
    KnowledgeModel k(m_exam);
    k.observe(item("1.1-mc-q1"), true, kDay);
    const Step dom = laplaceStep({-0.5, 1.5}, 0.0, 0.25, true, 0.5);
    const Step ts = laplaceStep({-0.5, 1.85}, 0.0, 0.25, true, 1.0);
    const double priorVar = dom.posterior.var + 0.35;
    const double var = 1.0 / (1.0 / priorVar + ts.information);
    const double mean =
        var * (dom.posterior.mean / priorVar + ts.posterior.mean / ts.posterior.var + 0.5 / 1.85);
    const Ability a = k.posterior(0, kDay);
    EXPECT_NEAR(a.var, var, kEps);
    EXPECT_NEAR(a.mean, mean, kEps);
    EXPECT_NEAR(k.domain("1", kDay).mean, 0.25 + 0.75 * sigmoid(dom.posterior.mean), kEps);
    // The untouched statement 1.2 of the same domain borrows the updated domain: N(mD, vD + 0.35).
    EXPECT_NEAR(k.posterior(1, kDay).mean, dom.posterior.mean, kEps);
    EXPECT_NEAR(k.posterior(1, kDay).var, priorVar, kEps);
}

}  // namespace
}  // namespace retain::core
