#include "service/sync_services.h"

#include <grpcpp/grpcpp.h>

#include <chrono>

#include "core/event_check.h"
#include "core/ids.h"
#include "retain/v1/sync.grpc.pb.h"
#include "service/status.h"
#include "service/sync_controller.h"
#include "service/unary.h"
#include "service/validation.h"
#include "storage/sync_store.h"
#include "storage/sync_token.h"

namespace retain::service {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;
using grpc::Status;
using grpc::StatusCode;

namespace {

int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The bearer token of a call ("authorization: Bearer <token>"), empty when absent.
std::string bearerToken(const CallbackServerContext* call) {
    return std::string(bearerTokenOf(authorizationOf(call)));
}

// Authenticates a call and checks that it is about the token's own learner. Runs on a sync worker.
core::Result<storage::Principal> authorize(storage::SyncStore& store, const CallbackServerContext* call,
                                           const std::string& learnerId) {
    const auto token = bearerToken(call);
    if (token.empty())
        return core::Error{core::ErrorCode::Unauthenticated,
                           "no sync token: send \"authorization: Bearer <token>\" metadata"};
    auto who = store.authenticate(token);
    if (!who)
        return who.error();
    if (!learnerId.empty() && learnerId != who->learnerId)
        return core::Error{core::ErrorCode::PermissionDenied,
                           "this sync token does not grant access to learner " + learnerId};
    return who;
}

Invalid checkOptionalLearnerId(const std::string& id) {
    return id.empty() ? std::nullopt : checkLearnerId(id);
}

// ---- SyncService (server) -----------------------------------------------------------------------

class PushReactor final : public grpc::ServerReadReactor<v1::PushBatch> {
public:
    PushReactor(const ServiceContext& ctx, CallbackServerContext* call, v1::PushResponse* response)
        : m_ctx(ctx), m_call(call), m_response(response) {
        m_ctx.postSync([this] {
            auto who = authorize(*m_ctx.syncStore, m_call, "");
            if (!who)
                return Finish(toStatus(who.error()));
            m_learnerId = who->learnerId;
            StartRead(&m_batch);
        });
    }
    void OnReadDone(bool ok) override {
        if (!ok) {  // the replica closed its side: every batch is stored
            Finish(Status::OK);
            return;
        }
        m_ctx.postSync([this] { store(); });
    }
    void OnDone() override { delete this; }

private:
    void store() {
        if (auto invalid = checkLearnerId(m_batch.learner_id()))
            return Finish(toStatus(*invalid));
        if (m_batch.learner_id() != m_learnerId)
            return Finish(toStatus(
                core::Error{core::ErrorCode::PermissionDenied,
                            "this sync token does not grant access to learner " + m_batch.learner_id()}));
        if (m_batch.events_size() > static_cast<int>(core::kMaxSyncBatchEvents))
            return Finish({StatusCode::INVALID_ARGUMENT,
                           "events: a batch holds at most " + std::to_string(core::kMaxSyncBatchEvents) +
                               " events; got " + std::to_string(m_batch.events_size())});
        std::vector<v1::Event> events;
        events.reserve(static_cast<size_t>(m_batch.events_size()));
        for (int i = 0; i < m_batch.events_size(); ++i) {
            auto& e = *m_batch.mutable_events(i);
            if (auto problem = core::checkForeignEvent(e, m_learnerId, nowMs()))
                return Finish({StatusCode::INVALID_ARGUMENT, "events[" + std::to_string(i) +
                                                                 "]: " + *problem +
                                                                 "; nothing of this batch was stored"});
            events.push_back(std::move(e));
        }
        auto r = m_ctx.syncStore->insert(m_learnerId, events);
        if (!r)
            return Finish(toStatus(r.error()));
        m_response->set_accepted(m_response->accepted() + r->accepted);
        m_response->set_duplicates(m_response->duplicates() + r->duplicates);
        m_response->set_server_cursor(r->cursor);
        m_batch.Clear();
        StartRead(&m_batch);
    }

    const ServiceContext& m_ctx;
    CallbackServerContext* m_call;
    v1::PushResponse* m_response;
    v1::PushBatch m_batch;
    std::string m_learnerId;
};

class PullReactor final : public grpc::ServerWriteReactor<v1::PullBatch> {
public:
    PullReactor(const ServiceContext& ctx, CallbackServerContext* call, const v1::PullRequest* request)
        : m_ctx(ctx),
          m_call(call),
          m_learnerId(request->learner_id()),
          m_exclude(request->exclude_replica_id()),
          m_cursor(request->after_cursor()) {
        m_batchEvents = request->batch_events() ? request->batch_events() : core::kMaxSyncBatchEvents;
        if (auto invalid = checkLearnerId(m_learnerId)) {
            Finish(toStatus(*invalid));
            return;
        }
        if (!m_exclude.empty() && !core::isHex(m_exclude, 16)) {
            Finish({StatusCode::INVALID_ARGUMENT,
                    "exclude_replica_id: must be empty or a replica id (16 hex digits)"});
            return;
        }
        if (m_batchEvents > 5000) {
            Finish({StatusCode::INVALID_ARGUMENT,
                    "batch_events: must be 1 to 5000, got " + std::to_string(m_batchEvents)});
            return;
        }
        m_ctx.postSync([this] {
            auto who = authorize(*m_ctx.syncStore, m_call, m_learnerId);
            if (!who)
                return Finish(toStatus(who.error()));
            next();
        });
    }
    void OnWriteDone(bool ok) override {
        if (!ok)
            return Finish({StatusCode::CANCELLED, "the replica went away during the pull"});
        if (m_batch.done())
            return Finish(Status::OK);
        m_ctx.postSync([this] { next(); });
    }
    void OnDone() override { delete this; }

private:
    void next() {
        auto page = m_ctx.syncStore->read(m_learnerId, m_cursor, m_batchEvents, m_exclude);
        if (!page)
            return Finish(toStatus(page.error()));
        m_batch.Clear();
        for (auto& e : page->events)
            *m_batch.add_events() = std::move(e);
        m_cursor = page->cursor;
        m_batch.set_cursor(page->cursor);
        m_batch.set_done(page->done);
        StartWrite(&m_batch);
    }

    const ServiceContext& m_ctx;
    CallbackServerContext* m_call;
    std::string m_learnerId;
    std::string m_exclude;
    uint64_t m_cursor;
    uint32_t m_batchEvents;
    v1::PullBatch m_batch;
};

class SyncServiceImpl final : public v1::SyncService::CallbackService {
public:
    explicit SyncServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}

    ServerUnaryReactor* Hello(CallbackServerContext* call, const v1::HelloRequest* request,
                              v1::HelloResponse* response) override {
        auto* reactor = call->DefaultReactor();
        if (request->protocol_version() != core::kSyncProtocolVersion) {
            reactor->Finish({StatusCode::FAILED_PRECONDITION,
                             "protocol_version: this replica speaks sync protocol version " +
                                 std::to_string(request->protocol_version()) +
                                 "; the server speaks version " + std::to_string(core::kSyncProtocolVersion) +
                                 ". Upgrade Retain on the older side"});
            return reactor;
        }
        if (auto invalid = checkOptionalLearnerId(request->learner_id())) {
            reactor->Finish(toStatus(*invalid));
            return reactor;
        }
        m_ctx.postSync([this, call, reactor, request, response] {
            auto who = authorize(*m_ctx.syncStore, call, request->learner_id());
            if (!who)
                return reactor->Finish(toStatus(who.error()));
            auto cursor = m_ctx.syncStore->cursor(who->learnerId);
            if (!cursor)
                return reactor->Finish(toStatus(cursor.error()));
            if (core::isHex(request->replica_id(), 16)) {
                auto own = m_ctx.syncStore->replicaSequence(who->learnerId, request->replica_id());
                if (!own)
                    return reactor->Finish(toStatus(own.error()));
                response->set_replica_last_sequence(*own);
            }
            (void)m_ctx.syncStore->touch(who->learnerId, nowMs());
            response->set_protocol_version(core::kSyncProtocolVersion);
            response->set_server_cursor(*cursor);
            response->set_max_batch_events(core::kMaxSyncBatchEvents);
            response->set_learner_name(who->name);
            response->set_learner_id(who->learnerId);
            response->set_max_event_bytes(static_cast<uint32_t>(core::kMaxEventBytes));
            reactor->Finish(Status::OK);
        });
        return reactor;
    }

    grpc::ServerReadReactor<v1::PushBatch>* Push(CallbackServerContext* call,
                                                 v1::PushResponse* response) override {
        return new PushReactor(m_ctx, call, response);
    }

    grpc::ServerWriteReactor<v1::PullBatch>* Pull(CallbackServerContext* call,
                                                  const v1::PullRequest* request) override {
        return new PullReactor(m_ctx, call, request);
    }

private:
    ServiceContext m_ctx;
};

// ---- SyncAccountService (server, local socket only) ----------------------------------------------

class SyncAccountServiceImpl final : public v1::SyncAccountService::CallbackService {
public:
    explicit SyncAccountServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}

    ServerUnaryReactor* AddLearner(CallbackServerContext* call, const v1::AddSyncLearnerRequest* request,
                                   v1::AddSyncLearnerResponse* response) override {
        Invalid invalid;
        if (!core::isValidLearnerName(request->name()))
            invalid = core::invalidArgument("name: 1-64 letters, digits, '.', '_' or '-'");
        else
            invalid = checkOptionalLearnerId(request->learner_id());
        return run(call, *request, invalid, [this, request, response]() -> Status {
            auto r = m_ctx.syncStore->addAccount(request->name(), request->learner_id(), nowMs());
            if (!r)
                return toStatus(r.error());
            response->set_learner_id(r->learnerId);
            response->set_token(r->token);
            response->set_token_prefix(r->prefix);
            return Status::OK;
        });
    }

    ServerUnaryReactor* RevokeToken(CallbackServerContext* call, const v1::RevokeTokenRequest* request,
                                    v1::RevokeTokenResponse* response) override {
        Invalid invalid = checkLearnerId(request->learner_id());
        if (!invalid && request->token_prefix().size() > storage::kTokenPrefixDigits * 8)
            invalid = core::invalidArgument("token_prefix: too long");
        return run(call, *request, invalid, [this, request, response]() -> Status {
            auto r = m_ctx.syncStore->revokeTokens(request->learner_id(), request->token_prefix());
            if (!r)
                return toStatus(r.error());
            response->set_revoked(*r);
            return Status::OK;
        });
    }

    ServerUnaryReactor* ListAccounts(CallbackServerContext* call, const v1::ListAccountsRequest* request,
                                     v1::ListAccountsResponse* response) override {
        return run(call, *request, std::nullopt, [this, response]() -> Status {
            auto r = m_ctx.syncStore->accounts();
            if (!r)
                return toStatus(r.error());
            for (const auto& a : *r) {
                auto* out = response->add_accounts();
                out->set_learner_id(a.learnerId);
                out->set_name(a.name);
                out->set_active_tokens(a.activeTokens);
                out->set_events(a.events);
                out->set_last_sync_ms(a.lastSyncMs);
            }
            return Status::OK;
        });
    }

private:
    // Account administration is for the server's operator: only over the owner-only unix socket (the
    // requests' Policy is Owner; a TCP listener does not even serve this service).
    template <typename Request, typename Fn>
    ServerUnaryReactor* run(CallbackServerContext* call, const Request& request, const Invalid& invalid,
                            Fn fn) {
        auto* reactor = call->DefaultReactor();
        if (auto who = admit(m_ctx, call, request); !who) {
            reactor->Finish(toStatus(who.error()));
            return reactor;
        }
        if (invalid) {
            reactor->Finish(toStatus(*invalid));
            return reactor;
        }
        m_ctx.postSync([reactor, fn = std::move(fn)]() mutable { reactor->Finish(fn()); });
        return reactor;
    }

    ServiceContext m_ctx;
};

// ---- SyncControlService (every daemon) ----------------------------------------------------------

class SyncControlServiceImpl final : public v1::SyncControlService::CallbackService {
public:
    explicit SyncControlServiceImpl(ServiceContext ctx) : m_ctx(std::move(ctx)) {}

    ServerUnaryReactor* SetupSync(CallbackServerContext* call, const v1::SetupSyncRequest* request,
                                  v1::SyncStatus* response) override {
        Invalid invalid = checkOptionalLearnerId(request->learner_id());
        if (!invalid && (request->server().empty() || request->server().size() > 512))
            invalid = core::invalidArgument("server: give the sync server as HOST:PORT");
        if (!invalid && !core::isHex(request->token(), storage::kTokenHexDigits))
            invalid = core::invalidArgument(
                "token: a sync token is 64 hex digits (from `retainctl sync-server add-learner` on the "
                "server)");
        if (!invalid && request->interval_seconds() != 0 &&
            (request->interval_seconds() < 30 || request->interval_seconds() > 86400))
            invalid = core::invalidArgument("interval_seconds: must be 30 to 86400, got " +
                                            std::to_string(request->interval_seconds()));
        if (!invalid && request->ca_file().size() > 4096)
            invalid = core::invalidArgument("ca_file: path too long");
        return run(
            call, *request, invalid, response,
            [request](SyncController& c, SyncController::Done done) { c.setup(*request, std::move(done)); });
    }

    ServerUnaryReactor* SyncNow(CallbackServerContext* call, const v1::SyncNowRequest* request,
                                v1::SyncStatus* response) override {
        return run(call, *request, checkLearnerId(request->learner_id()), response,
                   [id = request->learner_id()](SyncController& c, SyncController::Done done) {
                       c.syncNow(id, std::move(done));
                   });
    }

    ServerUnaryReactor* GetSyncStatus(CallbackServerContext* call, const v1::GetSyncStatusRequest* request,
                                      v1::SyncStatus* response) override {
        return run(call, *request, checkLearnerId(request->learner_id()), response,
                   [id = request->learner_id()](SyncController& c, SyncController::Done done) {
                       c.status(id, std::move(done));
                   });
    }

    ServerUnaryReactor* DisableSync(CallbackServerContext* call, const v1::DisableSyncRequest* request,
                                    v1::SyncStatus* response) override {
        return run(call, *request, checkLearnerId(request->learner_id()), response,
                   [id = request->learner_id()](SyncController& c, SyncController::Done done) {
                       c.disable(id, std::move(done));
                   });
    }

private:
    template <typename Request, typename Fn>
    ServerUnaryReactor* run(CallbackServerContext* call, const Request& request, const Invalid& invalid,
                            v1::SyncStatus* response, Fn fn) {
        auto* reactor = call->DefaultReactor();
        if (auto who = admit(m_ctx, call, request); !who) {
            reactor->Finish(toStatus(who.error()));
            return reactor;
        }
        if (!m_ctx.syncController) {
            reactor->Finish({StatusCode::FAILED_PRECONDITION,
                             "this daemon is a sync server; set up sync on the learners' own daemons"});
            return reactor;
        }
        if (invalid) {
            reactor->Finish(toStatus(*invalid));
            return reactor;
        }
        fn(*m_ctx.syncController, [reactor, response](core::Result<v1::SyncStatus> r) {
            if (!r)
                return reactor->Finish(toStatus(r.error()));
            *response = std::move(r.value());
            reactor->Finish(Status::OK);
        });
        return reactor;
    }

    ServiceContext m_ctx;
};

}  // namespace

void addSyncServices(const ServiceContext& ctx, std::vector<std::unique_ptr<grpc::Service>>& out) {
    if (ctx.syncStore) {
        out.push_back(std::make_unique<SyncServiceImpl>(ctx));
        if (ctx.transport == Transport::Tcp)
            return;  // a sync server's network port: SyncService only
        out.push_back(std::make_unique<SyncAccountServiceImpl>(ctx));
    }
    out.push_back(std::make_unique<SyncControlServiceImpl>(ctx));
}

}  // namespace retain::service
