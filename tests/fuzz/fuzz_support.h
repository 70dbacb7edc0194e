#pragma once
// Shared by the fuzz targets (libFuzzer) and their seed generator: the fixed clock and learner, a
// scratch directory per process, and invariant checks that abort, so that libFuzzer saves the input.

#include <google/protobuf/stubs/logging.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace retain::fuzz {

// The checkers' clock: fixed, so that an input found once behaves the same when replayed.
// 2026-06-27T20:26:40Z, 30 days after the events the seeds carry.
inline constexpr int64_t kNowMs = 1'780'000'000'000 + 30 * 86'400'000LL;
// The seeds' events happen at kEventMs.
inline constexpr int64_t kEventMs = 1'780'000'000'000;
// The learner whose events are checked and pushed (the sync server's one account).
inline const std::string kLearner(32, 'a');
// Every error message that may reach a client or a log stays below this size.
inline constexpr size_t kMaxMessageBytes = 600;

[[noreturn]] inline void fail(const char* condition, std::string_view detail) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n  %.*s\n", condition, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

#define RETAIN_FUZZ_CHECK(condition, detail)            \
    do {                                                \
        if (!(condition))                               \
            ::retain::fuzz::fail(#condition, (detail)); \
    } while (false)

// A directory of this process's own, created on first use and removed when the process exits normally:
// under $TMPDIR when set, else on tmpfs (/dev/shm) when there is one, so that writing an input and
// SQLite's fsyncs cost little, else under the system's temporary directory.
inline const std::string& scratchDir() {
    static const std::string dir = [] {
        namespace fs = std::filesystem;
        std::error_code ec;
        fs::path base = fs::temp_directory_path(ec);
        if (!std::getenv("TMPDIR") && fs::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0)
            base = "/dev/shm";
        std::string pattern = (base / "retain-fuzz.XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            fail("mkdtemp", pattern);
        static std::string removeAtExit;
        removeAtExit = pattern;
        std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove_all(removeAtExit, ignored);
        });
        return pattern;
    }();
    return dir;
}

inline void writeFile(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out)
        fail("cannot write", path);
}

// libprotobuf logs every string field with invalid UTF-8 it parses to stderr: thousands of lines a
// second under fuzzing, which slows the run and buries libFuzzer's own output.
inline void silenceProtobufLogs() {
    google::protobuf::SetLogHandler(nullptr);
}

inline std::string_view asText(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace retain::fuzz
