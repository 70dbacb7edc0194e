#pragma once
// retaind as a child process, for tests that kill it or need a separate process.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;

namespace retain::test {

inline std::string retaindPath() {
    return std::string(RETAIN_BINARY_DIR) + "/daemon/app/retaind";
}

class ChildDaemon {
public:
    // `wrapper` runs retaind through another program (e.g. {"/usr/bin/prlimit", "--nofile=256:256"}).
    ChildDaemon(std::vector<std::string> args, const std::string& logFile,
                std::vector<std::string> wrapper = {}) {
        args.insert(args.begin(), retaindPath());
        args.insert(args.begin(), wrapper.begin(), wrapper.end());
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 2, logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        m_ok = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ) == 0;
        posix_spawn_file_actions_destroy(&actions);
    }
    ~ChildDaemon() {
        if (m_pid > 0 && !m_reaped) {
            ::kill(m_pid, SIGKILL);
            wait();
        }
    }
    bool started() const { return m_ok; }
    pid_t pid() const { return m_pid; }
    void signal(int sig) { ::kill(m_pid, sig); }
    // Waits for exit; returns the exit status (or 128 + signal).
    int wait() {
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_reaped = true;
        if (WIFEXITED(status))
            return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
            return 128 + WTERMSIG(status);
        return -1;
    }

private:
    pid_t m_pid = -1;
    bool m_ok = false;
    bool m_reaped = false;
};

}  // namespace retain::test
