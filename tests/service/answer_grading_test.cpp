// How an answer is graded (proto/retain/v1/common.proto, Rating): a flashcard by the learner's own
// grade, correct unless AGAIN; a question from correctness and response time: wrong is AGAIN, right is
// GOOD, HARD when more than twice as slow as the learner's usual time and EASY when faster than 0.4 of
// it. Until a learner has 10 timed question answers the usual time is 1.6 minutes (96,000 ms), so here
// 240,000 ms (2.5x) is HARD, 144,000 ms (1.5x) GOOD and 30,000 ms (0.31x) EASY.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "support/daemon_fixture.h"

namespace retain::test {
namespace {

class AnswerGrading : public DaemonTest {};

TEST_F(AnswerGrading, questionsAreGradedByCorrectnessAndTimeAndFlashcardsByTheLearner) {
    // The mini pack's statement 1.1: its questions' correct options (content order), from the fixture.
    const std::map<std::string, std::vector<uint32_t>> right = {
        {"1.1-mc-q1", {0}}, {"1.1-mc-q2", {1}}, {"1.1-mr-multi", {0, 2}}};
    struct Expected {
        uint32_t responseMs;
        bool correct;
        v1::Rating rating;
    };
    // In the order the questions come, whichever they are.
    const std::vector<Expected> questions = {
        {240'000, true, v1::HARD}, {144'000, true, v1::GOOD}, {30'000, true, v1::EASY}};
    const std::string learner = learnerId();
    v1::StartSessionRequest start;
    start.set_learner_id(learner);
    start.set_mode(v1::DRILL);
    start.set_scope("1.1");
    auto session = m_client->startSession(start);
    ASSERT_TRUE(session) << session.error().format();
    size_t questionsSeen = 0;
    bool flashcardAgainSeen = false;
    for (int i = 0; i < 20 && (questionsSeen < questions.size() || !flashcardAgainSeen); ++i) {
        v1::NextItemRequest next;
        next.set_learner_id(learner);
        next.set_session_id(session->id());
        auto item = m_client->nextItem(next);
        ASSERT_TRUE(item) << item.error().format();
        ASSERT_FALSE(item->finished()) << "the drill ended before every case was seen";
        v1::AnswerRequest a;
        a.set_learner_id(learner);
        a.set_session_id(session->id());
        a.set_item_id(item->item().id());
        if (item->item().kind() == v1::FLASHCARD) {
            a.set_response_ms(8000);
            a.set_rating(flashcardAgainSeen ? v1::GOOD : v1::AGAIN);
            auto r = m_client->answer(a);
            ASSERT_TRUE(r) << r.error().format();
            if (!flashcardAgainSeen) {
                EXPECT_FALSE(r->correct()) << "a flashcard graded AGAIN was not recalled";
                EXPECT_EQ(r->rating(), v1::AGAIN);
                flashcardAgainSeen = true;
            } else {
                EXPECT_TRUE(r->correct());
                EXPECT_EQ(r->rating(), v1::GOOD);
            }
            continue;
        }
        const auto it = right.find(item->item().id());
        ASSERT_NE(it, right.end()) << item->item().id();
        if (questionsSeen >= questions.size()) {  // a fourth question: answered wrong, so AGAIN
            a.set_response_ms(60'000);
            a.add_chosen_options(it->second[0] == 0 ? 1 : 0);
            auto r = m_client->answer(a);
            ASSERT_TRUE(r) << r.error().format();
            EXPECT_FALSE(r->correct());
            EXPECT_EQ(r->rating(), v1::AGAIN);
            continue;
        }
        const Expected& want = questions[questionsSeen++];
        a.set_response_ms(want.responseMs);
        for (uint32_t o : it->second)
            a.add_chosen_options(o);
        auto r = m_client->answer(a);
        ASSERT_TRUE(r) << r.error().format();
        EXPECT_EQ(r->correct(), want.correct) << item->item().id();
        EXPECT_EQ(v1::Rating_Name(r->rating()), v1::Rating_Name(want.rating))
            << item->item().id() << " answered right in " << want.responseMs << " ms";
    }
    EXPECT_EQ(questionsSeen, questions.size());
    EXPECT_TRUE(flashcardAgainSeen);
}

}  // namespace
}  // namespace retain::test
