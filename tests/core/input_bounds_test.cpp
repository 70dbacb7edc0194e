// The edges of what core accepts (learner_settings.h, ids.h, event_check.h), value by value: the last
// valid value passes and the first invalid one is refused.

#include <gtest/gtest.h>

#include <string>

#include "core/event_check.h"
#include "core/ids.h"
#include "core/learner_settings.h"
#include "support/events.h"

namespace retain::core {
namespace {

using test::kT0;

TEST(InputBounds, desiredRetentionRunsFromSeventyToNinetyNinePercentInclusive) {
    EXPECT_FALSE(LearnerSettings::check("desired_retention", "0.70"));
    EXPECT_FALSE(LearnerSettings::check("desired_retention", "0.99"));
    EXPECT_TRUE(LearnerSettings::check("desired_retention", "0.69"));
    EXPECT_TRUE(LearnerSettings::check("desired_retention", "0.991"));
    LearnerSettings s;
    EXPECT_TRUE(s.set("desired_retention", "0.99"));
    EXPECT_DOUBLE_EQ(s.desiredRetention, 0.99);
}

TEST(InputBounds, aLeechNeedsAtLeastTwoLapses) {
    EXPECT_TRUE(LearnerSettings::check("leech_threshold", "1"));
    EXPECT_FALSE(LearnerSettings::check("leech_threshold", "2"));
    EXPECT_FALSE(LearnerSettings::check("leech_threshold", "50"));
    EXPECT_TRUE(LearnerSettings::check("leech_threshold", "51"));
}

TEST(InputBounds, hexIdsAreDigitsAndLowerCaseAToFOnly) {
    EXPECT_TRUE(isHex("0123456789abcdef", 16));
    for (const char* bad : {"0123456789abcdeg", "0123456789abcdez", "0123456789ABCDEF", "0123456789abcde-"})
        EXPECT_FALSE(isHex(bad, 16)) << bad;
    EXPECT_FALSE(isValidEventId("0123456789abcdeg-1"));
    EXPECT_TRUE(isValidEventId("0123456789abcdef-1"));
}

TEST(InputBounds, aMockExamsDomainsMayNotScoreMoreThanTheExam) {
    // 10 scored questions, 3 right; the domains claim 3 + 3 = 6 right of 5 + 5: each domain alone is
    // possible, their sum is not.
    test::EventMaker mk(std::string(32, 'a'));
    auto e = mk.base(kT0);
    auto* m = e.mutable_mock_exam();
    m->set_mock_id("fedcba9876543210");
    m->set_exam_code("MINI-01");
    for (int i = 1; i <= 10; ++i)
        m->add_item_ids("1.1-q" + std::to_string(i));
    m->set_scored_total(10);
    m->set_scored_correct(3);
    m->set_estimated_scaled_score(400);
    m->set_started_ms(kT0 - 600'000);
    m->set_finished_ms(kT0);
    for (const char* id : {"1", "2"}) {
        auto* d = m->add_domains();
        d->set_domain_id(id);
        d->set_total(5);
        d->set_correct(3);
    }
    const int64_t now = kT0 + 60'000;
    const auto problem = checkForeignEvent(e, mk.learner(), now);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find("mock_exam.domains.correct adds up to more than scored_correct"),
              std::string::npos)
        << *problem;
    // 3 + 0 = 3 right of 10: fine.
    m->mutable_domains(1)->set_correct(0);
    EXPECT_FALSE(checkForeignEvent(e, mk.learner(), now))
        << checkForeignEvent(e, mk.learner(), now).value_or("");
}

}  // namespace
}  // namespace retain::core
