// Killing the daemon at any instant loses no acknowledged write and never corrupts the database. Two
// writers run against one learner while the daemon is SIGKILLed at a random moment: a study writer
// (sessions started and ended, flashcards graded and questions answered, settings changed) and a mock
// writer (mock exams started, answered, flagged and submitted). After a restart every acknowledged write
// is there with its content, and nothing is half-written.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "app/child_daemon.h"
#include "rpc/client.h"
#include "storage/event_store.h"
#include "storage/schema.h"
#include "support/temp_dir.h"

namespace retain::test {
namespace {

constexpr int kWrites = 900;  // acknowledged writes per round, at most (the kill comes before)

std::vector<uint32_t> sorted(std::vector<uint32_t> v) {
    std::sort(v.begin(), v.end());
    return v;
}

// What the daemon acknowledged, filled by the writers.
struct Ledger {
    std::mutex mutex;
    std::vector<int> settings;                         // display_name "w<i>", in order
    std::map<std::string, v1::AnswerRequest> answers;  // by the answer's event id
    std::set<std::string> sessions;                    // started sessions
    std::set<std::string> endedSessions;               // ended sessions
    std::map<std::string, v1::MockReport> mocks;       // submitted mocks, by id
    std::map<std::string, std::multiset<std::pair<std::string, std::vector<uint32_t>>>> mockAnswers;
    std::atomic<int> writes{0};
    std::atomic<bool> killed{false};
    std::vector<std::string> unexpected;  // a writer's failure before the kill: a bug in the test or daemon

    template <typename R>
    bool ok(const R& reply, const char* what) {
        if (reply)
            return true;
        if (!killed) {
            std::lock_guard lock(mutex);
            unexpected.push_back(std::string(what) + ": " + reply.error().format());
        }
        return false;
    }
};

// Options for a question as the study and mock writers pick them: the first `choose` shown (at least one).
template <typename Item>
std::vector<uint32_t> firstShown(const Item& item) {
    std::vector<uint32_t> out;
    for (uint32_t k = 0; k < std::max<uint32_t>(1, item.choose()); ++k)
        out.push_back(item.option_index(static_cast<int>(k)));
    return out;
}

// Studies: daily review, then drills of domain 1 and 2 in turn, ending each session when it runs out;
// every sixth write changes a setting.
void studyWriter(rpc::Client& client, const std::string& learnerId, Ledger& ledger) {
    const std::vector<std::pair<v1::StudyMode, std::string>> modes = {
        {v1::DAILY_REVIEW, ""}, {v1::DRILL, "1"}, {v1::DRILL, "2"}};
    std::string session;
    size_t mode = 0;
    for (int i = 0; ledger.writes < kWrites; ++i) {
        if (i % 6 == 5) {
            v1::UpdateSettingsRequest r;
            r.set_learner_id(learnerId);
            r.add_fields("display_name");
            r.mutable_settings()->set_display_name("w" + std::to_string(i));
            if (!ledger.ok(client.updateSettings(r), "UpdateSettings"))
                return;
            std::lock_guard lock(ledger.mutex);
            ledger.settings.push_back(i);
        } else if (session.empty()) {
            v1::StartSessionRequest r;
            r.set_learner_id(learnerId);
            r.set_mode(modes[mode % modes.size()].first);
            r.set_scope(modes[mode % modes.size()].second);
            auto s = client.startSession(r);
            if (!ledger.ok(s, "StartSession"))
                return;
            session = s->id();
            std::lock_guard lock(ledger.mutex);
            ledger.sessions.insert(session);
        } else {
            v1::NextItemRequest n;
            n.set_learner_id(learnerId);
            n.set_session_id(session);
            auto next = client.nextItem(n);
            if (!ledger.ok(next, "NextItem"))
                return;
            if (next->finished()) {
                v1::EndSessionRequest e;
                e.set_learner_id(learnerId);
                e.set_session_id(session);
                if (!ledger.ok(client.endSession(e), "EndSession"))
                    return;
                std::lock_guard lock(ledger.mutex);
                ledger.endedSessions.insert(session);
                session.clear();
                ++mode;
                ++ledger.writes;
                continue;
            }
            v1::AnswerRequest a;
            a.set_learner_id(learnerId);
            a.set_session_id(session);
            a.set_item_id(next->item().id());
            a.set_response_ms(4000 + static_cast<uint32_t>(i));
            if (next->item().kind() == v1::FLASHCARD)
                a.set_rating(i % 4 == 0 ? v1::AGAIN : v1::GOOD);
            else
                for (uint32_t o : firstShown(next->item()))
                    a.add_chosen_options(o);
            auto answered = client.answer(a);
            if (!ledger.ok(answered, "Answer"))
                return;
            std::lock_guard lock(ledger.mutex);
            ledger.answers[answered->event_id()] = a;
        }
        ++ledger.writes;
    }
}

// Takes four-question mocks: answers all but the last question, flags the first, submits. Only the
// submission is a write (an open mock lives in memory until then).
void mockWriter(rpc::Client& client, const std::string& learnerId, Ledger& ledger) {
    while (ledger.writes < kWrites) {
        v1::StartMockRequest start;
        start.set_learner_id(learnerId);
        start.set_questions(4);
        auto mock = client.startMock(start);
        if (!ledger.ok(mock, "StartMock"))
            return;
        std::multiset<std::pair<std::string, std::vector<uint32_t>>> chosen;
        for (int q = 0; q + 1 < mock->questions_size(); ++q) {
            const auto& question = mock->questions(q);
            v1::AnswerMockRequest a;
            a.set_learner_id(learnerId);
            a.set_mock_id(mock->id());
            a.set_number(question.number());
            const auto options = firstShown(question);
            for (uint32_t o : options)
                a.add_chosen_options(o);
            if (!ledger.ok(client.answerMock(a), "AnswerMock"))
                return;
            chosen.insert({question.item_id(), sorted(options)});
        }
        v1::FlagQuestionRequest flag;
        flag.set_learner_id(learnerId);
        flag.set_mock_id(mock->id());
        flag.set_number(1);
        flag.set_flagged(true);
        if (!ledger.ok(client.flagQuestion(flag), "FlagQuestion"))
            return;
        v1::SubmitMockRequest submit;
        submit.set_learner_id(learnerId);
        submit.set_mock_id(mock->id());
        auto report = client.submitMock(submit);
        if (!ledger.ok(report, "SubmitMock"))
            return;
        std::lock_guard lock(ledger.mutex);
        ledger.mocks[mock->id()] = *report;
        ledger.mockAnswers[mock->id()] = std::move(chosen);
        ++ledger.writes;
    }
}

// What the restarted daemon serves.
struct Served {
    v1::Learner learner;
    std::map<std::string, v1::ItemMemory> memory;   // by item id
    std::map<std::string, v1::MockReport> reports;  // every listed mock's report
};

struct Answer {
    v1::Event event;
    int64_t seq;
};

TEST(Durability, sigkillDuringABurstOfStudyMockAndSettingsWritesLosesNoAcknowledgedWrite) {
    std::mt19937 rng(20261207);
    for (int round = 0; round < 4; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        TempDir dir;
        const std::string sock = dir.file("d.sock"), data = dir.file("data"), log = dir.file("log");
        const std::vector<std::string> args = {"--socket", sock,        "--data-dir",
                                               data,       "--content", miniContentDir()};
        std::string learnerId;
        Ledger ledger;
        {
            ChildDaemon daemon(args, log);
            ASSERT_TRUE(daemon.started());
            rpc::ClientOptions o;
            o.retries = 0;
            o.deadline = std::chrono::milliseconds(5000);
            rpc::Client study("unix:" + sock, o), mocks("unix:" + sock, o);
            ASSERT_TRUE(study.waitUntilServing(std::chrono::seconds(20))) << "daemon did not start";
            auto learner = study.ensureLearner("default");
            ASSERT_TRUE(learner);
            learnerId = learner->id();
            std::atomic<int> running{2};
            std::thread studying([&] {
                studyWriter(study, learnerId, ledger);
                --running;
            });
            std::thread mocking([&] {
                mockWriter(mocks, learnerId, ledger);
                --running;
            });
            // Kill at a random moment after at least a few writes, before the burst ends.
            const int killAfter = std::uniform_int_distribution<int>(5, kWrites - 50)(rng);
            while (ledger.writes < killAfter && running > 0)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            std::this_thread::sleep_for(
                std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng)));
            ledger.killed = true;
            daemon.signal(SIGKILL);
            studying.join();
            mocking.join();
            EXPECT_EQ(daemon.wait(), 128 + SIGKILL);
        }
        for (const auto& u : ledger.unexpected)
            ADD_FAILURE() << "a writer failed before the kill: " << u;
        ASSERT_FALSE(ledger.settings.empty());
        ASSERT_FALSE(ledger.answers.empty());

        // Restart on the same data: it must come up and serve every acknowledged write.
        Served served;
        {
            ChildDaemon daemon(args, log);
            rpc::Client client("unix:" + sock);
            ASSERT_TRUE(client.waitUntilServing(std::chrono::seconds(20))) << "daemon did not restart";
            v1::GetLearnerRequest get;
            get.set_learner(learnerId);
            auto l = client.getLearner(get);
            ASSERT_TRUE(l) << l.error().format();
            served.learner = *l;
            // The last acknowledged setting, or a later one that committed before its acknowledgement was
            // lost.
            EXPECT_GE(std::stoi(l->settings().display_name().substr(1)), ledger.settings.back());
            v1::SearchItemsRequest search;
            search.set_learner_id(learnerId);
            search.set_page_size(500);
            auto items = client.searchItems(search);
            ASSERT_TRUE(items) << items.error().format();
            for (const auto& item : items->items())
                served.memory[item.id()] = item.memory();
            v1::ListMocksRequest list;
            list.set_learner_id(learnerId);
            auto listed = client.listMocks(list);
            ASSERT_TRUE(listed) << listed.error().format();
            for (const auto& m : listed->mocks()) {
                EXPECT_TRUE(m.submitted()) << m.mock_id() << ": an open mock does not survive a restart";
                v1::GetMockReportRequest r;
                r.set_learner_id(learnerId);
                r.set_mock_id(m.mock_id());
                auto report = client.mockReport(r);
                ASSERT_TRUE(report) << m.mock_id() << ": " << report.error().format();
                served.reports[m.mock_id()] = *report;
            }
            for (const auto& [id, acked] : ledger.mocks) {
                ASSERT_TRUE(served.reports.count(id)) << "acknowledged mock " << id << " lost";
                EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(served.reports[id], acked))
                    << "mock " << id << " reports differently after the restart:\n"
                    << served.reports[id].DebugString() << "acknowledged:\n"
                    << acked.DebugString();
            }
            daemon.signal(SIGTERM);
            EXPECT_EQ(daemon.wait(), 0);
            EXPECT_FALSE(std::filesystem::exists(sock)) << "socket left behind after SIGTERM";
        }

        // The event log itself.
        auto db = storage::openRetainDatabase(data + "/retain.db");
        ASSERT_TRUE(db) << db.error().message;
        auto check = db->prepare("PRAGMA integrity_check");
        ASSERT_TRUE(*check->step());
        EXPECT_EQ(check->columnText(0), "ok");
        storage::EventStore store(std::move(db.value()));
        uint64_t events = 0;
        std::set<int> settings;
        std::map<std::string, Answer> answers;  // by event id
        std::set<std::string> started, ended, finishedMocks;
        std::map<std::string, std::multiset<std::pair<std::string, std::vector<uint32_t>>>> mockAnswers;
        std::map<std::string, std::pair<uint32_t, int64_t>> reviews;  // item: answers, last answer's time
        ASSERT_TRUE(store.forEachEvent(learnerId, [&](v1::Event&& e, int64_t seq) {
            ++events;
            if (e.has_setting() && e.setting().key() == "display_name")
                settings.insert(std::stoi(e.setting().value().substr(1)));
            if (e.has_session())
                (e.session().start() ? started : ended).insert(e.session().session_id());
            if (e.has_mock_exam()) {
                EXPECT_FALSE(finishedMocks.count(e.mock_exam().mock_id())) << "mock submitted twice";
                finishedMocks.insert(e.mock_exam().mock_id());
                EXPECT_TRUE(mockAnswers.count(e.mock_exam().mock_id()))
                    << "mock " << e.mock_exam().mock_id() << " finished without its answers before it";
            }
            if (e.has_answer()) {
                const auto& a = e.answer();
                auto& r = reviews[a.item_id()];
                ++r.first;
                r.second = std::max(r.second, e.wall_time_ms());
                if (a.mode() == v1::MOCK_EXAM) {
                    EXPECT_FALSE(finishedMocks.count(a.session_id())) << "an answer after its mock finished";
                    mockAnswers[a.session_id()].insert(
                        {a.item_id(), sorted({a.chosen_options().begin(), a.chosen_options().end()})});
                } else {
                    // No dangling answer: its session started before it and had not ended.
                    EXPECT_TRUE(started.count(a.session_id()))
                        << "answer " << e.id() << " in session " << a.session_id() << " that never started";
                    EXPECT_FALSE(ended.count(a.session_id()))
                        << "answer " << e.id() << " after its session ended";
                }
                answers[e.id()] = {e, seq};
            }
        }));

        // Counts: the daemon serves exactly what the log holds.
        EXPECT_EQ(served.learner.event_count(), events);
        for (const auto& [item, memory] : served.memory) {
            const auto r = reviews.count(item) ? reviews[item] : std::pair<uint32_t, int64_t>{0, 0};
            EXPECT_EQ(memory.reviews(), r.first) << item;
            EXPECT_EQ(memory.last_review_ms(), r.second) << item;
        }
        for (const auto& [item, r] : reviews)
            EXPECT_TRUE(served.memory.count(item)) << item << " answered but not served";

        // Every acknowledged write, by content.
        for (int i : ledger.settings)
            EXPECT_TRUE(settings.count(i)) << "acknowledged setting w" << i << " lost";
        for (const auto& id : ledger.sessions)
            EXPECT_TRUE(started.count(id)) << "acknowledged session " << id << " lost";
        for (const auto& id : ledger.endedSessions)
            EXPECT_TRUE(ended.count(id)) << "acknowledged end of session " << id << " lost";
        for (const auto& [eventId, request] : ledger.answers) {
            auto it = answers.find(eventId);
            if (it == answers.end()) {
                ADD_FAILURE() << "acknowledged answer " << eventId << " lost";
                continue;
            }
            const auto& a = it->second.event.answer();
            EXPECT_EQ(a.item_id(), request.item_id()) << eventId;
            EXPECT_EQ(a.session_id(), request.session_id()) << eventId;
            EXPECT_EQ(a.response_ms(), request.response_ms()) << eventId;
            EXPECT_EQ(sorted({a.chosen_options().begin(), a.chosen_options().end()}),
                      sorted({request.chosen_options().begin(), request.chosen_options().end()}))
                << eventId;
            if (request.rating() != v1::RATING_UNSPECIFIED) {
                EXPECT_EQ(a.rating(), request.rating()) << eventId;
            }
        }
        // Mocks: all or nothing. A finished mock has exactly its answers; no answers without the finish.
        EXPECT_EQ(finishedMocks.size(), served.reports.size());
        for (const auto& [id, chosen] : mockAnswers)
            EXPECT_TRUE(finishedMocks.count(id)) << "answers of mock " << id << " without its result";
        for (const auto& id : finishedMocks) {
            ASSERT_TRUE(served.reports.count(id)) << "mock " << id << " in the log but not listed";
            std::multiset<std::pair<std::string, std::vector<uint32_t>>> reported;
            for (const auto& q : served.reports[id].review())
                if (!q.chosen_options().empty())
                    reported.insert(
                        {q.item().id(), sorted({q.chosen_options().begin(), q.chosen_options().end()})});
            EXPECT_EQ(mockAnswers[id], reported) << "mock " << id << ": its report and its answers differ";
            if (ledger.mockAnswers.count(id)) {
                EXPECT_EQ(mockAnswers[id], ledger.mockAnswers[id]) << "acknowledged mock " << id;
            }
        }
        std::cout << "[round " << round << "] acknowledged " << ledger.writes << " writes before SIGKILL ("
                  << ledger.answers.size() << " answers in " << ledger.sessions.size() << " sessions, "
                  << ledger.mocks.size() << " mocks, " << ledger.settings.size() << " settings); stored "
                  << answers.size() << " answers (mocks' included), " << finishedMocks.size() << " mocks, "
                  << settings.size() << " settings; integrity ok\n";
    }
}

}  // namespace
}  // namespace retain::test
