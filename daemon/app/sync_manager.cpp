#include "app/sync_manager.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <random>

#include "app/sync_session.h"
#include "engine/engine.h"
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

}  // namespace

struct SyncManager::Impl {
    engine::Engine& engine;
    EngineStrand strand;
    asio::steady_timer timer;
    asio::thread_pool worker{1};
    SyncSession session;  // used on the worker only (cancel() from anywhere)
    std::atomic<bool> stopping{false};
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
        : engine(e), strand(s), timer(strand), session(e, std::move(s), std::move(v)) {}

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
            auto result = session.syncOnce(learnerId);
            asio::post(strand, [this, learnerId, result = std::move(result)] { finish(learnerId, result); });
        });
    }

    void finish(const std::string& learnerId, const Result<SyncCounts>& result) {
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
            } else if (stopping) {
                // Interrupted by shutdown: not the server's fault; the next start resumes from the cursors.
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
    m.session.cancel();
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
        auto hi = impl->session.identify(cfg);
        if (!hi && hi.error().code == ErrorCode::PermissionDenied && !cfg.learnerId.empty())
            return done(Error{ErrorCode::PermissionDenied,
                              "this token belongs to another learner than " + cfg.learnerId +
                                  ". To join a learner from another machine, run `retainctl sync setup` "
                                  "without --learner: it adopts the token's learner and pulls its history"});
        if (!hi)
            return done(hi.error());
        cfg.learnerId = hi->learnerId;
        asio::post(impl->strand, [impl, cfg, name = hi->learnerName, done = std::move(done)]() mutable {
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
            return done(
                core::failedPrecondition("sync is not set up for learner " + learnerId +
                                         " (retainctl sync setup --server HOST:PORT --token-file -)"));
        if ((*cfg)->token.empty())  // restored from a backup, which never carries the token
            return done(core::failedPrecondition(
                "the sync token of learner " + learnerId +
                " is not on this machine (backups leave it behind): run `retainctl sync setup --server " +
                (*cfg)->server + " --token-file -` again"));
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
