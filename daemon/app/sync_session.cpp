#include "app/sync_session.h"

#include <spdlog/spdlog.h>

#include <grpcpp/grpcpp.h>
#include <boost/asio.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <sstream>

#include "app/config.h"
#include "core/event_check.h"
#include "engine/engine.h"
#include "retain/v1/sync.grpc.pb.h"

namespace retain::app {

namespace asio = boost::asio;
namespace v1 = ::retain::v1;
using core::Error;
using core::ErrorCode;
using core::Result;

namespace {

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

}  // namespace

struct SyncSession::Impl {
    engine::Engine& engine;
    EngineStrand strand;
    std::string version;
    std::atomic<bool> cancelled{false};
    std::mutex callMutex;
    grpc::ClientContext* currentCall = nullptr;  // cancel() cancels the call in flight

    Impl(engine::Engine& e, EngineStrand s, std::string v)
        : engine(e), strand(std::move(s)), version(std::move(v)) {}

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
            if (impl.cancelled)
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
                auto pem = readTextFile(cfg.caFile);
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
        while (!cancelled) {
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
                if (auto problem = core::checkForeignEvent(e, cfg.learnerId, core::SystemClock().nowMs())) {
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
    Result<SyncCounts> syncOnce(const std::string& learnerId) {
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
        SyncCounts counts;
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
        if (cancelled)
            return Error{ErrorCode::Unavailable, "sync interrupted: the daemon is stopping"};
        return counts;
    }
};

SyncSession::SyncSession(engine::Engine& engine, EngineStrand strand, std::string softwareVersion)
    : m_impl(std::make_unique<Impl>(engine, std::move(strand), std::move(softwareVersion))) {}

SyncSession::~SyncSession() = default;

Result<SyncPeer> SyncSession::identify(const storage::ReplicaSyncConfig& config) {
    auto ch = m_impl->channel(config);
    if (!ch)
        return ch.error();
    auto stub = v1::SyncService::NewStub(*ch);
    auto hi = m_impl->hello(*stub, config);
    if (!hi)
        return hi.error();
    return SyncPeer{hi->learner_id(), hi->learner_name()};
}

Result<SyncCounts> SyncSession::syncOnce(const std::string& learnerId) {
    return m_impl->syncOnce(learnerId);
}

void SyncSession::cancel() {
    std::lock_guard lock(m_impl->callMutex);
    m_impl->cancelled = true;
    if (m_impl->currentCall)
        m_impl->currentCall->TryCancel();
}

}  // namespace retain::app
