// When readiness has enough evidence to give a number (readiness.h, ReadinessOptions): at least 40
// exam-style questions in all and at least 5 in every domain. The boundary itself counts as enough.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/content_loader.h"
#include "core/readiness.h"
#include "support/mini_pack.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

constexpr int64_t kDay = 20605;

class ReadinessEvidence : public ::testing::Test {
protected:
    void SetUp() override {
        m_pack = test::loadMiniPack();
        m_exam = m_pack->exam("MINI-01");
        ASSERT_NE(m_exam, nullptr);
    }

    // `inDomain1` answers to questions of domain 1 (statement 1.1) and `inDomain2` of domain 2.
    ReadinessEstimate estimate(int inDomain1, int inDomain2) const {
        KnowledgeModel k(m_exam);
        const char* d1[] = {"1.1-mc-q1", "1.1-mc-q2", "1.1-mr-multi"};
        const char* d2[] = {"2.1-mc-q1", "2.1-mc-q2", "2.1-mr-multi"};
        for (int i = 0; i < inDomain1; ++i)
            k.observe(*m_pack->item(d1[i % 3]), i % 2 == 0, kDay);
        for (int i = 0; i < inDomain2; ++i)
            k.observe(*m_pack->item(d2[i % 3]), i % 2 == 0, kDay);
        ReadinessOptions o;
        o.draws = 16;
        o.recommendations = false;
        return estimateReadiness(*m_exam, *m_pack, k, kDay, o);
    }

    std::unique_ptr<ContentPack> m_pack;
    const Exam* m_exam = nullptr;
};

TEST_F(ReadinessEvidence, exactlyTheMinimumInEveryDomainAndInAllIsEnough) {
    const auto r = estimate(35, 5);  // 40 in all, 5 in domain 2
    EXPECT_TRUE(r.enoughEvidence);
    EXPECT_TRUE(r.missing.empty()) << r.missing.front();
}

TEST_F(ReadinessEvidence, oneQuestionShortInADomainIsNamedWithWhatIsMissing) {
    const auto r = estimate(36, 4);  // 40 in all, 4 in domain 2
    EXPECT_FALSE(r.enoughEvidence);
    ASSERT_EQ(r.missing.size(), 1u);
    EXPECT_NE(r.missing[0].find("at least 1 more exam-style questions in domain 2"), std::string::npos)
        << r.missing[0];
}

TEST_F(ReadinessEvidence, oneQuestionShortInAllIsNamedWithTheCountSoFar) {
    const auto r = estimate(34, 5);  // 39 in all
    EXPECT_FALSE(r.enoughEvidence);
    ASSERT_EQ(r.missing.size(), 1u);
    EXPECT_NE(r.missing[0].find("at least 1 more exam-style questions in all (39 so far)"), std::string::npos)
        << r.missing[0];
}

}  // namespace
}  // namespace retain::core
