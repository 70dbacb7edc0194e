#include "app/tcp_gate.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <future>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace retain::app {

namespace asio = boost::asio;
using asio::ip::tcp;
using Local = asio::local::stream_protocol;

namespace {

// Accept errors after which the listener pauses and tries again (file descriptors or buffers ran out:
// they come back when connections close).
bool transient(const boost::system::error_code& ec) {
    return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec.value() == ENFILE ||
           ec == asio::error::no_memory || ec == asio::error::connection_aborted;
}

}  // namespace

class GateConnection;

struct TcpGate::Impl {
    TcpGateOptions options;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    asio::steady_timer retry{io};
    std::thread thread;
    int port = 0;
    bool stopping = false;  // io thread only
    std::unordered_map<std::string, size_t> perAddress;
    std::unordered_set<std::shared_ptr<GateConnection>> live;
    std::atomic<size_t> open{0};
    std::atomic<uint64_t> accepted{0}, refused{0}, timedOut{0};
    std::chrono::steady_clock::time_point lastRefusalLog{};

    void accept();
    void admit(tcp::socket socket);
    void release(const std::shared_ptr<GateConnection>& c, const std::string& address);
    void logRefusal(const std::string& why);
};

// One client connection spliced to the gRPC server's private socket. Lives on the gate's io thread.
class GateConnection : public std::enable_shared_from_this<GateConnection> {
public:
    GateConnection(TcpGate::Impl& gate, tcp::socket client, std::string address)
        : m_gate(gate),
          m_client(std::move(client)),
          m_backend(gate.io),
          m_firstByte(gate.io),
          m_address(std::move(address)) {}

    void start() {
        auto self = shared_from_this();
        m_firstByte.expires_after(m_gate.options.firstByteTimeout);
        m_firstByte.async_wait([self](const boost::system::error_code& ec) {
            if (ec || self->m_gotByte)
                return;
            ++self->m_gate.timedOut;
            self->close();
        });
        m_backend.async_connect(
            Local::endpoint(m_gate.options.backend), [self](const boost::system::error_code& ec) {
                if (ec) {
                    spdlog::warn("tcp gate: cannot reach the gRPC listener: {}", ec.message());
                    return self->close();
                }
                self->pumpUp();
                self->pumpDown();
            });
    }

    void close() {
        if (m_closed)
            return;
        m_closed = true;
        boost::system::error_code ignored;
        m_firstByte.cancel();
        m_client.close(ignored);
        m_backend.close(ignored);
        m_gate.release(shared_from_this(), m_address);
    }

private:
    // Client -> gRPC.
    void pumpUp() {
        auto self = shared_from_this();
        m_client.async_read_some(asio::buffer(m_up), [self](const boost::system::error_code& ec, size_t n) {
            if (ec)
                return self->close();
            if (!self->m_gotByte) {
                self->m_gotByte = true;
                self->m_firstByte.cancel();
            }
            asio::async_write(self->m_backend, asio::buffer(self->m_up.data(), n),
                              [self](const boost::system::error_code& wec, size_t) {
                                  if (wec)
                                      return self->close();
                                  self->pumpUp();
                              });
        });
    }
    // gRPC -> client.
    void pumpDown() {
        auto self = shared_from_this();
        m_backend.async_read_some(asio::buffer(m_down),
                                  [self](const boost::system::error_code& ec, size_t n) {
                                      if (ec)
                                          return self->close();
                                      asio::async_write(self->m_client, asio::buffer(self->m_down.data(), n),
                                                        [self](const boost::system::error_code& wec, size_t) {
                                                            if (wec)
                                                                return self->close();
                                                            self->pumpDown();
                                                        });
                                  });
    }

    TcpGate::Impl& m_gate;
    tcp::socket m_client;
    Local::socket m_backend;
    asio::steady_timer m_firstByte;
    std::string m_address;
    std::array<char, 16384> m_up{};
    std::array<char, 16384> m_down{};
    bool m_gotByte = false;
    bool m_closed = false;
};

void TcpGate::Impl::logRefusal(const std::string& why) {
    const auto now = std::chrono::steady_clock::now();
    if (now - lastRefusalLog < std::chrono::seconds(10))
        return;  // a flood must not flood the log too
    lastRefusalLog = now;
    spdlog::warn("tcp gate: refusing connections: {} (open={} refused so far={})", why, open.load(),
                 refused.load());
}

void TcpGate::Impl::accept() {
    acceptor.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
        if (stopping || ec == asio::error::operation_aborted)
            return;
        if (ec) {
            if (transient(ec))
                logRefusal("accept failed: " + ec.message());
            else
                spdlog::warn("tcp gate: accept failed: {}", ec.message());
            retry.expires_after(std::chrono::milliseconds(100));
            retry.async_wait([this](const boost::system::error_code& wec) {
                if (!wec && !stopping)
                    accept();
            });
            return;
        }
        admit(std::move(socket));
        accept();
    });
}

void TcpGate::Impl::admit(tcp::socket socket) {
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    const std::string address = ec ? std::string("?") : remote.address().to_string();
    if (open.load() >= options.maxConnections) {
        ++refused;
        logRefusal("at the limit of " + std::to_string(options.maxConnections) + " connections");
        socket.close(ec);
        return;
    }
    auto& mine = perAddress[address];
    if (mine >= options.maxPerAddress) {
        ++refused;
        logRefusal(address + " has " + std::to_string(mine) + " connections (the per-address limit)");
        socket.close(ec);
        return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    ++mine;
    ++open;
    ++accepted;
    auto c = std::make_shared<GateConnection>(*this, std::move(socket), address);
    live.insert(c);
    c->start();
}

void TcpGate::Impl::release(const std::shared_ptr<GateConnection>& c, const std::string& address) {
    if (live.erase(c) == 0)
        return;
    --open;
    auto it = perAddress.find(address);
    if (it != perAddress.end() && --it->second == 0)
        perAddress.erase(it);
}

core::Result<std::unique_ptr<TcpGate>> TcpGate::start(const TcpGateOptions& options) {
    auto impl = std::make_shared<Impl>();
    impl->options = options;
    const auto colon = options.listen.rfind(':');
    if (colon == std::string::npos)
        return core::invalidArgument("--listen must be HOST:PORT, got \"" + options.listen.substr(0, 80) +
                                     "\"");
    std::string host = options.listen.substr(0, colon);
    const std::string port = options.listen.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    tcp::resolver resolver(impl->io);
    auto results = resolver.resolve(host, port, tcp::resolver::passive, ec);
    if (ec || results.empty())
        return core::Error{core::ErrorCode::Unavailable,
                           "cannot listen on " + options.listen + ": " + (ec ? ec.message() : "no address")};
    const tcp::endpoint endpoint = results.begin()->endpoint();
    impl->acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
        impl->acceptor.bind(endpoint, ec);
    if (!ec)
        impl->acceptor.listen(1024, ec);
    if (ec)
        return core::Error{core::ErrorCode::Unavailable,
                           "cannot listen on " + options.listen + ": " + ec.message()};
    impl->port = impl->acceptor.local_endpoint(ec).port();
    impl->accept();
    impl->thread = std::thread([raw = impl.get()] { raw->io.run(); });
    return std::unique_ptr<TcpGate>(new TcpGate(std::move(impl)));
}

TcpGate::TcpGate(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}

TcpGate::~TcpGate() {
    stop();
}

int TcpGate::port() const {
    return m_impl->port;
}

TcpGateStats TcpGate::stats() const {
    return {m_impl->open.load(), m_impl->accepted.load(), m_impl->refused.load(), m_impl->timedOut.load()};
}

void TcpGate::stop() {
    auto& m = *m_impl;
    if (!m.thread.joinable())
        return;
    std::promise<void> closed;
    asio::post(m.io, [&m, &closed] {
        m.stopping = true;
        boost::system::error_code ignored;
        m.acceptor.close(ignored);
        m.retry.cancel();
        auto live = m.live;  // close() erases from m.live
        for (const auto& c : live)
            c->close();
        closed.set_value();
    });
    closed.get_future().wait();
    m.io.stop();
    m.thread.join();
}

}  // namespace retain::app
