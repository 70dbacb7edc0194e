#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/ids.h"
#include "core/learner_settings.h"
#include "core/study_day.h"

namespace retain::core {
namespace {

TEST(HybridClock, strictlyIncreasesEvenWhenTimeStandsStill) {
    SimulatedClock clock(1000);
    HybridClock hlc(clock);
    const auto a = hlc.now(), b = hlc.now();
    EXPECT_LT(a, b);
    EXPECT_EQ(HybridClock::physicalMs(a), 1000);
}

TEST(HybridClock, ordersLocalEventsAfterObservedRemoteOnes) {
    SimulatedClock clock(1000);
    HybridClock hlc(clock);
    const auto remote = HybridClock::make(5000, 7);  // a peer whose clock runs ahead
    hlc.observe(remote);
    EXPECT_GT(hlc.now(), remote);
}

TEST(SimulatedClock, refusesToMoveBackwards) {
    SimulatedClock clock(1000);
    EXPECT_TRUE(clock.set(2000));
    EXPECT_FALSE(clock.set(1500));
    EXPECT_EQ(clock.nowMs(), 2000);
}

TEST(Ids, generateTheDocumentedShapes) {
    EXPECT_TRUE(isHex(newLearnerId(), 32));
    EXPECT_TRUE(isHex(newReplicaId(), 16));
    EXPECT_NE(newLearnerId(), newLearnerId());
    EXPECT_TRUE(isValidEventId("0123456789abcdef-42"));
    EXPECT_FALSE(isValidEventId("0123456789abcdef-"));
    EXPECT_FALSE(isValidEventId("0123456789ABCDEF-1"));
    EXPECT_TRUE(isValidLearnerName("ana.maria_2"));
    EXPECT_FALSE(isValidLearnerName("has space"));
    EXPECT_FALSE(isValidLearnerName(""));
}

TEST(StudyDay, aDayStartsAtTheRolloverHourInTheLearnersZone) {
    auto berlin = StudyDayClock::make("Europe/Berlin", 4);
    ASSERT_TRUE(berlin);
    // 2026-06-10 01:30 UTC is 03:30 in Berlin (CEST): still the study day of June 9.
    const int64_t t = 1781055000000;  // 2026-06-10T01:30:00Z
    EXPECT_EQ(StudyDayClock::isoDate(berlin->dayOf(t)), "2026-06-09");
    // An hour later (04:30 local) it is June 10.
    EXPECT_EQ(StudyDayClock::isoDate(berlin->dayOf(t + 3600000)), "2026-06-10");
    EXPECT_EQ(berlin->dayOf(berlin->dayStartMs(berlin->dayOf(t))), berlin->dayOf(t));
}

TEST(StudyDay, theLocalZoneIsAKnownZoneAndUtcByItsCanonicalName) {
    const std::string local = localTimeZoneName();
    EXPECT_TRUE(isKnownTimeZone(local)) << local;
    EXPECT_NE(local, "Etc/UTC") << "UTC under another name reads as the default \"UTC\"";
    EXPECT_TRUE(StudyDayClock::make(local, 4));
}

TEST(StudyDay, parsesOnlyRealDates) {
    EXPECT_TRUE(StudyDayClock::parseIsoDate("2026-02-28"));
    EXPECT_FALSE(StudyDayClock::parseIsoDate("2026-02-30"));
    EXPECT_FALSE(StudyDayClock::parseIsoDate("2026-2-3"));
    EXPECT_FALSE(StudyDayClock::parseIsoDate("tomorrow"));
    EXPECT_EQ(StudyDayClock::isoDate(*StudyDayClock::parseIsoDate("2027-01-10")), "2027-01-10");
    EXPECT_FALSE(StudyDayClock::make("Mars/Olympus", 4));
    EXPECT_FALSE(StudyDayClock::make("UTC", 24));
}

TEST(LearnerSettings, checksEveryKeyWithAnActionableMessage) {
    EXPECT_FALSE(LearnerSettings::check("desired_retention", "0.85"));
    EXPECT_NE(LearnerSettings::check("desired_retention", "1.5")->find("between 0.70 and 0.99"),
              std::string::npos);
    EXPECT_NE(LearnerSettings::check("time_zone", "Nowhere")->find("IANA"), std::string::npos);
    EXPECT_FALSE(LearnerSettings::check("exam_date", ""));
    EXPECT_TRUE(LearnerSettings::check("new_items_per_day", "-1"));
    EXPECT_TRUE(LearnerSettings::check("colour", "blue"));
    LearnerSettings s;
    EXPECT_TRUE(s.set("minutes_per_day", "45"));
    EXPECT_EQ(s.minutesPerDay, 45);
    EXPECT_FALSE(s.set("minutes_per_day", "0"));
    EXPECT_EQ(s.get("minutes_per_day"), "45");
}

}  // namespace
}  // namespace retain::core
