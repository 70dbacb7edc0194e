#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <set>

#include "core/study_day.h"
#include "support/daemon_fixture.h"

namespace retain::test {
namespace {

class Study : public DaemonTest {
protected:
    v1::Session start(v1::StudyMode mode = v1::DAILY_REVIEW, const std::string& scope = "") {
        v1::StartSessionRequest r;
        r.set_learner_id(m_learner);
        r.set_mode(mode);
        r.set_scope(scope);
        auto s = m_client->startSession(r);
        EXPECT_TRUE(s) << s.error().format();
        return s ? *s : v1::Session();
    }
    v1::NextItemResponse next(const std::string& session) {
        v1::NextItemRequest r;
        r.set_learner_id(m_learner);
        r.set_session_id(session);
        auto n = m_client->nextItem(r);
        EXPECT_TRUE(n) << n.error().format();
        return n ? *n : v1::NextItemResponse();
    }
    // Answers the presented item: flashcards GOOD, questions with their first displayed option.
    v1::AnswerResponse answer(const std::string& session, const v1::PresentedItem& item,
                              v1::Rating grade = v1::GOOD) {
        v1::AnswerRequest r;
        r.set_learner_id(m_learner);
        r.set_session_id(session);
        r.set_item_id(item.id());
        r.set_response_ms(9000);
        if (item.kind() == v1::FLASHCARD)
            r.set_rating(grade);
        else
            for (uint32_t i = 0; i < std::max<uint32_t>(1, item.choose()); ++i)
                r.add_chosen_options(item.option_index(static_cast<int>(i)));
        auto a = m_client->answer(r);
        EXPECT_TRUE(a) << a.error().format();
        return a ? *a : v1::AnswerResponse();
    }
    v1::ItemDetail detail(const std::string& item) {
        v1::GetItemRequest r;
        r.set_item_id(item);
        r.set_learner_id(m_learner);
        return *m_client->getItem(r);
    }
    void SetUp() override {
        DaemonTest::SetUp();
        m_learner = learnerId();
    }
    std::string m_learner;
};

TEST_F(Study, aDailySessionIntroducesNewItemsUpToTheLimitAndSummarises) {
    v1::UpdateSettingsRequest set;
    set.set_learner_id(m_learner);
    set.add_fields("new_items_per_day");
    set.mutable_settings()->set_new_items_per_day(6);
    ASSERT_TRUE(m_client->updateSettings(set));
    const auto s = start();
    EXPECT_EQ(s.planned_new(), 6u);
    std::set<std::string> seen;
    int answered = 0;
    while (true) {
        auto n = next(s.id());
        if (n.finished())
            break;
        ASSERT_EQ(n.interval_days_size(), 4);
        EXPECT_LE(n.interval_days(0), n.interval_days(2));
        EXPECT_LT(n.interval_days(2), n.interval_days(3));
        auto a = answer(s.id(), n.item());
        EXPECT_FALSE(a.explanation().empty());
        EXPECT_FALSE(a.due_date().empty());
        seen.insert(n.item().id());
        ASSERT_LT(++answered, 50);
    }
    EXPECT_EQ(seen.size(), 6u);
    v1::EndSessionRequest end;
    end.set_learner_id(m_learner);
    end.set_session_id(s.id());
    auto summary = m_client->endSession(end);
    ASSERT_TRUE(summary);
    EXPECT_TRUE(summary->ended());
    EXPECT_EQ(summary->answered(), static_cast<uint32_t>(answered));
    EXPECT_EQ(summary->new_items(), 6u);
    EXPECT_FALSE(summary->mastery_changes().empty());
    v1::GetTodayRequest t;
    t.set_learner_id(m_learner);
    auto today = m_client->today(t);
    ASSERT_TRUE(today);
    EXPECT_EQ(today->items_seen(), 6u);
    EXPECT_EQ(today->new_available(), 0u);
    EXPECT_EQ(today->current_streak(), 1u);
}

TEST_F(Study, allDoneOnlyWhenNothingIsLeftAndThenItSaysWhyOtherwiseMinutesUsedSaysWhatMoreThereIs) {
    const auto settings = [&](uint32_t newPerDay, uint32_t minutes) {
        v1::UpdateSettingsRequest set;
        set.set_learner_id(m_learner);
        set.add_fields("new_items_per_day");
        set.add_fields("minutes_per_day");
        set.mutable_settings()->set_new_items_per_day(newPerDay);
        set.mutable_settings()->set_minutes_per_day(minutes);
        ASSERT_TRUE(m_client->updateSettings(set));
    };
    const auto today = [&] {
        v1::GetTodayRequest t;
        t.set_learner_id(m_learner);
        auto r = m_client->today(t);
        EXPECT_TRUE(r) << r.error().format();
        return r ? *r : v1::TodaySummary();
    };
    // A 60-minute budget and 8 new items a day: with 8 answers of 9 s done, nothing is due, the new items
    // of the day are in and every review was today: all done, and the status says which way.
    settings(8, 60);
    EXPECT_TRUE(today().status().empty()) << today().status();
    const auto s = start();
    for (int i = 0; i < 40; ++i) {
        const auto n = next(s.id());
        if (n.finished())
            break;
        answer(s.id(), n.item());
    }
    auto t = today();
    EXPECT_EQ(t.due() + t.new_available() + t.ahead_available(), 0u);
    EXPECT_EQ(t.minutes_per_day(), 60u);
    EXPECT_NE(t.status().find("Nothing worth studying is left today"), std::string::npos) << t.status();
    EXPECT_NE(t.status().find("today's 8 new items are in"), std::string::npos) << t.status();
    // A new session ends at once, with the same reason.
    const auto empty = start();
    const auto n = next(empty.id());
    EXPECT_TRUE(n.finished());
    EXPECT_EQ(n.finished_reason(), t.status());

    // A 1-minute budget, now used (8 x 9 s = 1.2 min), and more new items allowed: not "all done" but
    // "minutes used", with what more there is.
    settings(20, 1);
    t = today();
    EXPECT_EQ(t.new_available(), 12u);
    EXPECT_NE(t.status().find("Today's 1 minute is used"), std::string::npos) << t.status();
    EXPECT_NE(t.status().find("12 new"), std::string::npos) << t.status();
}

TEST_F(Study, undoRestoresTheExactMemoryAndOffersTheItemAgain) {
    const auto s = start();
    auto first = next(s.id());
    ASSERT_FALSE(first.finished());
    answer(s.id(), first.item());
    const auto afterFirst = detail(first.item().id());
    // Answer it again later the same session? No: answer the next item, then undo that one.
    auto second = next(s.id());
    ASSERT_FALSE(second.finished());
    const auto beforeSecond = detail(second.item().id());
    answer(s.id(), second.item(), v1::AGAIN);
    EXPECT_NE(detail(second.item().id()).memory().SerializeAsString(),
              beforeSecond.memory().SerializeAsString());
    v1::UndoRequest u;
    u.set_learner_id(m_learner);
    u.set_session_id(s.id());
    auto undone = m_client->undo(u);
    ASSERT_TRUE(undone) << undone.error().format();
    EXPECT_EQ(undone->item_id(), second.item().id());
    EXPECT_EQ(detail(second.item().id()).memory().SerializeAsString(),
              beforeSecond.memory().SerializeAsString());
    EXPECT_EQ(detail(first.item().id()).memory().SerializeAsString(),
              afterFirst.memory().SerializeAsString());
    // The undone item comes back next.
    EXPECT_EQ(next(s.id()).item().id(), second.item().id());
    // Undoing twice undoes the first answer, then there is nothing left.
    ASSERT_TRUE(m_client->undo(u));
    auto nothing = m_client->undo(u);
    ASSERT_FALSE(nothing);
    EXPECT_EQ(nothing.error().codeName, "FAILED_PRECONDITION");
}

TEST_F(Study, anItemsMemoryCarriesTheDecaySoClientsCanDrawItsForgettingCurve) {
    // Days in UTC from 04:00, so that moving the clock by whole days moves the study day by as many.
    v1::UpdateSettingsRequest set;
    set.set_learner_id(m_learner);
    set.add_fields("time_zone");
    set.add_fields("day_rollover_hour");
    set.mutable_settings()->set_time_zone("UTC");
    set.mutable_settings()->set_day_rollover_hour(4);
    ASSERT_TRUE(m_client->updateSettings(set));
    // The first flashcard of the session (questions before it answered and left alone).
    const auto s = start();
    v1::NextItemResponse card;
    for (int i = 0; i < 50; ++i) {
        card = next(s.id());
        ASSERT_FALSE(card.finished()) << "no flashcard in the session";
        if (card.item().kind() == v1::FLASHCARD)
            break;
        answer(s.id(), card.item());
    }
    ASSERT_EQ(card.item().kind(), v1::FLASHCARD);
    EXPECT_EQ(detail(card.item().id()).memory().decay(), 0.0) << "a new item has no curve yet";
    answer(s.id(), card.item(), v1::GOOD);

    // The published FSRS-6 default weights: w2 = 2.3065 (initial stability after Good), w20 = 0.1542
    // (decay). A new card rated Good has stability w2; the curve is R(t) = (1 + f t / S)^-w20 with
    // f = 0.9^(-1/w20) - 1, so that R(S) = 0.9.
    const double w2 = 2.3065, w20 = 0.1542;
    const double f = std::pow(0.9, -1.0 / w20) - 1.0;
    auto curve = [&](double days) { return std::pow(1.0 + f * days / w2, -w20); };
    // Hand check of the formula: 1 / 0.1542 = 6.48508, 0.9^-6.48508 = 1.98035.
    EXPECT_NEAR(f, 0.98035, 1e-5);
    EXPECT_NEAR(curve(w2), 0.9, 1e-12);

    const int64_t answeredMs = 1'780'000'000'000;  // the fixture's simulated "now" (20:26 UTC)
    for (int days : {0, 1, 2, 3, 7, 30, 365}) {
        SCOPED_TRACE("t = " + std::to_string(days) + " days");
        v1::SetClockRequest clock;
        clock.set_now_ms(answeredMs + days * 86'400'000LL);
        ASSERT_TRUE(m_client->setClock(clock));
        const v1::ItemMemory m = detail(card.item().id()).memory();
        EXPECT_NEAR(m.decay(), w20, 1e-12);
        EXPECT_NEAR(m.stability(), w2, 1e-12);
        // The reference rounds R and f to 8 decimals.
        EXPECT_NEAR(m.retrievability(), curve(days), 2e-8);
    }
}

TEST_F(Study, theIntervalPreviewedForAGradeIsTheIntervalTheAnswerGets) {
    // Intervals of 3 days and more are fuzzed by a seed of the item and its review count; the grade
    // buttons must show the fuzzed interval the answer will get, on the first answer (EASY: about 8
    // days, fuzzed) and on reviews days later.
    const std::array<v1::Rating, 3> grades = {v1::EASY, v1::GOOD, v1::HARD};
    int checked = 0, fuzzed = 0;
    for (int round = 0; round < 2; ++round) {
        if (round == 1) {
            v1::SetClockRequest c;
            c.set_now_ms(1'780'000'000'000 + 12LL * 86'400'000);
            ASSERT_TRUE(m_client->setClock(c));
        }
        const auto s = start();
        for (int i = 0; i < 30; ++i) {
            const auto n = next(s.id());
            if (n.finished())
                break;
            ASSERT_EQ(n.interval_days_size(), 4);
            const v1::Rating grade = grades[static_cast<size_t>(checked) % grades.size()];
            const auto a = answer(s.id(), n.item(), grade);
            const uint32_t previewed = n.interval_days(static_cast<int>(a.rating()) - 1);
            EXPECT_EQ(a.interval_days(), previewed)
                << n.item().id() << " rated " << v1::Rating_Name(a.rating());
            ++checked;
            fuzzed += a.interval_days() >= 3 ? 1 : 0;
        }
    }
    EXPECT_GE(checked, 30);
    EXPECT_GE(fuzzed, 10) << "too few intervals long enough to be fuzzed for the check to mean anything";
}

TEST_F(Study, aSameDayLapseOfAMatureItemSchedulesARelearningIntervalNotMonths) {
    // The outside check's case: a flashcard matured over months, answered GOOD on its due day, then
    // AGAIN an hour later in a drill. The lapse must bring it back within days (FSRS-6 long-term mode:
    // post-lapse stability at recall 1), as the AGAIN button previewed, not months out.
    int64_t now = 1'780'000'000'000;
    const auto setClock = [&](int64_t ms) {
        now = ms;
        v1::SetClockRequest c;
        c.set_now_ms(ms);
        ASSERT_TRUE(m_client->setClock(c));
    };
    setClock(now);
    std::string itemId, statement;
    uint32_t interval = 0;
    {
        const auto s = start();
        for (int i = 0; i < 40 && itemId.empty(); ++i) {
            const auto n = next(s.id());
            ASSERT_FALSE(n.finished());
            if (n.item().kind() != v1::FLASHCARD) {
                answer(s.id(), n.item());
                continue;
            }
            itemId = n.item().id();
            statement = n.item().task_statement();
            interval = answer(s.id(), n.item(), v1::EASY).interval_days();
        }
    }
    ASSERT_FALSE(itemId.empty());
    // Answers the item in a drill of its task statement with `grade`; returns the response and the
    // interval the grade's button showed.
    const auto drillAnswer = [&](v1::Rating grade) -> std::pair<v1::AnswerResponse, uint32_t> {
        const auto s = start(v1::DRILL, statement);
        for (int i = 0; i < 60; ++i) {
            const auto n = next(s.id());
            if (n.finished())
                break;
            if (n.item().id() != itemId) {
                answer(s.id(), n.item());
                continue;
            }
            const auto a = answer(s.id(), n.item(), grade);
            return {a, n.interval_days(static_cast<int>(grade) - 1)};
        }
        ADD_FAILURE() << itemId << " never came up in a drill of " << statement;
        return {};
    };
    // Mature it: EASY on each due day until its interval passes 150 days.
    for (int round = 0; round < 8 && interval < 150; ++round) {
        setClock(now + static_cast<int64_t>(interval) * 86'400'000);
        interval = drillAnswer(v1::EASY).first.interval_days();
    }
    ASSERT_GE(interval, 150u) << "the item did not mature";
    setClock(now + static_cast<int64_t>(interval) * 86'400'000);
    const auto good = drillAnswer(v1::GOOD);
    EXPECT_GT(good.first.interval_days(), interval);  // a mature success: a longer interval still
    setClock(now + 3'600'000);                        // an hour later, the same study day
    const auto again = drillAnswer(v1::AGAIN);
    EXPECT_EQ(again.first.interval_days(), again.second) << "the AGAIN button previewed another interval";
    EXPECT_GE(again.first.interval_days(), 1u);
    EXPECT_LE(again.first.interval_days(), 14u) << "a same-day lapse kept months of interval";
    EXPECT_LT(detail(itemId).memory().stability(), 15.0);
}

TEST_F(Study, questionsAreGradedAllOrNothing) {
    // Drill the light domain until a multiple-response question appears.
    const auto s = start(v1::DRILL, "2.1");
    for (int i = 0; i < 30; ++i) {
        auto n = next(s.id());
        ASSERT_FALSE(n.finished());
        if (n.item().kind() != v1::MULTIPLE_RESPONSE) {
            answer(s.id(), n.item());
            continue;
        }
        EXPECT_EQ(n.item().choose(), 2u);
        EXPECT_NE(n.item().prompt().find("(Choose two.)"), std::string::npos);
        // One right (content option 0) and one wrong (content option 1): all-or-nothing says wrong.
        v1::AnswerRequest r;
        r.set_learner_id(m_learner);
        r.set_session_id(s.id());
        r.set_item_id(n.item().id());
        r.set_response_ms(30000);
        r.add_chosen_options(0);
        r.add_chosen_options(1);
        auto a = m_client->answer(r);
        ASSERT_TRUE(a) << a.error().format();
        EXPECT_FALSE(a->correct());
        EXPECT_EQ(a->rating(), v1::AGAIN);
        EXPECT_EQ(a->correct_options_size(), 2);
        EXPECT_EQ(a->option_explanations_size(), 5);
        return;
    }
    FAIL() << "no multiple-response question in the drill";
}

TEST_F(Study, aNewLearnersDaysRollOverInTheirOwnZoneNotUtc) {
    // The client says where the learner is: retainctl and the desktop app send their local zone.
    v1::CreateLearnerRequest create;
    create.set_name("west");
    create.mutable_settings()->set_time_zone("America/Los_Angeles");
    auto west = m_client->createLearner(create);
    ASSERT_TRUE(west) << west.error().format();
    EXPECT_EQ(west->settings().time_zone(), "America/Los_Angeles");
    // A client that says nothing gets the daemon machine's zone; ensureLearner sends the client's.
    v1::CreateLearnerRequest bare;
    bare.set_name("bare");
    auto b = m_client->createLearner(bare);
    ASSERT_TRUE(b) << b.error().format();
    EXPECT_EQ(b->settings().time_zone(), core::localTimeZoneName());
    auto d = m_client->ensureLearner("fresh");
    ASSERT_TRUE(d) << d.error().format();
    EXPECT_EQ(d->settings().time_zone(), core::localTimeZoneName());
}

TEST_F(Study, historySurvivesARestartAndARebuild) {
    const auto s = start();
    for (int i = 0; i < 5; ++i)
        answer(s.id(), next(s.id()).item());
    v1::SearchItemsRequest q;
    q.set_learner_id(m_learner);
    auto before = m_client->searchItems(q);
    ASSERT_TRUE(before);
    stopDaemon();
    startDaemon();
    auto after = m_client->searchItems(q);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->SerializeAsString(), before->SerializeAsString());
    v1::RebuildRequest rb;
    auto rebuilt = m_client->rebuild(rb);
    ASSERT_TRUE(rebuilt);
    EXPECT_EQ(rebuilt->learners(), 1u);
    EXPECT_EQ(m_client->searchItems(q)->SerializeAsString(), before->SerializeAsString());
}

TEST_F(Study, suspendedItemsAreNeverScheduled) {
    v1::SetSuspendedRequest sus;
    sus.set_learner_id(m_learner);
    sus.set_suspended(true);
    v1::SearchItemsRequest all;
    all.set_task_statement("1.1");
    const auto items = m_client->searchItems(all);
    ASSERT_TRUE(items);
    for (const auto& item : items->items()) {
        sus.set_item_id(item.id());
        auto d = m_client->setSuspended(sus);
        ASSERT_TRUE(d);
        EXPECT_EQ(d->memory().state(), v1::SUSPENDED);
    }
    const auto s = start(v1::DRILL, "1.1");
    EXPECT_TRUE(next(s.id()).finished());
    v1::SearchItemsRequest suspended;
    suspended.set_learner_id(m_learner);
    suspended.set_state(v1::SUSPENDED);
    EXPECT_EQ(m_client->searchItems(suspended)->total(), 7u);
}

TEST_F(Study, readinessSaysWhatEvidenceIsMissingInsteadOfGuessing) {
    v1::GetReadinessRequest req;
    req.set_learner_id(m_learner);
    auto r = m_client->readiness(req);
    ASSERT_TRUE(r) << r.error().format();
    EXPECT_FALSE(r->enough_evidence());
    EXPECT_FALSE(r->missing().empty());
    EXPECT_EQ(r->pass_probability(), 0.0);  // unset, not a guess
    EXPECT_DOUBLE_EQ(r->assumed_cut_fraction(), 0.7);
    EXPECT_FALSE(r->assumption_note().empty());
    // Answer a session; the history gains a point for today.
    const auto s = start();
    for (int i = 0; i < 5; ++i)
        answer(s.id(), next(s.id()).item());
    v1::GetReadinessHistoryRequest h;
    h.set_learner_id(m_learner);
    auto history = m_client->readinessHistory(h);
    ASSERT_TRUE(history);
    EXPECT_EQ(history->points_size(), 1);
}

TEST_F(Study, theSimulatedClockMovesDaysForward) {
    const auto s = start();
    auto n = next(s.id());
    answer(s.id(), n.item());
    v1::SetClockRequest c;
    c.set_now_ms(1'780'000'000'000 + 400LL * 86'400'000);
    ASSERT_TRUE(m_client->setClock(c));
    v1::GetDueForecastRequest f;
    f.set_learner_id(m_learner);
    f.set_days(7);
    auto forecast = m_client->dueForecast(f);
    ASSERT_TRUE(forecast);
    ASSERT_EQ(forecast->days_size(), 7);
    EXPECT_EQ(forecast->days(0).due(), 1u);  // overdue counts today
}

}  // namespace
}  // namespace retain::test
