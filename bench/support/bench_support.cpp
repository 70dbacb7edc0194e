#include "support/bench_support.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <thread>

#include "core/ids.h"
#include "rpc/client.h"
#include "storage/event_store.h"
#include "storage/schema.h"

extern char** environ;
namespace fs = std::filesystem;

namespace retain::bench {

namespace {

constexpr int kStatementsPerDomain[] = {3, 3, 5, 4};
constexpr double kWeights[] = {20, 24, 36, 20};

std::vector<std::string> benchStatements() {
    std::vector<std::string> out;
    for (int d = 0; d < 4; ++d)
        for (int t = 0; t < kStatementsPerDomain[d]; ++t)
            out.push_back(std::to_string(d + 1) + "." + std::to_string(t + 1));
    return out;
}

}  // namespace

std::vector<v1::Item> packItems(int n) {
    const auto statements = benchStatements();
    std::vector<v1::Item> items;
    items.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        v1::Item it;
        it.set_id("b-" + std::to_string(i));
        it.set_revision(1);
        it.set_task_statement(statements[static_cast<size_t>(i) % statements.size()]);
        if (i % 3 == 2) {
            it.set_kind(v1::MULTIPLE_CHOICE);
            it.set_prompt("Generated question " + std::to_string(i));
            it.set_difficulty(3);
            for (int o = 0; o < 4; ++o) {
                auto* opt = it.add_options();
                opt->set_text("option " + std::to_string(o));
                opt->set_correct(o == 0);
                opt->set_explanation("x");
            }
        } else {
            it.set_kind(v1::FLASHCARD);
            it.set_prompt("Generated card " + std::to_string(i));
            it.set_answer("a");
            it.set_difficulty(2);
        }
        it.set_explanation("e");
        auto* ref = it.add_references();
        ref->set_title("bench");
        ref->set_citation("generated");
        items.push_back(std::move(it));
    }
    return items;
}

void writePack(const fs::path& dir, int n) {
    fs::create_directories(dir / "blueprints");
    fs::create_directories(dir / "items" / "bench");
    std::ofstream bp(dir / "blueprints" / "bench.textproto");
    bp << "code: \"BENCH-01\" name: \"Benchmark exam\" vendor: \"bench\"\n"
          "form { total_questions: 65 scored_questions: 50 unscored_questions: 15 duration_minutes: 180 "
          "scaled_score_min: 100 scaled_score_max: 1000 passing_scaled_score: 750 assumed_cut_fraction: 0.72 "
          "cut_assumption_note: \"bench\" }\n";
    for (int d = 0; d < 4; ++d) {
        bp << "domains { id: \"" << d + 1 << "\" name: \"Domain " << d + 1
           << "\" weight_percent: " << kWeights[d] << "\n";
        for (int t = 0; t < kStatementsPerDomain[d]; ++t)
            bp << "  task_statements { id: \"" << d + 1 << "." << t + 1 << "\" title: \"Statement\" }\n";
        bp << "}\n";
    }
    std::ofstream items(dir / "items" / "bench" / "items.textproto");
    items << "exam: \"BENCH-01\"\n";
    for (const v1::Item& it : packItems(n)) {
        items << "items { id: \"" << it.id() << "\" revision: 1 task_statement: \"" << it.task_statement()
              << "\" kind: " << v1::ItemKind_Name(it.kind()) << " prompt: \"" << it.prompt()
              << "\" explanation: \"e\" difficulty: " << it.difficulty()
              << " references { title: \"bench\" citation: \"generated\" }";
        if (it.kind() == v1::FLASHCARD)
            items << " answer: \"a\"";
        for (const auto& o : it.options())
            items << " options { text: \"" << o.text() << "\" correct: " << (o.correct() ? "true" : "false")
                  << " explanation: \"x\" }";
        items << " }\n";
    }
}

std::string writeHistory(const fs::path& dataDir, const std::vector<v1::Item>& items, int events,
                         int64_t startMs) {
    fs::create_directories(dataDir);
    auto db = storage::openRetainDatabase((dataDir / "retain.db").string());
    storage::EventStore store(std::move(db.value()));
    const std::string learner = core::newLearnerId(), replica = "00000000000be0c4";
    (void)store.addLearner({learner, "bench", startMs});
    std::mt19937 rng(1);
    std::vector<v1::Event> batch;
    uint64_t seq = 0;
    {  // the first event of every log names the learner
        v1::Event e;
        e.set_id(replica + "-" + std::to_string(++seq));
        e.set_learner_id(learner);
        e.set_hlc(static_cast<uint64_t>(startMs - 1) << 16);
        e.set_wall_time_ms(startMs - 1);
        e.mutable_learner_created()->set_name("bench");
        batch.push_back(std::move(e));
    }
    for (int i = 0; i < events; ++i) {
        v1::Event e;
        e.set_id(replica + "-" + std::to_string(++seq));
        e.set_learner_id(learner);
        const int64_t t = startMs + static_cast<int64_t>(i) * (365 * kDayMs / events);
        e.set_hlc((static_cast<uint64_t>(t) << 16) | (seq & 0xffff));
        e.set_wall_time_ms(t);
        auto* a = e.mutable_answer();
        const v1::Item& item = items[rng() % items.size()];
        a->set_item_id(item.id());
        a->set_item_revision(item.revision());
        const int r = static_cast<int>(rng() % 10);
        a->set_rating(r < 2 ? v1::AGAIN : r < 3 ? v1::HARD : r < 9 ? v1::GOOD : v1::EASY);
        a->set_correct(r >= 2);
        a->set_response_ms(5000 + static_cast<uint32_t>(rng() % 20000));
        if (item.kind() != v1::FLASHCARD) {
            // Right: exactly the correct options; wrong: the first incorrect one.
            for (int o = 0; o < item.options_size(); ++o)
                if (item.options(o).correct() == (r >= 2)) {
                    a->add_chosen_options(static_cast<uint32_t>(o));
                    if (r < 2)
                        break;
                }
        }
        a->set_mode(v1::DAILY_REVIEW);
        batch.push_back(std::move(e));
        if (batch.size() == 20000) {
            (void)store.append(batch);
            batch.clear();
        }
    }
    (void)store.append(batch);
    return learner;
}

ChildDaemon::ChildDaemon(const std::string& retaind, const fs::path& dir, const fs::path& dataDir,
                         const fs::path& content)
    : m_socket((dir / "d.sock").string()) {
    std::vector<std::string> args = {retaind,          "--socket",  m_socket,         "--data-dir",
                                     dataDir.string(), "--content", content.string(), "--clock=simulated",
                                     "--log-level",    "warn"};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&m_pid, retaind.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
        m_pid = 0;
}

ChildDaemon::~ChildDaemon() {
    stop();
}

void ChildDaemon::stop() {
    if (m_pid <= 0)
        return;
    kill(m_pid, SIGTERM);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = 0;
}

bool ChildDaemon::waitUntilServing(std::chrono::seconds timeout) {
    if (m_pid <= 0)
        return false;
    // A new channel for every probe, every 5 ms: one channel would wait out gRPC's reconnect backoff
    // (1 s, then 1.6x) after its first refused connection, and start-up would measure the backoff.
    const auto end = std::chrono::steady_clock::now() + timeout;
    rpc::ClientOptions probe;
    probe.deadline = std::chrono::milliseconds(250);
    probe.retries = 0;
    while (std::chrono::steady_clock::now() < end) {
        if (fs::exists(m_socket)) {
            rpc::Client client(address(), probe);
            auto h = client.health();
            if (h && *h)
                return true;
        }
        if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
            m_pid = 0;  // exited: nothing left to stop
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

long ChildDaemon::rssKb() const {
    std::ifstream in("/proc/" + std::to_string(m_pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

std::string retaindBeside(const char* argv0) {
    return (fs::path(argv0).parent_path() / ".." / "daemon" / "app" / "retaind").string();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

double millisecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace retain::bench
