#include "app/sync_manager.h"

#include <spdlog/spdlog.h>

#include <grpcpp/grpcpp.h>
#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

#include "app/config.h"
#include "core/event_check.h"
#include "engine/engine.h"
#include "retain/v1/sync.grpc.pb.h"
#include "storage/sync_state.h"

namespace retain::app {

namespace asio = boost::asio;
namespace v1 = ::retain::v1;
using core::Error;
using core::ErrorCode;
using core::Result;

namespace {

int64_t wallMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Events read from the local log per Push stream (the cursor is saved after each stream).
constexpr int64_t kPushStreamEvents = 10 * core::kMaxSyncBatchEvents;
constexpr auto kHelloDeadline = std::chrono::seconds(15);
constexpr auto kStreamDeadline = std::chrono::minutes(10);

Error fromStatus(const grpc::Status& st, const std::string& server) {
    switch (st.error_code()) {
        case grpc::StatusCode::UNAVAILABLE:
        case grpc::StatusCode::DEADLINE_EXCEEDED:
            return {ErrorCode::Unavailable,
                    "cannot reach the sync server " + server + ": " + st.error_message()};
        case grpc::StatusCode::UNAUTHENTICATED:
            return {ErrorCode::Unauthenticated, "the sync server refused the token: " + st.error_message()};
        case grpc::StatusCode::PERMISSION_DENIED:
            return {ErrorCode::PermissionDenied, "the sync server refused: " + st.error_message()};
        case grpc::StatusCode::FAILED_PRECONDITION:
            return {ErrorCode::FailedPrecondition, "the sync server refused: " + st.error_message()};
        case grpc::StatusCode::INVALID_ARGUMENT:
            return {ErrorCode::InvalidArgument, "the sync server rejected events: " + st.error_message()};
        case grpc::StatusCode::CANCELLED:
            return {ErrorCode::Unavailable, "sync interrupted: " + st.error_message()};
        default:
            return {ErrorCode::Internal,
                    "sync failed (" + std::to_string(st.error_code()) + "): " + st.error_message()};
    }
}

std::optional<std::string> readFile(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Counts {
    uint32_t pushed = 0;
    uint32_t pulled = 0;
};

}  // namespace

struct SyncManager::Impl {
    engine::Engine& engine;
    EngineStrand strand;
    std::string version;
    asio::steady_timer timer;
    asio::thread_pool worker{1};
    std::atomic<bool> stopping{false};
    std::mutex callMutex;
    grpc::ClientContext* currentCall = nullptr;  // for stop(): cancels the call in flight
    std::mt19937_64 jitter{std::random_device{}()};

    // Per configured learner, on the strand only.
    struct Runtime {
        bool inProgress = false;
        int64_t nextAttemptMs = 0;
        uint32_t lastPushed = 0;
        uint32_t lastPulled = 0;
        std::vector<Done> waiters;
    };
    std::map<std::string, Runtime> runtime;

    Impl(engine::Engine& e, EngineStrand s, std::string v)
        : engine(e), strand(std::move(s)), version(std::move(v)), timer(strand) {}

    // ---- on the worker: helpers ----

    // Runs fn on the strand and waits for its result (only ever called from the worker).
    template <typename Fn>
    auto onStrand(Fn fn) -> decltype(fn()) {
        std::packaged_task<decltype(fn())()> task(std::move(fn));
        auto future = task.get_future();
        asio::post(strand, [&task] { task(); });
        return future.get();
    }

    // A call context with the token and a deadline, registered so that stop() can cancel it.
    struct Call {
        Impl& impl;
        grpc::ClientContext ctx;
        Call(Impl& i, const std::string& token, std::chrono::seconds deadline) : impl(i) {
            ctx.AddMetadata("authorization", "Bearer " + token);
            ctx.set_deadline(std::chrono::system_clock::now() + deadline);
            std::lock_guard lock(impl.callMutex);
            impl.currentCall = &ctx;
            if (impl.stopping)
                ctx.TryCancel();
        }
        ~Call() {
            std::lock_guard lock(impl.callMutex);
            impl.currentCall = nullptr;
        }
    };

    Result<std::shared_ptr<grpc::Channel>> channel(const storage::ReplicaSyncConfig& cfg) {
        std::shared_ptr<grpc::ChannelCredentials> creds;
        const bool unixSocket = cfg.server.rfind("unix:", 0) == 0;
        if (!unixSocket && (!cfg.caFile.empty() || !isLoopbackHost(cfg.server))) {
            grpc::SslCredentialsOptions ssl;
            if (!cfg.caFile.empty()) {
                auto pem = readFile(cfg.caFile);
                if (!pem)
                    return Error{ErrorCode::FailedPrecondition, "cannot read the CA file " + cfg.caFile};
                ssl.pem_root_certs = *pem;
            }
            creds = grpc::SslCredentials(ssl);
        } else {
            creds = grpc::InsecureChannelCredentials();
        }
        grpc::ChannelArguments args;
        args.SetMaxReceiveMessageSize(32 * 1024 * 1024);
        return grpc::CreateCustomChannel(cfg.server, creds, args);
    }

    Result<v1::HelloResponse> hello(v1::SyncService::Stub& stub, const storage::ReplicaSyncConfig& cfg) {
        Call call(*this, cfg.token, kHelloDeadline);
        v1::HelloRequest req;
        req.set_protocol_version(core::kSyncProtocolVersion);
        req.set_replica_id(engine.replicaId());
        req.set_learner_id(cfg.learnerId);
        req.set_software_version(version);
        v1::HelloResponse resp;
        auto st = stub.Hello(&call.ctx, req, &resp);
        if (!st.ok())
            return fromStatus(st, cfg.server);
        if (resp.protocol_version() != core::kSyncProtocolVersion)
            return Error{ErrorCode::FailedPrecondition, "the sync server speaks protocol version " +
                                                            std::to_string(resp.protocol_version()) +
                                                            "; this retaind speaks " +
                                                            std::to_string(core::kSyncProtocolVersion)};
        if (!cfg.learnerId.empty() && resp.learner_id() != cfg.learnerId)
            return Error{ErrorCode::PermissionDenied, "the sync server answered for another learner"};
        return resp;
    }

    // Pushes every local event after the push cursor, in streams of up to kPushStreamEvents.
    Result<uint32_t> push(v1::SyncService::Stub& stub, const storage::ReplicaSyncConfig& cfg,
                          uint32_t maxBatch) {
        uint32_t accepted = 0;
        int64_t pushedSeq = cfg.pushedSeq;
        while (!stopping) {
            struct Page {
                std::vector<v1::Event> events;
                int64_t lastSeq = 0;
            };
            auto page = onStrand([&]() -> Result<Page> {
                Page p;
                auto s = engine.store().forEachEvent(
                    cfg.learnerId,
                    [&](v1::Event&& e, int64_t seq) {
                        p.events.push_back(std::move(e));
                        p.lastSeq = seq;
                    },
                    pushedSeq, kPushStreamEvents);
                if (!s)
                    return s.error();
                return p;
            });
            if (!page)
                return page.error();
            if (page->events.empty())
                break;
            Call call(*this, cfg.token, kStreamDeadline);
            v1::PushResponse resp;
            auto writer = stub.Push(&call.ctx, &resp);
            for (size_t i = 0; i < page->events.size(); i += maxBatch) {
                v1::PushBatch batch;
                batch.set_learner_id(cfg.learnerId);
                for (size_t j = i; j < std::min(page->events.size(), i + maxBatch); ++j)
                    *batch.add_events() = std::move(page->events[j]);
                if (!writer->Write(batch))
                    break;  // the stream broke: Finish() says why
            }
            writer->WritesDone();
            auto st = writer->Finish();
            if (!st.ok())
                return fromStatus(st, cfg.server);
            accepted += resp.accepted();
            pushedSeq = page->lastSeq;
            auto saved = onStrand([&]() -> core::Status {
                auto c = storage::loadSyncConfig(engine.store().database(), cfg.learnerId);
                if (!c)
                    return c.error();
                if (!*c)
                    return core::okStatus();  // disabled meanwhile
                (*c)->pushedSeq = std::max((*c)->pushedSeq, pushedSeq);
                return storage::saveSyncConfig(engine.store().database(), **c);
            });
            if (!saved)
                return saved.error();
        }
        return accepted;
    }

    // Pulls everything after the pull cursor; each batch is stored and folded, then the cursor saved.
    // `everything`: from the start and with our own events (recovering events this database lost).
    Result<uint32_t> pull(v1::SyncService::Stub& stub, const storage::ReplicaSyncConfig& cfg,
                          bool everything) {
        Call call(*this, cfg.token, kStreamDeadline);
        v1::PullRequest req;
        req.set_learner_id(cfg.learnerId);
        req.set_after_cursor(everything ? 0 : static_cast<uint64_t>(cfg.pulledCursor));
        req.set_batch_events(core::kMaxSyncBatchEvents);
        if (!everything)
            req.set_exclude_replica_id(engine.replicaId());
        auto reader = stub.Pull(&call.ctx, req);
        v1::PullBatch batch;
        uint32_t pulled = 0;
        std::optional<Error> failure;
        while (!failure && reader->Read(&batch)) {
            std::vector<v1::Event> events;
            events.reserve(static_cast<size_t>(batch.events_size()));
            for (auto& e : *batch.mutable_events()) {
                if (auto problem = core::checkForeignEvent(e, cfg.learnerId)) {
                    failure = Error{ErrorCode::DataLoss,
                                    "the sync server sent a bad event, not stored: " + *problem};
                    break;
                }
                events.push_back(std::move(e));
            }
            if (failure)
                break;
            auto stored = onStrand([&]() -> Result<uint32_t> {
                auto& db = engine.store().database();
                auto before = storage::lastLocalSeq(db, cfg.learnerId);
                if (!before)
                    return before.error();
                auto r = engine.ingest(events);
                if (!r)
                    return r.error();
                auto c = storage::loadSyncConfig(db, cfg.learnerId);
                if (!c)
                    return c.error();
                if (*c) {
                    // Nothing of ours was waiting to be pushed: the pulled events need not be pushed back.
                    if ((*c)->pushedSeq >= *before) {
                        auto after = storage::lastLocalSeq(db, cfg.learnerId);
                        if (!after)
                            return after.error();
                        (*c)->pushedSeq = *after;
                    }
                    (*c)->pulledCursor =
                        std::max<int64_t>((*c)->pulledCursor, static_cast<int64_t>(batch.cursor()));
                    if (auto s = storage::saveSyncConfig(db, **c); !s)
                        return s.error();
                }
                return r->inserted;
            });
            if (!stored) {
                failure = stored.error();
                break;
            }
            pulled += *stored;
        }
        if (failure) {
            call.ctx.TryCancel();
            reader->Finish();
            return *failure;
        }
        auto st = reader->Finish();
        if (!st.ok())
            return fromStatus(st, cfg.server);
        return pulled;
    }

    // One complete sync of a learner (worker thread).
    Result<Counts> syncOnce(const std::string& learnerId) {
        auto cfg = onStrand([&] { return storage::loadSyncConfig(engine.store().database(), learnerId); });
        if (!cfg)
            return cfg.error();
        if (!*cfg)
            return core::failedPrecondition("sync is not set up for learner " + learnerId);
        auto ch = channel(**cfg);
        if (!ch)
            return ch.error();
        auto stub = v1::SyncService::NewStub(*ch);
        auto hi = hello(*stub, **cfg);
        if (!hi)
            return hi.error();
        // The server has events of ours this database lacks (restored from a backup?): never reuse their
        // ids, and take them back with everything else.
        const bool behind = onStrand([&] {
            if (hi->replica_last_sequence() <= engine.sequence())
                return false;
            engine.raiseSequence(hi->replica_last_sequence());
            return true;
        });
        if (behind)
            spdlog::warn(
                "sync learner={}: the server holds events of this replica up to sequence {} that its "
                "database lacks (restored from a backup?); pulling everything",
                learnerId, hi->replica_last_sequence());
        Counts counts;
        auto pushed =
            push(*stub, **cfg, std::clamp<uint32_t>(hi->max_batch_events(), 1, core::kMaxSyncBatchEvents));
        if (!pushed)
            return pushed.error();
        counts.pushed = *pushed;
        // Reload: the push moved the push cursor.
        cfg = onStrand([&] { return storage::loadSyncConfig(engine.store().database(), learnerId); });
        if (!cfg)
            return cfg.error();
        if (!*cfg)
            return counts;
        auto pulled = pull(*stub, **cfg, behind);
        if (!pulled)
            return pulled.error();
        counts.pulled = *pulled;
        if (stopping)
            return Error{ErrorCode::Unavailable, "sync interrupted: the daemon is stopping"};
        return counts;
    }

    // ---- on the strand ----

    int64_t backoffMs(uint32_t failures, uint32_t intervalSeconds) {
        const double base = std::min(3600.0, 5.0 * std::pow(2.0, std::min<uint32_t>(failures, 12) - 1.0));
        const double capped = std::min<double>(base, std::max<uint32_t>(intervalSeconds, 60));
        std::uniform_real_distribution<double> d(0.5, 1.0);
        return static_cast<int64_t>(capped * d(jitter) * 1000);
    }

    Result<v1::SyncStatus> describe(const std::string& learnerId) {
        v1::SyncStatus out;
        auto& db = engine.store().database();
        auto cfg = storage::loadSyncConfig(db, learnerId);
        if (!cfg)
            return cfg.error();
        if (!*cfg) {
            out.set_configured(false);
            auto pending = storage::eventsAfter(db, learnerId, 0);
            if (pending)
                out.set_pending_events(static_cast<uint64_t>(*pending));
            return out;
        }
        const auto& c = **cfg;
        out.set_configured(true);
        out.set_server(c.server);
        out.set_last_sync_ms(c.lastSyncMs);
        out.set_last_error(c.lastError);
        out.set_consecutive_failures(c.failures);
        auto pending = storage::eventsAfter(db, learnerId, c.pushedSeq);
        if (!pending)
            return pending.error();
        out.set_pending_events(static_cast<uint64_t>(*pending));
        auto it = runtime.find(learnerId);
        if (it != runtime.end()) {
            out.set_next_attempt_ms(it->second.nextAttemptMs);
            out.set_last_pushed(it->second.lastPushed);
            out.set_last_pulled(it->second.lastPulled);
            out.set_in_progress(it->second.inProgress);
        }
        return out;
    }

    // Starts a sync of a learner, or joins the one running.
    void startSync(const std::string& learnerId, Done done) {
        auto& rt = runtime[learnerId];
        if (done)
            rt.waiters.push_back(std::move(done));
        if (rt.inProgress)
            return;
        if (stopping) {
            finish(learnerId, Error{ErrorCode::Unavailable, "the daemon is stopping"});
            return;
        }
        rt.inProgress = true;
        asio::post(worker, [this, learnerId] {
            auto result = syncOnce(learnerId);
            asio::post(strand, [this, learnerId, result = std::move(result)] { finish(learnerId, result); });
        });
    }

    void finish(const std::string& learnerId, const Result<Counts>& result) {
        auto& rt = runtime[learnerId];
        rt.inProgress = false;
        auto waiters = std::move(rt.waiters);
        rt.waiters.clear();
        auto& db = engine.store().database();
        auto cfg = storage::loadSyncConfig(db, learnerId);
        const int64_t now = wallMs();
        if (cfg && *cfg) {
            auto& c = **cfg;
            if (result) {
                c.lastSyncMs = now;
                c.lastError.clear();
                c.failures = 0;
                rt.lastPushed = result->pushed;
                rt.lastPulled = result->pulled;
                rt.nextAttemptMs = now + int64_t{c.intervalSeconds} * 1000;
                if (result->pushed || result->pulled)
                    spdlog::info("sync learner={} pushed={} pulled={}", learnerId, result->pushed,
                                 result->pulled);
            } else {
                c.lastError = result.error().message;
                ++c.failures;
                rt.nextAttemptMs = now + backoffMs(c.failures, c.intervalSeconds);
                spdlog::warn("sync learner={} failed (attempt {}): {}", learnerId, c.failures, c.lastError);
            }
            if (auto s = storage::saveSyncConfig(db, c); !s)
                spdlog::warn("sync: cannot save the outcome: {}", s.error().message);
        } else {
            runtime.erase(learnerId);  // disabled meanwhile
        }
        for (auto& w : waiters) {
            if (!result)
                w(result.error());
            else
                w(describe(learnerId));
        }
    }

    void tick() {
        timer.expires_after(std::chrono::seconds(1));
        timer.async_wait([this](const boost::system::error_code& ec) {
            if (ec || stopping)
                return;
            const int64_t now = wallMs();
            for (auto& [id, rt] : runtime)
                if (!rt.inProgress && rt.nextAttemptMs <= now)
                    startSync(id, nullptr);
            tick();
        });
    }
};

SyncManager::SyncManager(engine::Engine& engine, EngineStrand strand, std::string softwareVersion)
    : m_impl(std::make_unique<Impl>(engine, std::move(strand), std::move(softwareVersion))) {}

SyncManager::~SyncManager() = default;

void SyncManager::start() {
    asio::post(m_impl->strand, [impl = m_impl.get()] {
        auto configs = storage::loadSyncConfigs(impl->engine.store().database());
        if (!configs) {
            spdlog::warn("sync: cannot read the configuration: {}", configs.error().message);
            return;
        }
        const int64_t now = wallMs();
        for (const auto& c : *configs) {
            auto& rt = impl->runtime[c.learnerId];
            // Soon after start-up, then on the interval (or the backoff of earlier failures).
            rt.nextAttemptMs = now + (c.failures ? impl->backoffMs(c.failures, c.intervalSeconds) : 2000);
        }
        impl->tick();
    });
}

void SyncManager::stop() {
    auto& m = *m_impl;
    if (m.stopping.exchange(true))
        return;
    {
        std::lock_guard lock(m.callMutex);
        if (m.currentCall)
            m.currentCall->TryCancel();
    }
    asio::post(m.strand, [impl = &m] { impl->timer.cancel(); });
    m.worker.join();
    // Syncs that finished on the worker posted their outcome to the strand; let it run before returning.
    std::promise<void> drained;
    asio::post(m.strand, [&drained] { drained.set_value(); });
    drained.get_future().wait();
}

void SyncManager::setup(const v1::SetupSyncRequest& request, Done done) {
    auto& m = *m_impl;
    if (m.stopping)
        return done(Error{ErrorCode::Unavailable, "the daemon is stopping"});
    // The learner may be unknown here (a new machine): ask the server whose token this is first.
    asio::post(m.worker, [impl = &m, request, done = std::move(done)]() mutable {
        storage::ReplicaSyncConfig cfg;
        cfg.learnerId = request.learner_id();
        cfg.server = request.server();
        cfg.token = request.token();
        cfg.caFile = request.ca_file();
        cfg.intervalSeconds = request.interval_seconds() ? request.interval_seconds() : 300;
        auto ch = impl->channel(cfg);
        if (!ch)
            return done(ch.error());
        auto stub = v1::SyncService::NewStub(*ch);
        auto hi = impl->hello(*stub, cfg);
        if (!hi && hi.error().code == ErrorCode::PermissionDenied && !cfg.learnerId.empty())
            return done(Error{ErrorCode::PermissionDenied,
                              "this token belongs to another learner than " + cfg.learnerId +
                                  ". To join a learner from another machine, run `retainctl sync setup` "
                                  "without --learner: it adopts the token's learner and pulls its history"});
        if (!hi)
            return done(hi.error());
        cfg.learnerId = hi->learner_id();
        asio::post(impl->strand, [impl, cfg, name = hi->learner_name(), done = std::move(done)]() mutable {
            auto& db = impl->engine.store().database();
            if (auto s = impl->engine.adoptLearner(cfg.learnerId, name); !s)
                return done(s.error());
            auto old = storage::loadSyncConfig(db, cfg.learnerId);
            if (!old)
                return done(old.error());
            // The same server again: keep the cursors. Another server: start from the beginning.
            if (*old && (*old)->server == cfg.server) {
                cfg.pushedSeq = (*old)->pushedSeq;
                cfg.pulledCursor = (*old)->pulledCursor;
            }
            if (auto s = storage::saveSyncConfig(db, cfg); !s)
                return done(s.error());
            spdlog::info("sync set up learner={} server={}", cfg.learnerId, cfg.server);
            impl->startSync(cfg.learnerId, std::move(done));
        });
    });
}

void SyncManager::syncNow(const std::string& learnerId, Done done) {
    asio::post(m_impl->strand, [impl = m_impl.get(), learnerId, done = std::move(done)]() mutable {
        auto cfg = storage::loadSyncConfig(impl->engine.store().database(), learnerId);
        if (!cfg)
            return done(cfg.error());
        if (!*cfg)
            return done(core::failedPrecondition("sync is not set up for learner " + learnerId +
                                                 " (retainctl sync setup --server HOST:PORT --token TOKEN)"));
        impl->startSync(learnerId, std::move(done));
    });
}

void SyncManager::status(const std::string& learnerId, Done done) {
    asio::post(m_impl->strand, [impl = m_impl.get(), learnerId, done = std::move(done)] {
        if (!impl->engine.slot(learnerId))
            return done(core::notFound("learner \"" + learnerId + "\" not found"));
        done(impl->describe(learnerId));
    });
}

void SyncManager::disable(const std::string& learnerId, Done done) {
    asio::post(m_impl->strand, [impl = m_impl.get(), learnerId, done = std::move(done)] {
        if (auto s = storage::deleteSyncConfig(impl->engine.store().database(), learnerId); !s)
            return done(s.error());
        auto it = impl->runtime.find(learnerId);
        if (it != impl->runtime.end() && !it->second.inProgress)
            impl->runtime.erase(it);
        spdlog::info("sync disabled learner={}", learnerId);
        done(impl->describe(learnerId));
    });
}

void SyncManager::sessionEnded(const std::string& learnerId) {
    // Called on the strand.
    auto it = m_impl->runtime.find(learnerId);
    if (it == m_impl->runtime.end())
        return;
    auto cfg = storage::loadSyncConfig(m_impl->engine.store().database(), learnerId);
    if (cfg && *cfg && (*cfg)->failures == 0)
        it->second.nextAttemptMs = std::min(it->second.nextAttemptMs, wallMs() + 1000);
}

}  // namespace retain::app
