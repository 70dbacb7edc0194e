// Convergence property test: three replicas of one learner and a sync server store, driven through
// random schedules of answers, undos, setting changes, suspensions, offline periods, interrupted
// pushes and syncs. Afterwards every replica's derived state (item memory, abilities, due queue,
// readiness) must be identical, and every event must be on every replica and the server exactly once.
//
// In process and fast: each replica is the core fold (LearnerModel) over its own log, the server is the
// real SQLite SyncStore (in memory), and the push/pull steps follow the replica protocol (push after
// the push cursor, pull after the server cursor skipping our own events, fast-forward the push cursor
// when nothing of ours was pending).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <unordered_set>

#include "core/clock.h"
#include "core/content_loader.h"
#include "core/event_check.h"
#include "core/knowledge_fold.h"
#include "core/learner_model.h"
#include "core/readiness.h"
#include "storage/sync_store.h"
#include "support/temp_dir.h"

namespace retain {
namespace {

constexpr int64_t kT0 = 1'780'000'000'000;
const std::string kLearner(32, 'c');

struct Replica {
    Replica(std::string id, const core::ContentPack* pack, int64_t skewMs)
        : replicaId(std::move(id)), clock(kT0 + skewMs), hlc(clock), model(kLearner, pack) {}
    std::string replicaId;
    core::SimulatedClock clock;
    core::HybridClock hlc;
    uint64_t sequence = 0;
    std::vector<v1::Event> log;  // local insertion order: local seq = index + 1
    std::unordered_set<std::string> ids;
    size_t pushed = 0;    // local seq the server acknowledged
    uint64_t pulled = 0;  // server cursor
    bool online = true;
    core::LearnerModel model;

    v1::Event newEvent() {
        v1::Event e;
        e.set_id(replicaId + "-" + std::to_string(++sequence));
        e.set_learner_id(kLearner);
        e.set_hlc(hlc.now());
        e.set_wall_time_ms(clock.nowMs());
        return e;
    }
    // Stores an event (local or pulled) unless present; returns whether it was new.
    bool store(const v1::Event& e) {
        if (!ids.insert(e.id()).second)
            return false;
        log.push_back(e);
        hlc.observe(e.hlc());
        model.apply(e);
        return true;
    }
};

class Convergence : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto r = core::loadContent(test::miniContentDir());
        ASSERT_TRUE(r.pack);
        s_pack = new core::ContentPack(std::move(*r.pack));
        for (const auto& item : s_pack->items())
            s_items.push_back(item.id());
    }
    static void TearDownTestSuite() { delete s_pack; }

    // A canonical description of everything derived that a learner sees.
    static std::string derivedState(const core::LearnerModel& m, int64_t nowMs) {
        std::string out;
        char buf[320];
        std::vector<std::string> rows;
        const int64_t today = m.days().dayOf(nowMs);
        std::vector<std::string> due;
        for (const auto& [id, t] : m.tracks()) {
            std::snprintf(
                buf, sizeof buf, "%s s=%.12g d=%.12g due=%lld last=%lld r=%d l=%d susp=%d leech=%d n=%zu\n",
                id.c_str(), t.memory ? t.memory->stability : -1.0, t.memory ? t.memory->difficulty : -1.0,
                static_cast<long long>(t.dueDay), static_cast<long long>(t.lastDay), t.reviews, t.lapses,
                t.suspended, t.leech, t.answers.size());
            rows.push_back(buf);
            if (t.memory && !t.suspended && t.dueDay <= today)
                due.push_back(id);
        }
        std::sort(rows.begin(), rows.end());
        std::sort(due.begin(), due.end());
        for (const auto& r : rows)
            out += r;
        out += "due:";
        for (const auto& d : due)
            out += " " + d;
        out += "\nsettings:";
        for (const auto& k : core::LearnerSettings::keys())
            out += " " + k + "=" + m.settings().get(k);
        auto knowledge = core::foldKnowledge(m, *s_pack);
        const auto* exam = m.exam();
        for (int i = 0; exam && i < static_cast<int>(exam->taskStatements().size()); ++i) {
            const auto a = knowledge->posterior(i, today);
            std::snprintf(buf, sizeof buf, "\nability %d: %.12g %.12g", i, a.mean, a.var);
            out += buf;
        }
        core::ReadinessOptions ro;
        ro.draws = 32;
        ro.minQuestions = 1;
        ro.minQuestionsPerDomain = 0;
        ro.recommendations = false;
        if (exam) {
            const auto r = core::estimateReadiness(*exam, *s_pack, *knowledge, today, ro);
            std::snprintf(buf, sizeof buf, "\nreadiness: %.12g %.12g %.12g", r.passProbability,
                          r.expectedCorrect, r.scaledScore);
            out += buf;
        }
        out += "\nevents=" + std::to_string(m.eventCount());
        return out;
    }

    static core::ContentPack* s_pack;
    static std::vector<std::string> s_items;
};

core::ContentPack* Convergence::s_pack = nullptr;
std::vector<std::string> Convergence::s_items;

// Push (possibly interrupted after some batches) and pull, as SyncManager does.
void sync(Replica& r, storage::SyncStore& server, std::mt19937_64& rng, bool interruptible) {
    std::uniform_int_distribution<size_t> batchSize(1, 7);
    // Push in batches; a dropped connection stores the batches sent so far but does not move the cursor.
    size_t pos = r.pushed;
    const bool drop = interruptible && rng() % 5 == 0;
    while (pos < r.log.size()) {
        const size_t n = std::min(batchSize(rng), r.log.size() - pos);
        std::vector<v1::Event> batch(r.log.begin() + static_cast<long>(pos),
                                     r.log.begin() + static_cast<long>(pos + n));
        for (const auto& e : batch)
            ASSERT_EQ(core::checkForeignEvent(e, kLearner, r.clock.nowMs()), std::nullopt);
        ASSERT_TRUE(server.insert(kLearner, batch));
        pos += n;
        if (drop && rng() % 2 == 0)
            return;  // connection dropped mid-push: nothing acknowledged
    }
    r.pushed = pos;
    // Pull in pages, each stored before the cursor moves.
    const uint32_t page = 1 + static_cast<uint32_t>(rng() % 9);
    while (true) {
        auto got = server.read(kLearner, r.pulled, page, r.replicaId);
        ASSERT_TRUE(got);
        const bool nothingPending = r.pushed >= r.log.size();
        for (const auto& e : got->events) {
            ASSERT_NE(e.id().substr(0, 16), r.replicaId) << "own events are not pulled back";
            r.store(e);
        }
        if (nothingPending)
            r.pushed = r.log.size();
        r.pulled = got->cursor;
        if (got->done)
            break;
        if (drop && rng() % 3 == 0)
            return;  // dropped mid-pull: resumes from the saved cursor
    }
}

TEST_F(Convergence, threeReplicasConvergeWhateverTheScheduleOfSyncs) {
    constexpr int kSchedules = 1000;
    const std::vector<std::pair<std::string, std::vector<std::string>>> settings = {
        {"desired_retention", {"0.85", "0.9", "0.95"}},
        {"new_items_per_day", {"5", "20", "40"}},
        {"day_rollover_hour", {"0", "4", "7"}},
        {"time_zone", {"UTC", "Europe/Berlin", "America/New_York"}},
        {"leech_threshold", {"2", "6"}},
    };
    uint64_t totalEvents = 0;
    for (int schedule = 0; schedule < kSchedules; ++schedule) {
        const uint64_t seed = 7000 + static_cast<uint64_t>(schedule);
        SCOPED_TRACE("seed " + std::to_string(seed));
        std::mt19937_64 rng(seed);
        auto server = storage::openSqliteSyncStore(":memory:");
        ASSERT_TRUE(server) << server.error().message;
        ASSERT_TRUE((*server)->addAccount("learner", kLearner, kT0));

        std::vector<std::unique_ptr<Replica>> replicas;
        for (int i = 0; i < 3; ++i) {
            char id[17];
            std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(0xa0 + i));
            // Clock skew between machines: up to an hour either way.
            const int64_t skew = static_cast<int64_t>(rng() % 7'200'000) - 3'600'000;
            replicas.push_back(std::make_unique<Replica>(id, s_pack, skew));
        }
        std::set<std::string> created;
        {
            auto e = replicas[0]->newEvent();
            e.mutable_learner_created()->set_name("learner");
            created.insert(e.id());
            replicas[0]->store(e);
        }
        const int steps = 20 + static_cast<int>(rng() % 60);
        for (int step = 0; step < steps; ++step) {
            auto& r = *replicas[rng() % 3];
            // Time passes: minutes to days.
            const int64_t advance = (rng() % 4 == 0) ? static_cast<int64_t>(rng() % (3 * 86'400'000))
                                                     : static_cast<int64_t>(rng() % 1'800'000);
            for (auto& x : replicas)
                x->clock.set(x->clock.nowMs() + advance);
            const int op = static_cast<int>(rng() % 100);
            std::optional<v1::Event> e;
            if (op < 50) {
                e = r.newEvent();
                auto* a = e->mutable_answer();
                a->set_item_id(s_items[rng() % s_items.size()]);
                a->set_rating(static_cast<v1::Rating>(1 + rng() % 4));
                a->set_correct(a->rating() != v1::AGAIN);
                a->set_response_ms(2000 + static_cast<uint32_t>(rng() % 60000));
                a->set_mode(v1::DAILY_REVIEW);
            } else if (op < 62) {
                // Undo an answer this replica knows (maybe one made elsewhere, maybe already undone).
                std::vector<const v1::Event*> answers;
                for (const auto& x : r.log)
                    if (x.has_answer())
                        answers.push_back(&x);
                if (!answers.empty()) {
                    e = r.newEvent();
                    e->mutable_undo()->set_answer_event_id(answers[rng() % answers.size()]->id());
                }
            } else if (op < 72) {
                const auto& [key, values] = settings[rng() % settings.size()];
                e = r.newEvent();
                e->mutable_setting()->set_key(key);
                e->mutable_setting()->set_value(values[rng() % values.size()]);
            } else if (op < 77) {
                e = r.newEvent();
                e->mutable_suspension()->set_item_id(s_items[rng() % s_items.size()]);
                e->mutable_suspension()->set_suspended(rng() % 2 == 0);
            } else if (op < 85) {
                r.online = !r.online;
            } else if (r.online) {
                sync(r, **server, rng, true);
                if (HasFatalFailure())
                    return;
            }
            if (e) {
                created.insert(e->id());
                r.store(*e);
            }
        }
        // Everyone comes back online and syncs until quiet (two rounds suffice: all push, then all pull).
        for (int round = 0; round < 2; ++round)
            for (auto& r : replicas) {
                r->online = true;
                sync(*r, **server, rng, false);
                if (HasFatalFailure())
                    return;
            }

        // Nothing lost, nothing duplicated: the server and every replica hold exactly the created events.
        auto all = (*server)->read(kLearner, 0, 100000, "");
        ASSERT_TRUE(all);
        std::multiset<std::string> onServer;
        for (const auto& e : all->events)
            onServer.insert(e.id());
        ASSERT_EQ(onServer.size(), created.size());
        ASSERT_EQ(std::set<std::string>(onServer.begin(), onServer.end()), created);
        const int64_t now = replicas[0]->clock.nowMs() + 86'400'000;
        const std::string reference = derivedState(replicas[0]->model, now);
        for (auto& r : replicas) {
            ASSERT_EQ(r->log.size(), created.size());
            std::set<std::string> ids;
            for (const auto& e : r->log)
                ids.insert(e.id());
            ASSERT_EQ(ids, created);
            ASSERT_EQ(r->model.eventCount(), created.size());
            ASSERT_EQ(derivedState(r->model, now), reference) << "replica " << r->replicaId;
        }
        // The same as a fresh fold of the union from scratch (a new machine's first pull).
        core::LearnerModel fresh(kLearner, s_pack);
        fresh.beginBulkLoad();
        for (const auto& e : all->events)
            fresh.apply(e);
        fresh.endBulkLoad();
        ASSERT_EQ(derivedState(fresh, now), reference);
        totalEvents += created.size();
    }
    RecordProperty("events", std::to_string(totalEvents));
}

}  // namespace
}  // namespace retain
