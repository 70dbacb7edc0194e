// The load and fault suite (docs/security.md): real retaind processes under many concurrent clients,
// killed at random moments, and on a disk that fills up. Each run checks that every acknowledged answer is
// in the database afterwards and that PRAGMA integrity_check is ok.
//
// Short in `./dev test`; longer on request: RETAIN_LOAD_CLIENTS (default 10), RETAIN_LOAD_SECONDS
// (default 8), RETAIN_LOAD_KILLS (default 2). `./dev load` runs 50 clients for 120 s with 6 kills.
#include <sys/mount.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "app/child_daemon.h"
#include "rpc/client.h"
#include "storage/schema.h"
#include "support/temp_dir.h"

namespace retain::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int envInt(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// One simulated learner studying as fast as the daemon answers; every acknowledged answer's event id is
// recorded. Sessions are started again after the daemon restarts or a plan runs out.
class Studier {
public:
    Studier(std::string address, std::string learnerId, uint32_t seed)
        : m_address(std::move(address)), m_learner(std::move(learnerId)), m_rng(seed) {}

    // One answer (starting a session when needed); false when the daemon did not acknowledge it.
    bool step(std::vector<double>& latenciesMs) {
        if (!m_client) {
            rpc::ClientOptions o;
            o.retries = 0;
            o.deadline = 5000ms;
            m_client = std::make_unique<rpc::Client>(m_address, o);
        }
        if (m_session.empty() && !start())
            return false;
        v1::NextItemRequest next;
        next.set_learner_id(m_learner);
        next.set_session_id(m_session);
        auto item = m_client->nextItem(next);
        if (!item)
            lastError = "NextItem: " + item.error().format();
        if (!item) {
            m_session.clear();  // the daemon restarted (sessions are not durable) or went away
            return false;
        }
        if (item->finished()) {
            m_session.clear();
            ++m_drill;
            return false;
        }
        v1::AnswerRequest answer;
        answer.set_learner_id(m_learner);
        answer.set_session_id(m_session);
        answer.set_item_id(item->item().id());
        answer.set_response_ms(std::uniform_int_distribution<uint32_t>(2000, 20000)(m_rng));
        if (item->item().kind() == v1::FLASHCARD) {
            answer.set_rating(std::bernoulli_distribution(0.2)(m_rng) ? v1::AGAIN : v1::GOOD);
        } else {
            std::vector<uint32_t> options(static_cast<size_t>(item->item().options_size()));
            for (uint32_t i = 0; i < options.size(); ++i)
                options[i] = i;
            std::shuffle(options.begin(), options.end(), m_rng);
            const uint32_t k = std::max<uint32_t>(1, item->item().choose());
            for (uint32_t i = 0; i < k && i < options.size(); ++i)
                answer.add_chosen_options(options[i]);
        }
        const auto t0 = Clock::now();
        auto done = m_client->answer(answer);
        if (!done)
            lastError = "Answer: " + done.error().format();
        if (!done) {
            m_session.clear();
            return false;
        }
        latenciesMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        acked.push_back(done->event_id());
        return true;
    }
    void reconnect() {
        m_client.reset();
        m_session.clear();
    }

    std::vector<std::string> acked;
    std::string lastError;  // the last failure, for the report

private:
    bool start() {
        v1::StartSessionRequest r;
        r.set_learner_id(m_learner);
        r.set_minutes(600);
        r.set_max_items(500);
        if (m_drill == 0) {
            r.set_mode(v1::DAILY_REVIEW);
        } else {
            r.set_mode(v1::DRILL);
            r.set_scope(std::to_string(1 + m_drill % 4));  // the four domains in turn
        }
        auto s = m_client->startSession(r);
        if (!s) {
            lastError = "StartSession: " + s.error().format();
            return false;
        }
        m_session = s->id();
        return true;
    }

    std::string m_address, m_learner, m_session;
    std::mt19937 m_rng;
    std::unique_ptr<rpc::Client> m_client;
    uint32_t m_drill = 0;
};

// Every acknowledged answer is in the database, which passes integrity_check.
void expectEverythingAcknowledgedIsStored(const std::string& dbPath, const std::vector<Studier>& studiers) {
    auto db = storage::Database::open(dbPath, false, true);
    ASSERT_TRUE(db) << db.error().message;
    auto check = db->prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check && *check->step());
    EXPECT_EQ(check->columnText(0), "ok");
    std::set<std::string> stored;
    auto ids = db->prepare("SELECT id FROM events");
    ASSERT_TRUE(ids);
    while (*ids->step())
        stored.insert(ids->columnText(0));
    size_t acked = 0, missing = 0;
    for (const auto& s : studiers)
        for (const auto& id : s.acked) {
            ++acked;
            missing += stored.count(id) ? 0 : 1;
        }
    EXPECT_EQ(missing, 0u) << "of " << acked << " acknowledged answers";
    EXPECT_GT(acked, 0u);
}

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

TEST(Load, concurrentClientsWithRandomKillsLoseNoAcknowledgedAnswer) {
    const int clients = envInt("RETAIN_LOAD_CLIENTS", 10);
    const int seconds = envInt("RETAIN_LOAD_SECONDS", 8);
    const int kills = envInt("RETAIN_LOAD_KILLS", 2);
    TempDir dir;
    const std::string sock = dir.file("d.sock");
    const std::vector<std::string> args = {"--socket",       sock,        "--data-dir",
                                           dir.file("data"), "--content", std::string(RETAIN_CONTENT_DIR)};
    auto daemon = std::make_unique<ChildDaemon>(args, dir.file("daemon.log"));
    rpc::Client owner("unix:" + sock);
    ASSERT_TRUE(owner.waitUntilServing(30s)) << readAll(dir.file("daemon.log"));

    std::vector<Studier> studiers;
    for (int i = 0; i < clients; ++i) {
        v1::CreateLearnerRequest create;
        create.set_name("load" + std::to_string(i));
        create.mutable_settings()->set_new_items_per_day(1000);
        create.mutable_settings()->set_minutes_per_day(1440);
        auto l = owner.createLearner(create);
        ASSERT_TRUE(l) << l.error().format();
        studiers.emplace_back("unix:" + sock, l->id(), static_cast<uint32_t>(i + 1));
    }

    std::atomic<bool> stop{false};
    std::mutex latencyMutex;
    std::vector<double> latencies;
    std::vector<std::thread> threads;
    for (auto& s : studiers)
        threads.emplace_back([&] {
            std::vector<double> mine;
            while (!stop) {
                if (!s.step(mine)) {
                    s.reconnect();
                    std::this_thread::sleep_for(20ms);
                }
            }
            std::lock_guard lock(latencyMutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
        });

    // Kill at random moments, restart at once on the same data: clients carry on.
    std::mt19937 rng(20261207);
    const auto start = Clock::now();
    const auto end = start + std::chrono::seconds(seconds);
    std::vector<Clock::time_point> killAt;
    for (int k = 0; k < kills; ++k)
        killAt.push_back(start + std::chrono::milliseconds(std::uniform_int_distribution<int>(
                                     500, std::max(1000, seconds * 1000 - 500))(rng)));
    std::sort(killAt.begin(), killAt.end());
    double downSeconds = 0;
    for (auto when : killAt) {
        std::this_thread::sleep_until(when);
        daemon->signal(SIGKILL);
        EXPECT_EQ(daemon->wait(), 128 + SIGKILL);
        const auto down = Clock::now();
        daemon = std::make_unique<ChildDaemon>(args, dir.file("daemon.log"));
        ASSERT_TRUE(owner.waitUntilServing(30s)) << "no restart after a SIGKILL\n"
                                                 << readAll(dir.file("daemon.log"));
        downSeconds += std::chrono::duration<double>(Clock::now() - down).count();
    }
    std::this_thread::sleep_until(end);
    stop = true;
    for (auto& t : threads)
        t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(), 0);

    size_t acked = 0;
    for (const auto& s : studiers)
        acked += s.acked.size();
    std::printf(
        "load: %d clients, %.1f s, %d SIGKILLs (%.1f s down): %zu acknowledged answers, %.0f/s; "
        "answer latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
        clients, elapsed, kills, downSeconds, acked, static_cast<double>(acked) / elapsed,
        percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(latencies, 1.0));
    if (!studiers.empty() && !studiers[0].lastError.empty())
        std::printf("load: the last failure of client 0: %s\n", studiers[0].lastError.c_str());
    expectEverythingAcknowledgedIsStored(dir.file("data/retain.db"), studiers);
}

TEST(Load, aFullDiskIsReportedAsSuchAndLosesNothing) {
    TempDir dir;
    const std::string mnt = dir.file("small");
    std::filesystem::create_directories(mnt);
    // A 4 MiB tmpfs: the database fills it within a few thousand answers.
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=4m,mode=0700") != 0)
        GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
    struct Unmount {
        std::string path;
        ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
    } unmount{mnt};
    const std::string sock = dir.file("d.sock");
    const std::vector<std::string> args = {"--socket",    sock,        "--data-dir",
                                           mnt + "/data", "--content", std::string(RETAIN_CONTENT_DIR)};
    auto daemon = std::make_unique<ChildDaemon>(args, dir.file("daemon.log"));
    rpc::Client owner("unix:" + sock);
    ASSERT_TRUE(owner.waitUntilServing(30s)) << readAll(dir.file("daemon.log"));
    v1::CreateLearnerRequest create;
    create.set_name("full");
    create.mutable_settings()->set_new_items_per_day(1000);
    create.mutable_settings()->set_minutes_per_day(1440);
    auto l = owner.createLearner(create);
    ASSERT_TRUE(l) << l.error().format();
    std::vector<Studier> studiers;
    studiers.emplace_back("unix:" + sock, l->id(), 7);

    // Study until the disk is full (a long settings value makes each event big, so it fills sooner).
    v1::UpdateSettingsRequest big;
    big.set_learner_id(l->id());
    big.add_fields("display_name");
    std::optional<rpc::RpcError> failure;
    std::vector<double> ignored;
    for (int i = 0; i < 200000 && !failure; ++i) {
        big.mutable_settings()->set_display_name(std::string(60, static_cast<char>('a' + i % 26)));
        if (auto r = owner.updateSettings(big); !r)
            failure = r.error();
        if (!failure && i % 4 == 0)
            studiers[0].step(ignored);
    }
    ASSERT_TRUE(failure) << "the disk never filled";
    EXPECT_EQ(failure->codeName, "RESOURCE_EXHAUSTED") << failure->message;
    EXPECT_NE(failure->message.find("disk"), std::string::npos) << failure->message;
    EXPECT_NE(failure->message.find("Free some space"), std::string::npos) << failure->message;
    // Still serving reads.
    v1::GetTodayRequest today;
    today.set_learner_id(l->id());
    EXPECT_TRUE(owner.today(today));

    daemon->signal(SIGKILL);
    daemon->wait();
    // With room again, it starts, and everything acknowledged is there.
    ASSERT_EQ(::mount("tmpfs", mnt.c_str(), "tmpfs", MS_REMOUNT, "size=64m,mode=0700"), 0)
        << std::strerror(errno);
    daemon = std::make_unique<ChildDaemon>(args, dir.file("daemon.log"));
    ASSERT_TRUE(owner.waitUntilServing(30s)) << readAll(dir.file("daemon.log"));
    daemon->signal(SIGTERM);
    EXPECT_EQ(daemon->wait(), 0);
    expectEverythingAcknowledgedIsStored(mnt + "/data/retain.db", studiers);
}

}  // namespace
}  // namespace retain::test
