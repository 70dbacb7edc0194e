// retaind's readiness notification for the Type=notify user unit (packaging/systemd/retaind.service).
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "app/child_daemon.h"
#include "app/systemd_notify.h"
#include "rpc/client.h"
#include "support/temp_dir.h"

namespace retain::test {
namespace {

// A datagram socket standing in for systemd's notification socket; NOTIFY_SOCKET points at it while it
// lives.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& path) : m_fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
        m_bound = ::bind(m_fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
        ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    }
    ~NotifySocket() {
        ::unsetenv("NOTIFY_SOCKET");
        ::close(m_fd);
    }
    bool bound() const { return m_bound; }
    // The next datagram, or "" when none arrives within `timeoutMs` (a bound, not a speed assertion).
    std::string receive(int timeoutMs) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) != 1)
            return {};
        char buf[512];
        const auto n = ::recv(m_fd, buf, sizeof(buf), 0);
        return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
    }

private:
    int m_fd;
    bool m_bound = false;
};

TEST(SystemdNotify, sendsTheStateToNotifySocket) {
    TempDir dir;
    NotifySocket systemd(dir.file("notify"));
    ASSERT_TRUE(systemd.bound());
    std::string error;
    EXPECT_TRUE(app::notifySystemd("READY=1\nSTATUS=serving", &error)) << error;
    EXPECT_EQ(systemd.receive(5000), "READY=1\nSTATUS=serving");
}

TEST(SystemdNotify, doesNothingOutsideSystemd) {
    ::unsetenv("NOTIFY_SOCKET");
    std::string error;
    EXPECT_FALSE(app::notifySystemd("READY=1", &error));
    EXPECT_TRUE(error.empty()) << error;
}

TEST(SystemdNotify, namesTheSocketItCouldNotReach) {
    TempDir dir;
    ::setenv("NOTIFY_SOCKET", dir.file("nobody-listens").c_str(), 1);
    std::string error;
    EXPECT_FALSE(app::notifySystemd("READY=1", &error));
    ::unsetenv("NOTIFY_SOCKET");
    EXPECT_NE(error.find("nobody-listens"), std::string::npos) << error;
    ::setenv("NOTIFY_SOCKET", "relative/path", 1);
    EXPECT_FALSE(app::notifySystemd("READY=1", &error));
    ::unsetenv("NOTIFY_SOCKET");
    EXPECT_NE(error.find("relative/path"), std::string::npos) << error;
}

// The contract systemd relies on: when READY=1 arrives, clients can already connect.
TEST(SystemdNotify, retaindIsServingWhenItReportsReady) {
    TempDir dir;
    NotifySocket systemd(dir.file("notify"));
    ASSERT_TRUE(systemd.bound());
    const std::string sock = dir.file("d.sock");
    ChildDaemon daemon({"--socket", sock, "--data-dir", dir.file("data"), "--content", miniContentDir()},
                       dir.file("retaind.log"));
    ASSERT_TRUE(daemon.started());
    EXPECT_EQ(systemd.receive(30000), "READY=1");
    auto health = rpc::Client("unix:" + sock).health();
    ASSERT_TRUE(health) << health.error().message;
    EXPECT_TRUE(*health);
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(), 0);
}

}  // namespace
}  // namespace retain::test
