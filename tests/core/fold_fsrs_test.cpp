// Known-answer tests of the fold (issue 22): folding answers on one item must give exactly what direct
// calls to the FSRS functions give (fsrs.h, itself checked against ts-fsrs golden vectors) for the same
// ratings and the elapsed study days worked out by hand. Same-day reviews (elapsed 0) must take the
// long-term formulas at recall 1 (fsrs.h's long-term mode); a study day starts at the learner's rollover hour
// (default 04:00 UTC).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/content_loader.h"
#include "core/learner_model.h"
#include "support/events.h"
#include "support/mini_pack.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

// One review of the sequence, with the study day and the elapsed days worked out by hand.
struct Step {
    int64_t wallMs;
    Rating rating;
    int64_t studyDay;  // days since 1970-01-01 of the study day the review belongs to
    int elapsed;       // study days since the previous review (ignored for the first)
};

class FoldVersusFsrs : public ::testing::Test {
protected:
    void SetUp() override { m_pack = test::loadMiniPack(); }

    // Applies the steps one at a time and compares every derived number with the direct FSRS calls.
    void foldAndCompare(LearnerModel& model, test::EventMaker& mk, const std::string& itemId,
                        const std::vector<Step>& steps, const SchedulingOptions& options) {
        const Fsrs f(FsrsParameters::defaults());
        std::optional<MemoryState> memory;
        int lapses = 0;
        int64_t lastDay = 0;
        for (size_t i = 0; i < steps.size(); ++i) {
            SCOPED_TRACE("review " + std::to_string(i + 1));
            const Step& st = steps[i];
            ASSERT_EQ(model.days().dayOf(st.wallMs), st.studyDay);
            const auto event = mk.answer(st.wallMs, itemId, static_cast<int>(st.rating));
            ASSERT_TRUE(model.apply(event));

            const std::optional<MemoryState> before = memory;
            double rBefore = 0;
            if (!memory) {
                memory = f.initialState(st.rating);
            } else {
                ASSERT_EQ(st.studyDay - lastDay, st.elapsed) << "the hand-worked elapsed days";
                rBefore = f.retrievability(st.elapsed, memory->stability);
                memory = f.nextState(*memory, st.elapsed, st.rating);
                if (st.rating == Rating::Again)
                    ++lapses;
            }
            lastDay = st.studyDay;
            const int interval = f.previewIntervals(
                before, before ? st.elapsed : 0, options,
                LearnerModel::scheduleSeed(itemId, static_cast<int>(i)))[static_cast<size_t>(st.rating) - 1];

            const ItemTrack* t = model.track(itemId);
            ASSERT_NE(t, nullptr);
            ASSERT_TRUE(t->memory.has_value());
            // Exact: the fold must call the same functions with the same arguments.
            EXPECT_EQ(t->memory->stability, memory->stability);
            EXPECT_EQ(t->memory->difficulty, memory->difficulty);
            EXPECT_EQ(t->lastDay, st.studyDay);
            EXPECT_EQ(t->intervalDays, interval);
            EXPECT_EQ(t->dueDay, st.studyDay + interval);
            EXPECT_EQ(t->reviews, static_cast<int>(i) + 1);
            EXPECT_EQ(t->lapses, lapses);
            ASSERT_EQ(t->answers.size(), i + 1);
            EXPECT_EQ(t->answers.back().retrievabilityBefore, rBefore);
            EXPECT_EQ(t->answers.back().after.stability, memory->stability);
        }
    }

    std::unique_ptr<ContentPack> m_pack;
};

TEST_F(FoldVersusFsrs, sameDayAndRolloverReviewsFoldExactlyAsDirectFsrsCalls) {
    // UTC, rollover 04:00: study day = floor((ms - 4 h) / 1 day). 2026-06-01 is day 20605.
    const std::vector<Step> steps = {
        {1'780'308'000'000, Rating::Good, 20605, 0},  // 2026-06-01 10:00Z: first review
        {1'780'351'200'000, Rating::Hard, 20605, 0},  // 2026-06-01 22:00Z: same day, elapsed 0
        {1'780'371'000'000, Rating::Good, 20605,
         0},  // 2026-06-02 03:30Z: before the rollover, still day 20605
        {1'780'374'600'000, Rating::Again, 20606, 1},  // 2026-06-02 04:30Z: after the rollover, elapsed 1
        {1'780'747'200'000, Rating::Good, 20610, 4},   // 2026-06-06 12:00Z: elapsed 4
        {1'781'920'800'000, Rating::Easy, 20623, 13},  // 2026-06-20 02:00Z: study day 06-19, elapsed 13
        {1'781'924'400'000, Rating::Good, 20623, 0},   // 2026-06-20 03:00Z: same study day, elapsed 0
    };
    test::EventMaker mk;
    LearnerModel model(mk.learner(), m_pack.get());
    foldAndCompare(model, mk, "1.1-fc-card1", steps, SchedulingOptions{0.9, 36500, true});
}

TEST_F(FoldVersusFsrs, sameDayReviewsTakeTheLongTermFormulasAtRecallOne) {
    // Long-term mode (fsrs.h): a review on the same study day is the long-term formulas at R = 1.
    // A pass leaves stability unchanged (the growth term has e^((1 - R) w10) - 1 = 0); a lapse takes
    // min(S, w11 D^-w12 ((S + 1)^w13 - 1)) (e^((1 - R) w14) = 1), never the short-term factor
    // S^-w19 e^(w17 (G - 3 + w18)). Default weights:
    //   Again first:    S1 = w0 = 0.212
    //   Good, same day: S2 = 0.212 (the short-term formula would give 0.24668919)
    //   Easy, same day: S3 = 0.212 (short-term: 0.48892084)
    const auto w = FsrsParameters::defaults().w;
    test::EventMaker mk;
    LearnerModel model(mk.learner(), m_pack.get());
    model.apply(mk.answer(1'780'308'000'000, "1.1-fc-card2", 1));  // 2026-06-01 10:00Z
    model.apply(mk.answer(1'780'311'600'000, "1.1-fc-card2", 3));  // 11:00Z, same study day
    const auto* t = model.track("1.1-fc-card2");
    ASSERT_NE(t, nullptr);
    EXPECT_DOUBLE_EQ(t->memory->stability, 0.212);
    model.apply(mk.answer(1'780'315'200'000, "1.1-fc-card2", 4));  // 12:00Z, same study day
    EXPECT_DOUBLE_EQ(t->memory->stability, 0.212);
    EXPECT_EQ(t->lastDay, 20605);

    // A mature item: Easy on three spaced days, Good on a fourth, then Again an hour later. The lapse
    // takes the post-lapse stability at R = 1 from the (D, S) the Again found.
    const Fsrs f(FsrsParameters::defaults());
    const int64_t day0 = 1'780'308'000'000;  // 2026-06-01 10:00Z
    constexpr int64_t kDay = 86'400'000;
    model.apply(mk.answer(day0, "1.1-fc-card3", 4));
    model.apply(mk.answer(day0 + 15 * kDay, "1.1-fc-card3", 4));
    model.apply(mk.answer(day0 + 100 * kDay, "1.1-fc-card3", 4));
    model.apply(mk.answer(day0 + 600 * kDay, "1.1-fc-card3", 3));
    const auto* m = model.track("1.1-fc-card3");
    ASSERT_NE(m, nullptr);
    const MemoryState mature = *m->memory;
    ASSERT_GT(mature.stability, 500.0);
    model.apply(mk.answer(day0 + 600 * kDay + 3'600'000, "1.1-fc-card3", 1));  // an hour later
    const double lapse =
        w[11] * std::pow(mature.difficulty, -w[12]) * (std::pow(mature.stability + 1.0, w[13]) - 1.0);
    EXPECT_NEAR(m->memory->stability, lapse, 1e-6);
    EXPECT_LT(m->memory->stability, 15.0);  // a relearning interval, not months
    const double shortTerm =
        mature.stability * std::pow(mature.stability, -w[19]) * std::exp(w[17] * (1 - 3 + w[18]));
    EXPECT_GT(shortTerm, 100.0);  // what the short-term formula would have kept
    EXPECT_LE(f.intervalDays(m->memory->stability, SchedulingOptions{}), 15);
}

TEST_F(FoldVersusFsrs, theLearnersZoneAndRolloverHourDecideTheElapsedDays) {
    // Europe/Berlin (UTC+2 in June), rollover 03:00 local = 01:00Z. Desired retention 0.85.
    test::EventMaker mk;
    LearnerModel model(mk.learner(), m_pack.get());
    model.apply(mk.setting(1'780'000'000'000, "time_zone", "Europe/Berlin"));
    model.apply(mk.setting(1'780'000'000'001, "day_rollover_hour", "3"));
    model.apply(mk.setting(1'780'000'000'002, "desired_retention", "0.85"));
    const std::vector<Step> steps = {
        // 2026-06-01 23:30Z = 06-02 01:30 local, before 03:00: study day 06-01 (20605).
        {1'780'356'600'000, Rating::Good, 20605, 0},
        // 2026-06-02 00:30Z = 02:30 local: still study day 06-01, elapsed 0.
        {1'780'360'200'000, Rating::Good, 20605, 0},
        // 2026-06-02 01:30Z = 03:30 local: study day 06-02, elapsed 1 (UTC would still say day 20605).
        {1'780'363'800'000, Rating::Hard, 20606, 1},
        // 2026-06-09 22:30Z = 06-10 00:30 local: study day 06-09 (20613), elapsed 7.
        {1'781'044'200'000, Rating::Good, 20613, 7},
    };
    foldAndCompare(model, mk, "1.2-fc-card1", steps, SchedulingOptions{0.85, 36500, true});
}

}  // namespace
}  // namespace retain::core
