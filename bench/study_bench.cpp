// retain_bench_study: the study loop at scale. Builds a 5,000-item pack and a learner with 200,000 past
// events, starts retaind as a child process on that data, and measures start-up time, NextItem and
// durable Answer latency over the unix socket, and the daemon's resident memory.
//
//   retain_bench_study --content DIR --out FILE.json [--items N] [--events N] [--answers N]
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/ids.h"
#include "rpc/client.h"
#include "storage/event_store.h"
#include "storage/schema.h"

extern char** environ;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t kDayMs = 86'400'000;

// A blueprint with the MLS-C01 shape (4 domains, 15 task statements) and `n` generated items.
void writePack(const fs::path& dir, int n) {
    fs::create_directories(dir / "blueprints");
    fs::create_directories(dir / "items" / "bench");
    std::ofstream bp(dir / "blueprints" / "bench.textproto");
    bp << "code: \"BENCH-01\" name: \"Benchmark exam\" vendor: \"bench\"\n"
          "form { total_questions: 65 scored_questions: 50 unscored_questions: 15 duration_minutes: 180 "
          "scaled_score_min: 100 scaled_score_max: 1000 passing_scaled_score: 750 assumed_cut_fraction: 0.72 "
          "cut_assumption_note: \"bench\" }\n";
    const int counts[] = {3, 3, 5, 4};
    const double weights[] = {20, 24, 36, 20};
    for (int d = 0; d < 4; ++d) {
        bp << "domains { id: \"" << d + 1 << "\" name: \"Domain " << d + 1
           << "\" weight_percent: " << weights[d] << "\n";
        for (int t = 0; t < counts[d]; ++t)
            bp << "  task_statements { id: \"" << d + 1 << "." << t + 1 << "\" title: \"Statement\" }\n";
        bp << "}\n";
    }
    std::vector<std::string> statements;
    for (int d = 0; d < 4; ++d)
        for (int t = 0; t < counts[d]; ++t)
            statements.push_back(std::to_string(d + 1) + "." + std::to_string(t + 1));
    std::ofstream items(dir / "items" / "bench" / "items.textproto");
    items << "exam: \"BENCH-01\"\n";
    const std::string ref = "references { title: \"bench\" citation: \"generated\" }";
    for (int i = 0; i < n; ++i) {
        const auto& ts = statements[static_cast<size_t>(i) % statements.size()];
        if (i % 3 == 2) {
            items << "items { id: \"b-" << i << "\" revision: 1 task_statement: \"" << ts
                  << "\" kind: MULTIPLE_CHOICE prompt: \"Generated question " << i
                  << "\" explanation: \"e\" difficulty: 3 " << ref;
            for (int o = 0; o < 4; ++o)
                items << " options { text: \"option " << o << "\" correct: " << (o == 0 ? "true" : "false")
                      << " explanation: \"x\" }";
            items << " }\n";
        } else {
            items << "items { id: \"b-" << i << "\" revision: 1 task_statement: \"" << ts
                  << "\" kind: FLASHCARD prompt: \"Generated card " << i
                  << "\" answer: \"a\" explanation: \"e\" difficulty: 2 " << ref << " }\n";
        }
    }
}

// A learner with `events` answers spread over a year on the first 80 % of the items.
std::string writeHistory(const fs::path& dataDir, int items, int events, int64_t startMs) {
    fs::create_directories(dataDir);
    auto db = retain::storage::openRetainDatabase((dataDir / "retain.db").string());
    retain::storage::EventStore store(std::move(db.value()));
    const std::string learner = retain::core::newLearnerId(), replica = "00000000000be0c4";
    (void)store.addLearner({learner, "bench", startMs});
    std::mt19937 rng(1);
    std::vector<retain::v1::Event> batch;
    uint64_t seq = 0;
    const int studied = items * 4 / 5;
    for (int i = 0; i < events; ++i) {
        retain::v1::Event e;
        e.set_id(replica + "-" + std::to_string(++seq));
        e.set_learner_id(learner);
        const int64_t t = startMs + static_cast<int64_t>(i) * (365 * kDayMs / events);
        e.set_hlc((static_cast<uint64_t>(t) << 16) | (seq & 0xffff));
        e.set_wall_time_ms(t);
        auto* a = e.mutable_answer();
        const int item = static_cast<int>(rng() % static_cast<unsigned>(studied));
        a->set_item_id("b-" + std::to_string(item));
        a->set_item_revision(1);
        const int r = static_cast<int>(rng() % 10);
        a->set_rating(r < 2   ? retain::v1::AGAIN
                      : r < 3 ? retain::v1::HARD
                      : r < 9 ? retain::v1::GOOD
                              : retain::v1::EASY);
        a->set_correct(r >= 2);
        a->set_response_ms(5000 + static_cast<uint32_t>(rng() % 20000));
        if (item % 3 == 2)
            a->add_chosen_options(r >= 2 ? 0 : 1);
        a->set_mode(retain::v1::DAILY_REVIEW);
        batch.push_back(std::move(e));
        if (batch.size() == 20000) {
            (void)store.append(batch);
            batch.clear();
        }
    }
    (void)store.append(batch);
    return learner;
}

long rssKb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

// The floor under any durable write on this disk: append 4 KiB and fdatasync, n times (microseconds).
std::vector<double> rawSyncLatencies(const fs::path& file, int n) {
    std::vector<double> us;
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return us;
    std::string block(4096, 'x');
    for (int i = 0; i < n; ++i) {
        const auto t0 = Clock::now();
        if (::write(fd, block.data(), block.size()) < 0 || ::fdatasync(fd) != 0)
            break;
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    ::close(fd);
    return us;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    std::string out;
    int items = 5000, events = 200000, answers = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--out")
            out = argv[i + 1];
        else if (a == "--items")
            items = std::stoi(argv[i + 1]);
        else if (a == "--events")
            events = std::stoi(argv[i + 1]);
        else if (a == "--answers")
            answers = std::stoi(argv[i + 1]);
    }
    const char* keep = std::getenv("RETAIN_BENCH_KEEP");  // keep the generated data in this directory
    const fs::path dir =
        keep ? fs::path(keep)
             : fs::temp_directory_path() / ("retain-bench-study-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const int64_t start = 1'750'000'000'000;
    writePack(dir / "content", items);
    const auto t0 = Clock::now();
    const std::string learner = writeHistory(dir / "data", items, events, start);
    std::printf("generated %d items and %d events in %.1f s\n", items, events,
                std::chrono::duration<double>(Clock::now() - t0).count());

    const std::string retaind =
        (fs::path(argv[0]).parent_path() / ".." / "daemon" / "app" / "retaind").string();
    const std::string sock = (dir / "d.sock").string();
    std::vector<std::string> args = {retaind,
                                     "--socket",
                                     sock,
                                     "--data-dir",
                                     (dir / "data").string(),
                                     "--content",
                                     (dir / "content").string(),
                                     "--clock=simulated",
                                     "--log-level",
                                     "info"};
    std::vector<char*> argvv;
    for (auto& a : args)
        argvv.push_back(a.data());
    argvv.push_back(nullptr);
    const auto launch = Clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, retaind.c_str(), nullptr, nullptr, argvv.data(), environ) != 0) {
        std::fprintf(stderr, "cannot start %s\n", retaind.c_str());
        return 1;
    }
    retain::rpc::Client client("unix:" + sock);
    if (!client.waitUntilServing(std::chrono::seconds(60))) {
        std::fprintf(stderr, "daemon did not start\n");
        kill(pid, SIGKILL);
        return 1;
    }
    const double startup = std::chrono::duration<double>(Clock::now() - launch).count();
    retain::v1::SetClockRequest clock;
    clock.set_now_ms(start + 366 * kDayMs);
    (void)client.setClock(clock);

    // A history this large is due a personal-parameter fit; run it first (it runs once, then again only
    // after the history grows by a quarter) so the latencies below are the steady state, and time it.
    retain::v1::OptimizeParametersRequest opt;
    opt.set_learner_id(learner);
    retain::rpc::ClientOptions slow;
    slow.deadline = std::chrono::minutes(5);
    retain::rpc::Client optimizer("unix:" + sock, slow);
    const auto fitStart = Clock::now();
    auto fit = optimizer.optimizeParameters(opt);
    const double fitSeconds = std::chrono::duration<double>(Clock::now() - fitStart).count();
    if (!fit)
        std::fprintf(stderr, "optimisation: %s\n", fit.error().format().c_str());
    const long rssAfterFit = rssKb(pid);

    std::vector<double> nextUs, answerUs;
    std::string session;
    int done = 0;
    while (done < answers) {
        if (session.empty()) {
            retain::v1::StartSessionRequest s;
            s.set_learner_id(learner);
            s.set_minutes(600);
            auto started = client.startSession(s);
            if (!started)
                break;
            session = started->id();
        }
        retain::v1::NextItemRequest n;
        n.set_learner_id(learner);
        n.set_session_id(session);
        auto a0 = Clock::now();
        auto next = client.nextItem(n);
        nextUs.push_back(std::chrono::duration<double, std::micro>(Clock::now() - a0).count());
        if (!next || next->finished()) {
            session.clear();
            continue;
        }
        retain::v1::AnswerRequest a;
        a.set_learner_id(learner);
        a.set_session_id(session);
        a.set_item_id(next->item().id());
        a.set_response_ms(8000);
        if (next->item().kind() == retain::v1::FLASHCARD)
            a.set_rating(retain::v1::GOOD);
        else
            a.add_chosen_options(next->item().option_index(0));
        a0 = Clock::now();
        auto r = client.answer(a);
        answerUs.push_back(std::chrono::duration<double, std::micro>(Clock::now() - a0).count());
        if (!r)
            std::fprintf(stderr, "answer failed: %s\n", r.error().format().c_str());
        ++done;
    }
    const long rss = rssKb(pid);
    const auto syncUs = rawSyncLatencies(dir / "sync-probe", 2000);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!keep)
        fs::remove_all(dir);

    const double nextP50 = percentile(nextUs, 0.5) / 1000, nextP99 = percentile(nextUs, 0.99) / 1000;
    const double ansP50 = percentile(answerUs, 0.5) / 1000, ansP99 = percentile(answerUs, 0.99) / 1000;
    std::printf("start-up to SERVING: %.2f s (target <= 1.5 s)\n", startup);
    std::printf("NextItem:  p50 %.2f ms  p99 %.2f ms  (target p99 <= 2 ms, %zu calls)\n", nextP50, nextP99,
                nextUs.size());
    std::printf("Answer:    p50 %.2f ms  p99 %.2f ms  (durable; target p99 <= 5 ms, %zu calls)\n", ansP50,
                ansP99, answerUs.size());
    const double syncP50 = percentile(syncUs, 0.5) / 1000, syncP99 = percentile(syncUs, 0.99) / 1000;
    std::printf(
        "raw 4 KiB write + fdatasync on this disk: p50 %.2f ms  p99 %.2f ms (the floor under a durable "
        "answer)\n",
        syncP50, syncP99);
    std::printf("resident memory: %.1f MB after the study loop, %.1f MB after the fit (target <= 150 MB)\n",
                rss / 1024.0, rssAfterFit / 1024.0);
    std::printf("personal-parameter fit of %d reviews: %.1f s (%s)\n", events, fitSeconds,
                fit ? (fit->adopted() ? "adopted" : "kept") : "failed");
    nlohmann::json j{{"items", items},
                     {"events", events},
                     {"startup_s", startup},
                     {"next_p50_ms", nextP50},
                     {"next_p99_ms", nextP99},
                     {"answer_p50_ms", ansP50},
                     {"answer_p99_ms", ansP99},
                     {"rss_mb", rss / 1024.0},
                     {"raw_fdatasync_p50_ms", syncP50},
                     {"raw_fdatasync_p99_ms", syncP99},
                     {"rss_after_fit_mb", rssAfterFit / 1024.0},
                     {"fit_seconds", fitSeconds},
                     {"answers", done}};
    if (!out.empty())
        std::ofstream(out) << j.dump(2) << '\n';
    return 0;
}
