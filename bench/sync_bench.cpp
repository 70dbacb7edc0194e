// retain_bench_sync: sync over loopback TLS between in-process daemons (a sync server and replicas).
//   - initial sync of a 100,000-event history: the first push, and a new machine's first pull (median of 3);
//   - incremental sync of 50 events: push on one replica, pull on the other (medians of 11);
//   - a server holding 1,000 learners serving 50 concurrent clients (Hello + Push + Pull each), errors
//   counted.
// Prints a table and writes JSON.
//
//   retain_bench_sync --content DIR [--out FILE.json] [--events N] [--learners N] [--clients N]
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/daemon.h"
#include "retain/v1/sync.grpc.pb.h"
#include "rpc/client.h"

using Clock = std::chrono::steady_clock;
namespace v1 = retain::v1;
namespace fs = std::filesystem;

namespace {

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}
std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Node {
    std::unique_ptr<retain::app::Daemon> daemon;
    std::unique_ptr<retain::rpc::Client> client;
};

Node startReplica(const std::string& dir, const std::string& name, const std::string& content) {
    retain::app::DaemonConfig c;
    c.socketPath = dir + "/" + name + ".sock";
    c.dataDir = dir + "/" + name;
    c.contentDir = content;
    auto d = retain::app::Daemon::start(c);
    if (!d) {
        std::fprintf(stderr, "cannot start %s: %s\n", name.c_str(), d.error().message.c_str());
        std::exit(1);
    }
    Node n;
    n.daemon = std::move(d.value());
    retain::rpc::ClientOptions o;
    o.deadline = std::chrono::seconds(300);
    n.client = std::make_unique<retain::rpc::Client>(n.daemon->socketAddress(), o);
    return n;
}

void importReviews(retain::rpc::Client& client, const std::string& id, int n, int64_t startMs, int offset) {
    for (int done = 0; done < n;) {
        v1::ImportReviewsRequest req;
        req.set_learner_id(id);
        for (int i = 0; i < 5000 && done < n; ++i, ++done) {
            auto* rv = req.add_reviews();
            rv->set_card_id("c" + std::to_string((done + offset) % 4999));
            rv->set_rating(static_cast<v1::Rating>(1 + (done + offset) % 4));
            rv->set_time_ms(startMs + (done + offset) * 60'000LL);
            rv->set_duration_ms(5000);
        }
        auto r = client.importReviews(req);
        if (!r) {
            std::fprintf(stderr, "import failed: %s\n", r.error().format().c_str());
            std::exit(1);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string content, out = "sync.json";
    int events = 100000, learners = 1000, clients = 50;
    CLI::App cli{"retain_bench_sync: sync over loopback TLS between in-process daemons"};
    cli.add_option("--content", content, "content directory")->required();
    cli.add_option("--out", out, "JSON results file");
    cli.add_option("--events", events, "events in the initial history")->check(CLI::Range(1000, 10000000));
    cli.add_option("--learners", learners, "accounts on the server for the load test")
        ->check(CLI::Range(1, 100000));
    cli.add_option("--clients", clients, "concurrent clients in the load test")->check(CLI::Range(1, 1000));
    CLI11_PARSE(cli, argc, argv);
    char tmpl[] = "/tmp/retain-sync-bench.XXXXXX";
    const std::string dir = mkdtemp(tmpl);
    const std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
        key + " -out " + cert + " 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "openssl failed\n");
        return 1;
    }

    retain::app::DaemonConfig sc;
    sc.socketPath = dir + "/server.sock";
    sc.dataDir = dir + "/server";
    sc.contentDir = content;
    sc.syncServer = true;
    sc.listen = "127.0.0.1:0";
    sc.tlsCert = cert;
    sc.tlsKey = key;
    auto server = retain::app::Daemon::start(sc);
    if (!server) {
        std::fprintf(stderr, "cannot start the sync server: %s\n", server.error().message.c_str());
        return 1;
    }
    const std::string address = "localhost:" + std::to_string((*server)->tcpPort());
    retain::rpc::Client admin((*server)->socketAddress());

    // ---- Initial sync of a long history ----
    Node a = startReplica(dir, "a", content);
    const auto id = a.client->ensureLearner("ana")->id();
    const int64_t start = nowMs() - 200LL * 86'400'000;
    importReviews(*a.client, id, events - 1, start, 0);  // + LearnerCreated
    // The import triggers a background fit of personal parameters; run one to completion so that no
    // event appears during the measurements.
    v1::OptimizeParametersRequest fit;
    fit.set_learner_id(id);
    for (int i = 0; i < 600; ++i) {
        auto done = a.client->optimizeParameters(fit);
        if (done || done.error().message.find("already running") == std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    v1::AddSyncLearnerRequest add;
    add.set_name("ana");
    add.set_learner_id(id);
    const auto token = admin.addSyncLearner(add)->token();
    auto setup = [&](const std::string& learner) {
        v1::SetupSyncRequest r;
        r.set_learner_id(learner);
        r.set_server(address);
        r.set_token(token);
        r.set_ca_file(cert);
        return r;
    };
    auto t0 = Clock::now();
    auto pushed = a.client->setupSync(setup(id));
    const double initialPushMs = msSince(t0);
    if (!pushed) {
        std::fprintf(stderr, "initial push failed: %s\n", pushed.error().format().c_str());
        return 1;
    }
    std::vector<double> initialPull;
    Node b;
    for (int run = 0; run < 3; ++run) {
        b = startReplica(dir, "b" + std::to_string(run), content);
        t0 = Clock::now();
        auto pulled = b.client->setupSync(setup(""));
        initialPull.push_back(msSince(t0));
        if (!pulled || pulled->last_pulled() + 0u != pushed->last_pushed()) {
            std::fprintf(stderr, "initial pull failed or incomplete\n");
            return 1;
        }
    }

    // ---- Incremental syncs of 50 events ----
    std::vector<double> incPush, incPull;
    v1::SyncNowRequest now;
    now.set_learner_id(id);
    for (int run = 0; run < 11; ++run) {
        importReviews(*a.client, id, 50, start, events + run * 50);
        t0 = Clock::now();
        auto p = a.client->syncNow(now);
        incPush.push_back(msSince(t0));
        t0 = Clock::now();
        auto q = b.client->syncNow(now);
        incPull.push_back(msSince(t0));
        if (!p || !q || p->last_pushed() != 50 || q->last_pulled() != 50) {
            std::fprintf(stderr, "incremental sync failed or incomplete\n");
            return 1;
        }
    }

    // ---- 1,000 learners, 50 concurrent clients ----
    std::vector<std::pair<std::string, std::string>> accounts;  // learner id, token
    for (int i = 0; i < learners; ++i) {
        v1::AddSyncLearnerRequest r;
        r.set_name("learner" + std::to_string(i));
        auto acc = admin.addSyncLearner(r);
        if (!acc) {
            std::fprintf(stderr, "add account failed: %s\n", acc.error().format().c_str());
            return 1;
        }
        accounts.emplace_back(acc->learner_id(), acc->token());
    }
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = readFile(cert);
    std::atomic<int> errors{0}, syncs{0};
    std::mutex latMutex;
    std::vector<double> latencies;
    constexpr int kRounds = 20;
    const auto loadStart = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            auto channel = grpc::CreateChannel(address, grpc::SslCredentials(ssl));
            auto stub = v1::SyncService::NewStub(channel);
            char replica[17];
            std::snprintf(replica, sizeof replica, "%016x", 0xbe00 + c);
            uint64_t seq = 0;
            for (int round = 0; round < kRounds; ++round) {
                const auto& [learner, tok] = accounts[static_cast<size_t>((c + round * clients) % learners)];
                const auto s0 = Clock::now();
                auto ctx = [&] {
                    auto x = std::make_unique<grpc::ClientContext>();
                    x->AddMetadata("authorization", "Bearer " + tok);
                    x->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
                    return x;
                };
                bool ok = true;
                {
                    auto x = ctx();
                    v1::HelloRequest h;
                    h.set_protocol_version(1);
                    h.set_learner_id(learner);
                    v1::HelloResponse hr;
                    ok = ok && stub->Hello(x.get(), h, &hr).ok();
                }
                {
                    auto x = ctx();
                    v1::PushResponse pr;
                    auto w = stub->Push(x.get(), &pr);
                    v1::PushBatch batch;
                    batch.set_learner_id(learner);
                    for (int k = 0; k < 50; ++k) {
                        auto* e = batch.add_events();
                        e->set_id(std::string(replica) + "-" + std::to_string(++seq));
                        e->set_learner_id(learner);
                        const int64_t t = nowMs();
                        e->set_hlc(static_cast<uint64_t>(t) << 16);
                        e->set_wall_time_ms(t);
                        e->mutable_answer()->set_item_id("bench-item");
                        e->mutable_answer()->set_rating(v1::GOOD);
                    }
                    w->Write(batch);
                    w->WritesDone();
                    ok = ok && w->Finish().ok();
                }
                {
                    auto x = ctx();
                    v1::PullRequest p;
                    p.set_learner_id(learner);
                    auto r = stub->Pull(x.get(), p);
                    v1::PullBatch pb;
                    while (r->Read(&pb)) {
                    }
                    ok = ok && r->Finish().ok();
                }
                if (!ok)
                    ++errors;
                ++syncs;
                std::lock_guard lock(latMutex);
                latencies.push_back(msSince(s0));
            }
        });
    }
    for (auto& t : threads)
        t.join();
    const double loadSeconds = msSince(loadStart) / 1000;

    nlohmann::json j;
    j["initial_history_events"] = events;
    j["initial_push_ms"] = initialPushMs;
    j["initial_pull_median_ms"] = median(initialPull);
    j["incremental_events"] = 50;
    j["incremental_push_median_ms"] = median(incPush);
    j["incremental_pull_median_ms"] = median(incPull);
    j["server_learners"] = learners + 1;
    j["concurrent_clients"] = clients;
    j["concurrent_syncs"] = syncs.load();
    j["concurrent_errors"] = errors.load();
    j["concurrent_sync_median_ms"] = median(latencies);
    j["concurrent_syncs_per_second"] = syncs.load() / loadSeconds;
    std::printf("sync over loopback TLS\n");
    std::printf("  initial sync, %d events: push %.0f ms, new machine's pull (median of 3) %.0f ms\n", events,
                initialPushMs, median(initialPull));
    std::printf("  incremental sync, 50 events (median of 11): push %.1f ms, pull %.1f ms\n", median(incPush),
                median(incPull));
    std::printf(
        "  %d learners, %d concurrent clients: %d syncs (Hello+Push 50+Pull), %d errors, median %.1f ms, "
        "%.0f syncs/s\n",
        learners + 1, clients, syncs.load(), errors.load(), median(latencies), syncs.load() / loadSeconds);
    std::ofstream(out) << j.dump(2) << '\n';
    b = {};
    a = {};
    server->reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
    return errors.load() == 0 ? 0 : 1;
}
