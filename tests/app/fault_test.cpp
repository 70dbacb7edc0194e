// Killing the daemon at any instant loses no acknowledged write and never corrupts the database.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
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

constexpr int kWrites = 1200;

TEST(Durability, sigkillDuringABurstOfWritesLosesNoAcknowledgedWrite) {
    std::mt19937 rng(20261128);
    for (int round = 0; round < 4; ++round) {
        TempDir dir;
        const std::string sock = dir.file("d.sock"), data = dir.file("data"), log = dir.file("log");
        const std::vector<std::string> args = {"--socket", sock,        "--data-dir",
                                               data,       "--content", miniContentDir()};
        std::string learnerId;
        std::vector<int> acked;
        {
            ChildDaemon daemon(args, log);
            ASSERT_TRUE(daemon.started());
            rpc::ClientOptions o;
            o.retries = 0;
            o.deadline = std::chrono::milliseconds(5000);
            rpc::Client client("unix:" + sock, o);
            ASSERT_TRUE(client.waitUntilServing(std::chrono::seconds(20))) << "daemon did not start";
            auto learner = client.ensureLearner("default");
            ASSERT_TRUE(learner);
            learnerId = learner->id();
            std::atomic<int> done{0};
            std::thread writer([&] {
                v1::UpdateSettingsRequest r;
                r.set_learner_id(learnerId);
                r.add_fields("display_name");
                for (int i = 0; i < kWrites; ++i) {
                    r.mutable_settings()->set_display_name("w" + std::to_string(i));
                    if (!client.updateSettings(r))
                        break;
                    acked.push_back(i);
                    done = i + 1;
                }
            });
            // Kill at a random moment after at least a few writes, before the burst ends.
            const int killAfter = std::uniform_int_distribution<int>(5, kWrites - 50)(rng);
            while (done < killAfter)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            std::this_thread::sleep_for(
                std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng)));
            daemon.signal(SIGKILL);
            writer.join();
            EXPECT_EQ(daemon.wait(), 128 + SIGKILL);
        }
        ASSERT_FALSE(acked.empty());
        // Restart on the same data: it must come up, and serve the last acknowledged write (or a later
        // one that committed before its acknowledgement was lost).
        {
            ChildDaemon daemon(args, log);
            rpc::Client client("unix:" + sock);
            ASSERT_TRUE(client.waitUntilServing(std::chrono::seconds(20)))
                << "daemon did not restart, round " << round;
            v1::GetLearnerRequest get;
            get.set_learner(learnerId);
            auto l = client.getLearner(get);
            ASSERT_TRUE(l);
            const int shown = std::stoi(l->settings().display_name().substr(1));
            EXPECT_GE(shown, acked.back()) << "round " << round;
            daemon.signal(SIGTERM);
            EXPECT_EQ(daemon.wait(), 0);
            EXPECT_FALSE(std::filesystem::exists(sock)) << "socket left behind after SIGTERM";
        }
        auto db = storage::openRetainDatabase(data + "/retain.db");
        ASSERT_TRUE(db) << db.error().message;
        auto check = db->prepare("PRAGMA integrity_check");
        ASSERT_TRUE(*check->step());
        EXPECT_EQ(check->columnText(0), "ok");
        storage::EventStore store(std::move(db.value()));
        std::set<int> stored;
        ASSERT_TRUE(store.forEachEvent(learnerId, [&](v1::Event&& e, int64_t) {
            if (e.has_setting() && e.setting().key() == "display_name")
                stored.insert(std::stoi(e.setting().value().substr(1)));
        }));
        for (int i : acked)
            ASSERT_TRUE(stored.count(i)) << "acknowledged write " << i << " lost in round " << round;
        std::cout << "[round " << round << "] acknowledged " << acked.size()
                  << " writes before SIGKILL, stored " << stored.size() << ", integrity ok\n";
    }
}

}  // namespace
}  // namespace retain::test
