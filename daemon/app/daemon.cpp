#include "app/daemon.h"

#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <boost/asio.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "app/sync_manager.h"
#include "app/tcp_gate.h"
#include "core/clock.h"
#include "core/content_loader.h"
#include "core/fsrs_personalization.h"
#include "core/os_safety.h"
#include "engine/engine.h"
#include "service/services.h"
#include "storage/sync_store.h"

#ifndef RETAIN_VERSION
#define RETAIN_VERSION "0.0.0"
#endif

namespace retain::app {
namespace fs = std::filesystem;
namespace asio = boost::asio;
using core::Error;
using core::ErrorCode;

struct Daemon::Impl {
    DaemonConfig config;
    std::unique_ptr<core::Clock> clock;
    core::SimulatedClock* simulated = nullptr;
    std::unique_ptr<engine::Engine> engine;
    asio::io_context io;
    asio::strand<asio::io_context::executor_type> strand{asio::make_strand(io)};
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::thread ioThread;
    // Long computations (parameter fits) run here, never on the strand or a gRPC thread.
    asio::thread_pool background{1};
    asio::steady_timer checkpointTimer{strand};
    void scheduleCheckpoint();
    void optimize(const std::string& learnerId,
                  std::function<void(core::Result<v1::OptimizationReport>)> done);
    // Sync: the server's store and workers (--sync-server), or this replica's sync manager.
    std::unique_ptr<storage::SyncStore> syncStore;
    std::optional<asio::thread_pool> syncPool;
    std::unique_ptr<SyncManager> syncManager;
    // Two listeners, two gRPC servers: the owner's unix socket (every service), and TCP, which the gate
    // feeds through a private unix socket (access-controlled services only; docs/security.md).
    service::AccessControl access;
    std::vector<std::unique_ptr<grpc::Service>> services;
    std::unique_ptr<grpc::Server> server;
    std::vector<std::unique_ptr<grpc::Service>> tcpServices;
    std::unique_ptr<grpc::Server> tcpServer;
    std::unique_ptr<TcpGate> gate;
    std::string tcpBackendDir;  // private directory of the TCP server's socket
    int tcpPort = 0;
    void setServing(bool serving) {
        for (auto* s : {server.get(), tcpServer.get()})
            if (s)
                s->GetHealthCheckService()->SetServingStatus(serving);
    }
    bool stopped = false;
};

void Daemon::Impl::optimize(const std::string& learnerId,
                            std::function<void(core::Result<v1::OptimizationReport>)> done) {
    asio::post(strand, [this, learnerId, done = std::move(done)]() mutable {
        auto job = engine->prepareOptimization(learnerId);
        if (!job) {
            if (done)
                done(job.error());
            return;
        }
        asio::post(background, [this, job = std::move(job.value()), done = std::move(done)]() mutable {
            auto result = core::personalizeFsrs(job.reviews, job.boundary, job.current);
            job.reviews = {};
            ::malloc_trim(0);  // a fit over a long history allocates a lot, briefly: give it back
            asio::post(
                strand, [this, id = job.learnerId, result = std::move(result), done = std::move(done)] {
                    auto report = engine->finishOptimization(id, result);
                    if (report && report->adopted())
                        spdlog::info(
                            "personal FSRS parameters adopted learner={} reviews={} "
                            "held_out_log_loss={:.4f}->{:.4f}",
                            id, report->reviews(), report->current_log_loss(), report->candidate_log_loss());
                    else if (report)
                        spdlog::info("personal FSRS parameters kept learner={} reason=\"{}\"", id,
                                     report->reason());
                    if (done)
                        done(std::move(report));
                });
        });
    });
}

void Daemon::Impl::scheduleCheckpoint() {
    checkpointTimer.expires_after(std::chrono::seconds(config.checkpointSeconds));
    checkpointTimer.async_wait([this](const boost::system::error_code& ec) {
        if (ec)
            return;  // cancelled: shutting down
        if (auto s = engine->checkpoint(); !s)
            spdlog::warn("WAL checkpoint failed: {}", s.error().message);
        scheduleCheckpoint();
    });
}

namespace {

// Reflection is for the owner's tools (grpcurl over the unix socket). Linking libgrpc++_reflection adds
// its plugin to every server builder; this option takes it off the TCP server's.
class WithoutReflection final : public grpc::ServerBuilderOption {
public:
    void UpdateArguments(grpc::ChannelArguments*) override {}
    void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
        std::erase_if(*plugins, [](const auto& p) { return p->name() == "proto_server_reflection"; });
    }
};

// Raises the soft limit on open files to the hard limit (a connection flood must not starve the daemon of
// descriptors); returns the soft limit now in force.
rlim_t raiseFileLimit() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0)
        return 1024;
    if (lim.rlim_cur < lim.rlim_max) {
        rlimit want = lim;
        want.rlim_cur = lim.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &want) == 0)
            lim = want;
    }
    return lim.rlim_cur;
}

// True when something accepts connections on the unix socket.
bool socketAnswers(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

Daemon::Daemon() : m_impl(std::make_unique<Impl>()) {}

Daemon::~Daemon() {
    stop();
}

const DaemonConfig& Daemon::config() const {
    return m_impl->config;
}
std::string Daemon::socketAddress() const {
    return "unix:" + m_impl->config.socketPath;
}
int Daemon::tcpPort() const {
    return m_impl->tcpPort;
}

core::Result<std::unique_ptr<Daemon>> Daemon::start(const DaemonConfig& config) {
    if (auto problem = checkConfig(config))
        return core::invalidArgument(*problem);
    std::unique_ptr<Daemon> d(new Daemon());
    auto& m = *d->m_impl;
    m.config = config;

    // Content: all or nothing.
    const auto t0 = std::chrono::steady_clock::now();
    auto ms = [&t0] {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    };
    auto loaded = core::loadContent(config.contentDir);
    if (!loaded.pack) {
        std::ostringstream msg;
        msg << "content in " << config.contentDir << " has " << loaded.errors.size()
            << " error(s); not starting:";
        for (size_t i = 0; i < loaded.errors.size() && i < 20; ++i)
            msg << "\n  " << loaded.errors[i].format();
        if (loaded.errors.size() > 20)
            msg << "\n  ...";
        return core::invalidArgument(msg.str());
    }
    spdlog::info("content loaded dir={} files={} items={} ms={:.0f}", config.contentDir, loaded.files,
                 loaded.pack->itemCount(), ms());

    if (config.simulatedClock) {
        auto sim = std::make_unique<core::SimulatedClock>(
            config.simulatedStartMs ? config.simulatedStartMs : core::SystemClock().nowMs());
        m.simulated = sim.get();
        m.clock = std::move(sim);
        spdlog::warn("clock=simulated: AdminService.SetClock controls the daemon's time");
    } else {
        m.clock = std::make_unique<core::SystemClock>();
    }

    engine::EngineConfig ec{config.dataDir, config.contentDir, config.syncServer ? "sync-server" : "local",
                            RETAIN_VERSION};
    auto eng = engine::Engine::open(ec, std::move(*loaded.pack), *m.clock);
    if (!eng)
        return eng.error();
    m.engine = std::move(eng.value());
    spdlog::info("database opened and event logs folded ms={:.0f}", ms());

    // The socket: a private directory (created 0700, or an existing one that only this user can write:
    // never chmod-ed), a stale socket replaced, a live one refused.
    if (!config.socketPath.empty()) {
        const fs::path sock(config.socketPath);
        std::error_code err;
        if (auto problem = core::preparePrivateDirectory(sock.parent_path().string()))
            return Error{ErrorCode::FailedPrecondition, "unsafe socket directory: " + *problem};
        if (fs::exists(sock, err)) {
            if (socketAnswers(config.socketPath))
                return Error{ErrorCode::FailedPrecondition,
                             "another retaind is already listening on " + config.socketPath};
            fs::remove(sock, err);
        }
    }

    m.work.emplace(asio::make_work_guard(m.io));
    m.ioThread = std::thread([&io = m.io] { io.run(); });

    service::ServiceContext ctx;
    ctx.engine = m.engine.get();
    ctx.simulatedClock = m.simulated;
    ctx.post = [strand = m.strand](std::function<void()> task) { asio::post(strand, std::move(task)); };
    ctx.optimize = [impl = &m](const std::string& id,
                               std::function<void(core::Result<v1::OptimizationReport>)> done) {
        impl->optimize(id, std::move(done));
    };
    // Automatic fits once a learner's history has grown enough (called on the strand).
    m.engine->setOptimizationTrigger([impl = &m](const std::string& id) { impl->optimize(id, nullptr); });
    if (config.syncServer) {
        auto store = storage::openSqliteSyncStore((fs::path(config.dataDir) / "retain.db").string());
        if (!store) {
            m.work.reset();
            m.io.stop();
            m.ioThread.join();
            return store.error();
        }
        m.syncStore = std::move(store.value());
        m.syncPool.emplace(4);
        ctx.syncStore = m.syncStore.get();
        ctx.postSync = [pool = &*m.syncPool](std::function<void()> task) {
            asio::post(*pool, std::move(task));
        };
    } else {
        m.syncManager = std::make_unique<SyncManager>(*m.engine, m.strand, RETAIN_VERSION);
        ctx.syncController = m.syncManager.get();
        ctx.sessionEnded = [manager = m.syncManager.get()](const std::string& id) {
            manager->sessionEnded(id);
        };
    }
    auto grants = m.engine->accessGrants();
    if (!grants)
        return grants.error();
    std::vector<service::AccessControl::Entry> entries;
    for (const auto& g : *grants)
        entries.push_back(service::accessEntry(g));
    m.access.replaceAll(std::move(entries));
    ctx.access = &m.access;

    auto failStart = [&m](core::Error e) -> core::Error {
        if (m.gate)
            m.gate->stop();
        for (auto* s : {m.server.get(), m.tcpServer.get()})
            if (s) {
                s->Shutdown();
                s->Wait();
            }
        if (m.syncPool)
            m.syncPool->join();
        m.work.reset();
        m.io.stop();
        m.ioThread.join();
        if (!m.tcpBackendDir.empty()) {
            std::error_code rmErr;
            fs::remove_all(m.tcpBackendDir, rmErr);
        }
        return e;
    };

    grpc::EnableDefaultHealthCheckService(true);
    if (!config.socketPath.empty()) {
        ctx.transport = service::Transport::OwnerSocket;
        m.services = service::makeServices(ctx);
        grpc::ServerBuilder builder;
        builder.SetMaxReceiveMessageSize(16 * 1024 * 1024);
        grpc::reflection::InitProtoReflectionServerBuilderPlugin();  // idempotent; as grpcurl expects
        const mode_t old = ::umask(0077);                            // the socket file is created owner-only
        builder.AddListeningPort("unix:" + config.socketPath, grpc::InsecureServerCredentials());
        ::umask(old);
        for (auto& s : m.services)
            builder.RegisterService(s.get());
        m.server = builder.BuildAndStart();
        if (!m.server)
            return failStart(Error{ErrorCode::Unavailable, "cannot listen on " + config.socketPath +
                                                               " (address in use or not permitted)"});
    }
    if (!config.listen.empty()) {
        std::shared_ptr<grpc::ServerCredentials> creds;
        if (!config.tlsCert.empty()) {
            auto cert = readTextFile(config.tlsCert);
            auto key = readTextFile(config.tlsKey);
            if (!cert || !key)
                return failStart(core::invalidArgument("cannot read --tls-cert " + config.tlsCert +
                                                       " or --tls-key " + config.tlsKey));
            grpc::SslServerCredentialsOptions ssl;
            ssl.pem_key_cert_pairs.push_back({*key, *cert});
            if (!config.tlsClientCa.empty()) {
                auto ca = readTextFile(config.tlsClientCa);
                if (!ca)
                    return failStart(
                        core::invalidArgument("cannot read --tls-client-ca " + config.tlsClientCa));
                ssl.pem_root_certs = *ca;
                ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
            }
            creds = grpc::SslServerCredentials(ssl);
        } else {
            if (!isLoopbackHost(config.listen))
                spdlog::warn(
                    "INSECURE: plaintext gRPC on non-loopback address {} (--insecure-plaintext-remote)",
                    config.listen);
            creds = grpc::InsecureServerCredentials();
        }
        // Each connection costs three descriptors (both ends in the gate, one in gRPC): keep well inside
        // the limit so that the owner's socket and the database always have some.
        const rlim_t files = raiseFileLimit();
        size_t maxConnections = static_cast<size_t>(config.maxConnections);
        const size_t affordable = files >= 160 ? static_cast<size_t>((files - 128) / 3) : 10;
        if (maxConnections > affordable) {
            spdlog::warn("--max-connections {} lowered to {}: the open-file limit is {}", maxConnections,
                         affordable, static_cast<unsigned long long>(files));
            maxConnections = affordable;
        }
        std::error_code tmpErr;
        std::string dirTemplate = (fs::temp_directory_path(tmpErr) / "retaind-tcp-XXXXXX").string();
        if (::mkdtemp(dirTemplate.data()) == nullptr)
            return failStart(
                Error{ErrorCode::Unavailable, "cannot create a private directory for the TCP listener: " +
                                                  std::string(std::strerror(errno))});
        m.tcpBackendDir = dirTemplate;
        const std::string backend = m.tcpBackendDir + "/grpc.sock";

        ctx.transport = service::Transport::Tcp;
        m.tcpServices = service::makeServices(ctx);
        grpc::ServerBuilder builder;
        builder.SetMaxReceiveMessageSize(16 * 1024 * 1024);
        builder.SetOption(std::make_unique<WithoutReflection>());
        builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                                   config.handshakeTimeoutSeconds * 1000);
        builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 64);
        builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 10 * 60 * 1000);
        builder.AddListeningPort("unix:" + backend, creds);
        for (auto& s : m.tcpServices)
            builder.RegisterService(s.get());
        m.tcpServer = builder.BuildAndStart();
        if (!m.tcpServer)
            return failStart(Error{ErrorCode::Unavailable, "cannot start the TCP gRPC server"});
        TcpGateOptions gate;
        gate.listen = config.listen;
        gate.backend = backend;
        gate.maxConnections = maxConnections;
        gate.maxPerAddress = std::max<size_t>(1, maxConnections / 2);  // one address never takes all
        gate.firstByteTimeout = std::chrono::seconds(config.handshakeTimeoutSeconds);
        auto started = TcpGate::start(gate);
        if (!started)
            return failStart(started.error());
        m.gate = std::move(started.value());
        m.tcpPort = m.gate->port();
    }
    if (!config.socketPath.empty())
        ::chmod(config.socketPath.c_str(), 0600);
    asio::post(m.strand, [impl = &m] { impl->scheduleCheckpoint(); });
    if (m.syncManager)
        m.syncManager->start();
    m.setServing(true);
    spdlog::info("retaind {} serving socket={} listen={} port={} data_dir={} replica={}{}", RETAIN_VERSION,
                 config.socketPath, config.listen, m.tcpPort, config.dataDir, m.engine->replicaId(),
                 config.syncServer ? " mode=sync-server" : "");
    return d;
}

void Daemon::stop() {
    auto& m = *m_impl;
    if (m.stopped || (!m.server && !m.tcpServer))
        return;
    m.stopped = true;
    spdlog::info("shutting down: finishing in-flight calls");
    m.setServing(false);
    // A running sync is cancelled (it resumes from its saved cursors at the next start).
    if (m.syncManager)
        m.syncManager->stop();
    // In-flight calls finish on the strand, which keeps running until the server has shut down.
    if (m.gate)
        m.gate->stop();  // no new TCP connections; open ones closed (their calls are cancelled)
    const auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(5);
    for (auto* s : {m.tcpServer.get(), m.server.get()})
        if (s) {
            s->Shutdown(deadline);
            s->Wait();
        }
    if (m.syncPool)
        m.syncPool->join();
    m.background.join();  // a running fit finishes (and posts its result to the still-running strand)
    asio::post(m.strand, [impl = &m] { impl->checkpointTimer.cancel(); });
    m.work.reset();
    m.io.stop();
    if (m.ioThread.joinable())
        m.ioThread.join();
    std::error_code ec;
    if (!m.config.socketPath.empty())
        fs::remove(m.config.socketPath, ec);
    if (!m.tcpBackendDir.empty())
        fs::remove_all(m.tcpBackendDir, ec);
    spdlog::info("stopped");
}

void Daemon::waitForSignal() {
    asio::io_context signals;
    asio::signal_set set(signals, SIGINT, SIGTERM);
    set.async_wait(
        [](const boost::system::error_code&, int sig) { spdlog::info("signal {} received", sig); });
    signals.run();
    stop();
}

}  // namespace retain::app
