// Request validation at its edges (service/validation.h), called directly: the last valid value passes,
// the first invalid one is refused naming the field.

#include <gtest/gtest.h>

#include <string>

#include "service/validation.h"

namespace retain::service {
namespace {

const std::string kLearner(32, 'a');

// Refused, with a message that starts with `field`.
::testing::AssertionResult refusedNaming(const Invalid& invalid, const std::string& field) {
    if (!invalid)
        return ::testing::AssertionFailure() << "accepted; expected a refusal naming " << field;
    if (invalid->message.rfind(field, 0) != 0)
        return ::testing::AssertionFailure() << "does not start with " << field << ": " << invalid->message;
    return ::testing::AssertionSuccess();
}

TEST(RequestBounds, aReviewHistoryOfOneDayIsValidAndABackwardRangeIsNot) {
    v1::GetReviewHistoryRequest r;
    r.set_learner_id(kLearner);
    r.set_from_date("2026-06-01");
    r.set_to_date("2026-06-01");
    EXPECT_FALSE(validate(r)) << validate(r)->message;
    r.set_to_date("2026-06-02");
    EXPECT_FALSE(validate(r));
    r.set_to_date("2026-05-31");
    EXPECT_TRUE(refusedNaming(validate(r), "from_date"));
}

TEST(RequestBounds, theSimulatedClockStartsAfterTheEpoch) {
    v1::SetClockRequest r;
    r.set_now_ms(1);
    EXPECT_FALSE(validate(r));
    r.set_now_ms(0);
    EXPECT_TRUE(refusedNaming(validate(r), "now_ms"));
    r.set_now_ms(-1);
    EXPECT_TRUE(refusedNaming(validate(r), "now_ms"));
}

TEST(RequestBounds, settingsUpdatesNameEachFieldOnce) {
    v1::UpdateSettingsRequest r;
    r.set_learner_id(kLearner);
    r.add_fields("exam_date");
    r.add_fields("minutes_per_day");
    r.mutable_settings()->set_exam_date("2027-03-15");
    r.mutable_settings()->set_minutes_per_day(30);
    EXPECT_FALSE(validate(r));
    r.add_fields("exam_date");
    const auto twice = validate(r);
    ASSERT_TRUE(refusedNaming(twice, "fields"));
    EXPECT_NE(twice->message.find("\"exam_date\" twice"), std::string::npos) << twice->message;
}

}  // namespace
}  // namespace retain::service
