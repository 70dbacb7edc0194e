#pragma once
// The daemon's TCP front door (docs/security.md): accepts connections on --listen and splices each to
// the TCP gRPC server, which listens only on a private unix socket. It exists because gRPC (1.51) has
// no connection limit and stops accepting for good after one EMFILE; the gate
//  - caps concurrent connections, in all and per client address (over the cap: accepted and closed at
//    once, so the kernel backlog keeps draining and no file descriptor is held);
//  - closes a connection that sends nothing within the first-byte timeout (an idle flood), while gRPC's
//    own handshake timeout bounds the TLS handshake behind it;
//  - keeps accepting after a transient accept error (EMFILE, ENFILE, ENOBUFS), after a short pause.
// The owner's unix socket is a separate gRPC listener and never goes through the gate.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/result.h"

namespace retain::app {

struct TcpGateOptions {
    std::string listen;   // HOST:PORT (port 0: any free port)
    std::string backend;  // path of the unix socket the TCP gRPC server listens on
    size_t maxConnections = 512;
    size_t maxPerAddress = 64;
    std::chrono::milliseconds firstByteTimeout{10000};
};

struct TcpGateStats {
    size_t open = 0;        // connections being served now
    uint64_t accepted = 0;  // served since start
    uint64_t refused = 0;   // closed at once: over a cap
    uint64_t timedOut = 0;  // closed: nothing sent within the first-byte timeout
};

class TcpGate {
public:
    static core::Result<std::unique_ptr<TcpGate>> start(const TcpGateOptions& options);
    ~TcpGate();
    TcpGate(const TcpGate&) = delete;
    TcpGate& operator=(const TcpGate&) = delete;

    int port() const;
    TcpGateStats stats() const;
    // Stops accepting and closes every connection; idempotent.
    void stop();

    struct Impl;

private:
    explicit TcpGate(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;
};

}  // namespace retain::app
