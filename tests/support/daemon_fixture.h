#pragma once
// A real daemon, in process, on a unix socket in a per-test directory, with a typed client.

#include <gtest/gtest.h>

#include <memory>

#include "app/daemon.h"
#include "rpc/client.h"
#include "support/temp_dir.h"

namespace retain::test {

class DaemonTest : public ::testing::Test {
protected:
    void SetUp() override { startDaemon(); }

    void startDaemon(const std::string& contentDir = miniContentDir(), bool simulatedClock = true) {
        app::DaemonConfig c;
        c.socketPath = m_dir.file("d.sock");
        c.dataDir = m_dir.file("data");
        c.contentDir = contentDir;
        c.simulatedClock = simulatedClock;
        c.simulatedStartMs = 1'780'000'000'000;  // 2026-05-28, a fixed "now" for deterministic days
        auto d = app::Daemon::start(c);
        ASSERT_TRUE(d) << d.error().message;
        m_daemon = std::move(d.value());
        m_client = std::make_unique<rpc::Client>(m_daemon->socketAddress());
    }

    void stopDaemon() {
        m_client.reset();
        m_daemon.reset();
    }

    // The default learner's id, created on first use.
    std::string learnerId() {
        auto l = m_client->ensureLearner("default");
        EXPECT_TRUE(l) << l.error().format();
        return l ? l->id() : std::string();
    }

    TempDir m_dir;
    std::unique_ptr<app::Daemon> m_daemon;
    std::unique_ptr<rpc::Client> m_client;
};

}  // namespace retain::test
