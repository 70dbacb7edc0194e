// retain_bench_rpc: latency of a unary call over the unix socket and loopback TCP, and durable writes
// per second (each acknowledged only after its fsync'd commit). Prints a table and writes JSON.
//
//   retain_bench_rpc --content DIR --out FILE.json [--calls N] [--writes N]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/daemon.h"
#include "rpc/client.h"

using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
    double p50 = 0, p99 = 0, mean = 0;
};

Stats summarize(std::vector<double> us) {
    std::sort(us.begin(), us.end());
    Stats s;
    s.p50 = us[us.size() / 2];
    s.p99 = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    double sum = 0;
    for (double v : us)
        sum += v;
    s.mean = sum / static_cast<double>(us.size());
    return s;
}

Stats unaryLatency(retain::rpc::Client& client, const std::string& learner, int calls) {
    retain::v1::GetTodayRequest req;
    req.set_learner_id(learner);
    for (int i = 0; i < 50; ++i)
        (void)client.today(req);  // warm up
    std::vector<double> us;
    us.reserve(static_cast<size_t>(calls));
    for (int i = 0; i < calls; ++i) {
        const auto t0 = Clock::now();
        auto r = client.today(req);
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        if (!r)
            std::fprintf(stderr, "call failed: %s\n", r.error().format().c_str());
    }
    return summarize(us);
}

double writesPerSecond(const std::string& address, const std::string& learner, int writes, int clients) {
    std::vector<std::thread> threads;
    const auto t0 = Clock::now();
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            retain::rpc::Client client(address);
            retain::v1::UpdateSettingsRequest r;
            r.set_learner_id(learner);
            r.add_fields("display_name");
            for (int i = 0; i < writes / clients; ++i) {
                r.mutable_settings()->set_display_name("bench-" + std::to_string(c) + "-" +
                                                       std::to_string(i));
                if (!client.updateSettings(r))
                    std::fprintf(stderr, "write failed\n");
            }
        });
    }
    for (auto& t : threads)
        t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return (writes / clients) * clients / seconds;
}

}  // namespace

int main(int argc, char** argv) {
    std::string content, out;
    int calls = 3000, writes = 1000;
    CLI::App cli{"retain_bench_rpc: RPC latency and durable writes against an in-process daemon"};
    cli.add_option("--content", content, "content directory")->required();
    cli.add_option("--out", out, "JSON results file");
    cli.add_option("--calls", calls, "GetToday calls per transport");
    cli.add_option("--writes", writes, "durable writes");
    CLI11_PARSE(cli, argc, argv);
    const auto dir =
        std::filesystem::temp_directory_path() / ("retain-bench-rpc-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    retain::app::DaemonConfig c;
    c.socketPath = (dir / "d.sock").string();
    c.dataDir = (dir / "data").string();
    c.contentDir = content;
    c.listen = "127.0.0.1:0";
    auto daemon = retain::app::Daemon::start(c);
    if (!daemon) {
        std::fprintf(stderr, "cannot start daemon: %s\n", daemon.error().message.c_str());
        return 1;
    }
    retain::rpc::Client unixClient((*daemon)->socketAddress());
    const auto learner = unixClient.ensureLearner("bench")->id();
    // TCP callers authenticate (docs/security.md): a learner token, as a remote client would use, so the
    // TCP figure includes the gate's splice and the token check.
    retain::v1::CreateAccessTokenRequest tokenRequest;
    tokenRequest.set_learner(learner);
    auto token = unixClient.createAccessToken(tokenRequest);
    if (!token) {
        std::fprintf(stderr, "cannot create an access token: %s\n", token.error().format().c_str());
        return 1;
    }
    retain::rpc::ClientOptions tcpOptions;
    tcpOptions.token = token->token();
    const std::string tcp = "127.0.0.1:" + std::to_string((*daemon)->tcpPort());
    retain::rpc::Client tcpClient(tcp, tcpOptions);

    const Stats unixStats = unaryLatency(unixClient, learner, calls);
    const Stats tcpStats = unaryLatency(tcpClient, learner, calls);
    // GetReadiness: the full estimate (256 correlated draws, exact raw-score distribution,
    // 15 what-if recomputations for the recommendations) on the real pack.
    // A later date is the forecast "if you keep to your plan", with today's estimate beside it: two
    // estimates per call.
    std::string replyDate;  // the date the last reply was for: today's after the first run
    const auto timeReadiness = [&](const std::string& date) {
        retain::v1::GetReadinessRequest rr;
        rr.set_learner_id(learner);
        rr.set_date(date);
        std::vector<double> us;
        for (int i = 0; i < 200; ++i) {
            const auto t0 = Clock::now();
            auto r = unixClient.readiness(rr);
            us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
            if (!r)
                std::fprintf(stderr, "readiness failed: %s\n", r.error().format().c_str());
            else
                replyDate = r->date();
        }
        return us;
    };
    const auto readinessUs = timeReadiness("");
    const auto forecastUs = timeReadiness(std::to_string(std::stoi(replyDate.substr(0, 4)) + 1) +
                                          replyDate.substr(4));  // a year ahead
    const Stats readinessStats = summarize(readinessUs), forecastStats = summarize(forecastUs);
    const double w1 = writesPerSecond((*daemon)->socketAddress(), learner, writes, 1);
    const double w4 = writesPerSecond((*daemon)->socketAddress(), learner, writes, 4);

    std::printf("unary GetToday over unix socket:  p50 %.0f us  p99 %.0f us  (%d calls)\n", unixStats.p50,
                unixStats.p99, calls);
    std::printf("unary GetToday over loopback TCP: p50 %.0f us  p99 %.0f us  (%d calls)\n", tcpStats.p50,
                tcpStats.p99, calls);
    std::printf("GetReadiness (MLS-C01 pack):      p50 %.1f ms  p99 %.1f ms  (200 calls; target <= 20 ms)\n",
                readinessStats.p50 / 1000, readinessStats.p99 / 1000);
    std::printf(
        "GetReadiness, a later date:       p50 %.1f ms  p99 %.1f ms  (200 calls; the plan forecast and "
        "today)\n",
        forecastStats.p50 / 1000, forecastStats.p99 / 1000);
    std::printf(
        "durable writes (UpdateSettings, synchronous=FULL): %.0f/s with 1 client, %.0f/s with 4 clients\n",
        w1, w4);
    nlohmann::json j{{"unix_p50_us", unixStats.p50},
                     {"unix_p99_us", unixStats.p99},
                     {"tcp_p50_us", tcpStats.p50},
                     {"tcp_p99_us", tcpStats.p99},
                     {"readiness_p50_ms", readinessStats.p50 / 1000},
                     {"readiness_p99_ms", readinessStats.p99 / 1000},
                     {"readiness_forecast_p50_ms", forecastStats.p50 / 1000},
                     {"readiness_forecast_p99_ms", forecastStats.p99 / 1000},
                     {"calls", calls},
                     {"durable_writes_per_s_1_client", w1},
                     {"durable_writes_per_s_4_clients", w4},
                     {"writes", writes}};
    if (!out.empty())
        std::ofstream(out) << j.dump(2) << '\n';
    (*daemon)->stop();
    std::filesystem::remove_all(dir);
    return 0;
}
