#pragma once
// A running retaind: content, engine, the Boost.Asio io_context with the write strand, and the gRPC
// server. Used by main() and, in process, by the service tests.

#include <memory>
#include <string>

#include "app/config.h"
#include "core/result.h"

namespace retain::app {

class Daemon {
public:
    ~Daemon();
    // Loads content (refusing a pack with errors), opens the database, starts serving. Errors say what
    // was wrong (content file:line, foreign database, socket in use, ...).
    static core::Result<std::unique_ptr<Daemon>> start(const DaemonConfig& config);
    // Graceful stop: new calls refused, in-flight calls finish (up to 5 s), socket removed.
    void stop();
    // Blocks until SIGINT or SIGTERM, then stops.
    void waitForSignal();
    const DaemonConfig& config() const;
    // "unix:PATH" for clients.
    std::string socketAddress() const;
    // Port chosen for --listen HOST:0.
    int tcpPort() const;

private:
    Daemon();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace retain::app
