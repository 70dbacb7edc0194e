#pragma once
// What the benchmarks share: a synthetic pack, a learner's past answers written straight into a data
// directory, retaind as a child process, and percentiles.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "retain/v1/content.pb.h"

namespace retain::bench {

constexpr int64_t kDayMs = 86'400'000;
using Clock = std::chrono::steady_clock;

// A blueprint with the MLS-C01 shape (4 domains, 15 task statements) and `n` generated items
// (every third a 1-of-4 question, the others flashcards) under `dir`.
void writePack(const std::filesystem::path& dir, int n);

// A learner with `events` answers spread evenly over the year after `startMs`, on items drawn
// uniformly from `items` (ratings mostly GOOD, a fifth AGAIN; questions answered with a correct option
// when the rating is not AGAIN). Writes `dataDir/retain.db`; returns the learner id.
std::string writeHistory(const std::filesystem::path& dataDir, const std::vector<v1::Item>& items, int events,
                         int64_t startMs);

// The items of writePack(dir, n), without reading the files back.
std::vector<v1::Item> packItems(int n);

// retaind started as a child on a unix socket with a simulated clock; stopped (SIGTERM) on destruction.
class ChildDaemon {
public:
    // `retaind` is the program; `dir` holds the socket.
    ChildDaemon(const std::string& retaind, const std::filesystem::path& dir,
                const std::filesystem::path& dataDir, const std::filesystem::path& content);
    ~ChildDaemon();
    ChildDaemon(const ChildDaemon&) = delete;
    ChildDaemon& operator=(const ChildDaemon&) = delete;

    // SIGTERM and wait; idempotent.
    void stop();
    // Waits until it serves; false after `timeout` (or when it could not be started).
    bool waitUntilServing(std::chrono::seconds timeout);
    std::string address() const { return "unix:" + m_socket; }
    pid_t pid() const { return m_pid; }
    // Resident memory in KiB (from /proc), -1 when unknown.
    long rssKb() const;

private:
    std::string m_socket;
    pid_t m_pid = 0;
};

// retaind beside a benchmark binary in the build tree (bench/../daemon/app/retaind).
std::string retaindBeside(const char* argv0);

// The p-quantile (0..1) of `v`, nearest rank; 0 for an empty vector.
double percentile(std::vector<double> v, double p);

double millisecondsSince(Clock::time_point start);

}  // namespace retain::bench
