// Connection floods (issue: 1,100 idle TCP connections wedged a sync server for good, and 300 a daemon
// with a 256-descriptor limit): retaind keeps serving its unix socket while TCP is flooded, sheds idle
// connections after the handshake timeout, and serves TCP again without a restart.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/child_daemon.h"
#include "rpc/client.h"
#include "support/net.h"
#include "support/temp_dir.h"

namespace retain::test {
namespace {

using namespace std::chrono_literals;

// A TCP connection that sends nothing, ever.
int idleConnection(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool serves(rpc::Client& c, const std::string& learner) {
    v1::GetTodayRequest r;
    r.set_learner_id(learner);
    return static_cast<bool>(c.today(r));
}

TEST(Flood, idleConnectionsBeyondTheDescriptorLimitNeitherWedgeTheDaemonNorItsSocket) {
    TempDir dir;
    const int port = freePort();
    // 256 descriptors, as in the probe; retaind lowers its connection cap to fit them.
    ChildDaemon daemon({"--socket", dir.file("d.sock"), "--data-dir", dir.file("data"), "--content",
                        miniContentDir(), "--listen", "127.0.0.1:" + std::to_string(port),
                        "--max-connections", "1000", "--handshake-timeout", "2"},
                       dir.file("daemon.log"), {"/usr/bin/prlimit", "--nofile=256:256"});
    ASSERT_TRUE(daemon.started());
    rpc::Client owner("unix:" + dir.file("d.sock"));
    ASSERT_TRUE(owner.waitUntilServing(20s)) << readAll(dir.file("daemon.log"));
    const auto learner = owner.ensureLearner("ana")->id();
    v1::CreateAccessTokenRequest create;
    create.set_learner(learner);
    auto token = owner.createAccessToken(create);
    ASSERT_TRUE(token) << token.error().format();
    rpc::ClientOptions o;
    o.token = token->token();
    o.deadline = 3000ms;
    o.retries = 0;

    // 400 idle connections: more than the daemon has descriptors for.
    std::vector<int> flood;
    for (int i = 0; i < 400; ++i)
        if (const int fd = idleConnection(port); fd >= 0)
            flood.push_back(fd);
    EXPECT_GE(flood.size(), 300u) << "the kernel refused the flood itself";

    // The owner's socket is untouched by the flood.
    EXPECT_TRUE(serves(owner, learner));
    const auto log = readAll(dir.file("daemon.log"));
    EXPECT_NE(log.find("--max-connections 1000 lowered to 42"), std::string::npos) << log;
    EXPECT_NE(log.find("refusing connections"), std::string::npos) << log;

    // Idle connections are shed after the handshake timeout, with the flood still open on our side: a
    // real client gets through again, without a restart.
    bool recovered = false;
    for (int attempt = 0; attempt < 40 && !recovered; ++attempt) {
        rpc::Client tcp("127.0.0.1:" + std::to_string(port), o);
        recovered = serves(tcp, learner);
        if (!recovered)
            std::this_thread::sleep_for(250ms);
    }
    EXPECT_TRUE(recovered) << readAll(dir.file("daemon.log"));
    EXPECT_TRUE(serves(owner, learner));

    for (int fd : flood)
        ::close(fd);
    // And after the flood: many clients at once, all served.
    std::vector<std::unique_ptr<rpc::Client>> clients;
    int served = 0;
    for (int i = 0; i < 16; ++i) {
        clients.push_back(std::make_unique<rpc::Client>("127.0.0.1:" + std::to_string(port), o));
        served += serves(*clients.back(), learner) ? 1 : 0;
    }
    EXPECT_EQ(served, 16);
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(), 0);
}

}  // namespace
}  // namespace retain::test
