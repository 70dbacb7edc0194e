// retain_bench_study: the study loop at scale. Builds a 5,000-item pack and a learner with 200,000 past
// events, starts retaind as a child process on that data, and measures start-up time, NextItem and
// durable Answer latency over the unix socket, and the daemon's resident memory.
//
//   retain_bench_study --out FILE.json [--items N] [--events N] [--answers N]
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rpc/client.h"
#include "support/bench_support.h"

namespace fs = std::filesystem;
using retain::bench::Clock;
using retain::bench::kDayMs;
using retain::bench::percentile;

namespace {

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

}  // namespace

int main(int argc, char** argv) {
    std::string out;
    int items = 5000, events = 200000, answers = 2000;
    CLI::App cli{"retain_bench_study: the study loop against retaind with a large history"};
    cli.add_option("--out", out, "JSON results file");
    cli.add_option("--items", items, "items in the generated pack");
    cli.add_option("--events", events, "past answers of the learner");
    cli.add_option("--answers", answers, "NextItem + Answer rounds to measure");
    CLI11_PARSE(cli, argc, argv);
    const char* keep = std::getenv("RETAIN_BENCH_KEEP");  // keep the generated data in this directory
    const fs::path dir =
        keep ? fs::path(keep)
             : fs::temp_directory_path() / ("retain-bench-study-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const int64_t start = 1'750'000'000'000;
    retain::bench::writePack(dir / "content", items);
    const auto t0 = Clock::now();
    const std::string learner =
        retain::bench::writeHistory(dir / "data", retain::bench::packItems(items), events, start);
    std::printf("generated %d items and %d events in %.1f s\n", items, events,
                std::chrono::duration<double>(Clock::now() - t0).count());

    // Start-up, a new process each time (the first start also warms the page cache, as a desktop login
    // would not): the median of kStarts, then the last process stays up for the rest.
    constexpr int kStarts = 5;
    std::vector<double> startups;
    std::unique_ptr<retain::bench::ChildDaemon> child;
    for (int i = 0; i < kStarts; ++i) {
        child.reset();  // stops the previous one
        const auto launch = Clock::now();
        child = std::make_unique<retain::bench::ChildDaemon>(retain::bench::retaindBeside(argv[0]), dir,
                                                             dir / "data", dir / "content");
        if (!child->waitUntilServing(std::chrono::seconds(60))) {
            std::fprintf(stderr, "daemon did not start\n");
            return 1;
        }
        startups.push_back(std::chrono::duration<double>(Clock::now() - launch).count());
    }
    retain::bench::ChildDaemon& daemon = *child;
    const double startup = percentile(startups, 0.5);
    retain::rpc::Client client(daemon.address());
    retain::v1::SetClockRequest clock;
    clock.set_now_ms(start + 366 * kDayMs);
    (void)client.setClock(clock);

    // A history this large is due a personal-parameter fit; run it first (it runs once, then again only
    // after the history grows by a quarter) so the latencies below are the steady state, and time it.
    retain::v1::OptimizeParametersRequest opt;
    opt.set_learner_id(learner);
    retain::rpc::ClientOptions slow;
    slow.deadline = std::chrono::minutes(5);
    retain::rpc::Client optimizer(daemon.address(), slow);
    const auto fitStart = Clock::now();
    auto fit = optimizer.optimizeParameters(opt);
    const double fitSeconds = std::chrono::duration<double>(Clock::now() - fitStart).count();
    if (!fit)
        std::fprintf(stderr, "optimisation: %s\n", fit.error().format().c_str());
    const long rssAfterFit = daemon.rssKb();

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
    const long rss = daemon.rssKb();
    const auto syncUs = rawSyncLatencies(dir / "sync-probe", 2000);
    daemon.stop();
    if (!keep)
        fs::remove_all(dir);

    const double nextP50 = percentile(nextUs, 0.5) / 1000, nextP99 = percentile(nextUs, 0.99) / 1000;
    const double ansP50 = percentile(answerUs, 0.5) / 1000, ansP99 = percentile(answerUs, 0.99) / 1000;
    std::printf("start-up to SERVING: median %.2f s of %d starts (%.2f-%.2f s; target <= 1.5 s)\n", startup,
                kStarts, *std::min_element(startups.begin(), startups.end()),
                *std::max_element(startups.begin(), startups.end()));
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
                     {"startup_runs_s", startups},
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
