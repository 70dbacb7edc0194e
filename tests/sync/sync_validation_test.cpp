// The bad-input table for the services only a daemon in sync-server mode serves: SyncService on its TCP
// port (a replica's token in the metadata) and SyncAccountService on its local socket. As in
// tests/service/validation_test.cpp: every RPC, INVALID_ARGUMENT (or the code the case names) with a
// message naming the field, and nothing written on the server.
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <set>

#include "support/bad_input.h"
#include "support/events.h"
#include "sync/sync_fixture.h"

namespace retain::test {
namespace {

struct Outcome {
    std::string codeName;
    std::string message;
};

std::string codeName(grpc::StatusCode code) {
    switch (code) {
        case grpc::StatusCode::OK:
            return "OK";
        case grpc::StatusCode::INVALID_ARGUMENT:
            return "INVALID_ARGUMENT";
        case grpc::StatusCode::NOT_FOUND:
            return "NOT_FOUND";
        case grpc::StatusCode::FAILED_PRECONDITION:
            return "FAILED_PRECONDITION";
        case grpc::StatusCode::PERMISSION_DENIED:
            return "PERMISSION_DENIED";
        case grpc::StatusCode::UNAUTHENTICATED:
            return "UNAUTHENTICATED";
        default:
            return "code " + std::to_string(static_cast<int>(code));
    }
}

Outcome outcomeOf(const grpc::Status& s) {
    return {codeName(s.error_code()), s.error_message()};
}
template <typename R>
Outcome outcomeOf(const R& reply) {
    return reply ? Outcome{"OK", ""} : Outcome{reply.error().codeName, reply.error().message};
}

// What a case gets: the server's account client (its local socket), a SyncService stub on its TCP port,
// and a learner with an account and a token.
struct Target {
    rpc::Client& accounts;
    v1::SyncService::Stub& sync;
    std::string token;
    std::string learnerId;
};

struct Case {
    std::string name;  // starts with the RPC's method name
    std::function<Outcome(Target&)> call;
    std::string expectedCode;
    std::string field;   // see messageNamesField()
    std::string detail;  // when set, also in the message
};

void withToken(grpc::ClientContext& ctx, const std::string& token) {
    ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

Outcome push(Target& t, const v1::PushBatch& batch) {
    grpc::ClientContext ctx;
    withToken(ctx, t.token);
    v1::PushResponse resp;
    auto writer = t.sync.Push(&ctx, &resp);
    writer->Write(batch);
    writer->WritesDone();
    return outcomeOf(writer->Finish());
}

Outcome pull(Target& t, const v1::PullRequest& request) {
    grpc::ClientContext ctx;
    withToken(ctx, t.token);
    auto reader = t.sync.Pull(&ctx, request);
    v1::PullBatch batch;
    while (reader->Read(&batch)) {
    }
    return outcomeOf(reader->Finish());
}

Outcome hello(Target& t, const v1::HelloRequest& request) {
    grpc::ClientContext ctx;
    withToken(ctx, t.token);
    v1::HelloResponse resp;
    return outcomeOf(t.sync.Hello(&ctx, request, &resp));
}

std::vector<Case> cases() {
    std::vector<Case> v;
    auto add = [&](std::string name, std::function<Outcome(Target&)> fn, std::string code, std::string field,
                   std::string detail = {}) {
        v.push_back({std::move(name), std::move(fn), std::move(code), std::move(field), std::move(detail)});
    };
    // SyncService.
    add(
        "Hello with a learner name for an id",
        [](Target& t) {
            v1::HelloRequest r;
            r.set_protocol_version(1);
            r.set_learner_id("ana");
            return hello(t, r);
        },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "Hello without a protocol version",
        [](Target& t) {
            v1::HelloRequest r;
            r.set_learner_id(t.learnerId);
            return hello(t, r);
        },
        "FAILED_PRECONDITION", "protocol_version", "version 0");
    auto batch = [](const std::string& learnerId, int events) {
        v1::PushBatch b;
        b.set_learner_id(learnerId);
        EventMaker mk(learnerId, "00000000000000aa");
        for (int i = 0; i < events; ++i)
            *b.add_events() = mk.answer(kT0 + i * 1000, "1.1-fc-card1", 3);
        return b;
    };
    add(
        "Push a batch without a learner", [=](Target& t) { return push(t, batch("", 1)); },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "Push a batch for a malformed learner", [=](Target& t) { return push(t, batch("ana", 1)); },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "Push 1001 events in a batch", [=](Target& t) { return push(t, batch(t.learnerId, 1001)); },
        "INVALID_ARGUMENT", "events");
    add(
        "Push a batch whose third event has a bad rating",
        [=](Target& t) {
            auto b = batch(t.learnerId, 3);
            b.mutable_events(2)->mutable_answer()->set_rating(static_cast<v1::Rating>(9));
            return push(t, b);
        },
        "INVALID_ARGUMENT", "events[2]", "answer.rating");
    add(
        "Pull without a learner", [](Target& t) { return pull(t, {}); }, "INVALID_ARGUMENT", "learner_id");
    add(
        "Pull excluding a malformed replica",
        [](Target& t) {
            v1::PullRequest r;
            r.set_learner_id(t.learnerId);
            r.set_exclude_replica_id("laptop");
            return pull(t, r);
        },
        "INVALID_ARGUMENT", "exclude_replica_id");
    add(
        "Pull 5001 events a batch",
        [](Target& t) {
            v1::PullRequest r;
            r.set_learner_id(t.learnerId);
            r.set_batch_events(5001);
            return pull(t, r);
        },
        "INVALID_ARGUMENT", "batch_events");
    // SyncAccountService.
    add(
        "AddLearner without a name", [](Target& t) { return outcomeOf(t.accounts.addSyncLearner({})); },
        "INVALID_ARGUMENT", "name");
    add(
        "AddLearner with spaces in the name",
        [](Target& t) {
            v1::AddSyncLearnerRequest r;
            r.set_name("ana b");
            return outcomeOf(t.accounts.addSyncLearner(r));
        },
        "INVALID_ARGUMENT", "name");
    add(
        "AddLearner with a malformed learner id",
        [](Target& t) {
            v1::AddSyncLearnerRequest r;
            r.set_name("bo");
            r.set_learner_id("xyz");
            return outcomeOf(t.accounts.addSyncLearner(r));
        },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "RevokeToken without a learner", [](Target& t) { return outcomeOf(t.accounts.revokeSyncToken({})); },
        "INVALID_ARGUMENT", "learner_id");
    add(
        "RevokeToken with an overlong prefix",
        [](Target& t) {
            v1::RevokeTokenRequest r;
            r.set_learner_id(t.learnerId);
            r.set_token_prefix(std::string(65, 'a'));
            return outcomeOf(t.accounts.revokeSyncToken(r));
        },
        "INVALID_ARGUMENT", "token_prefix");
    return v;
}

// SyncAccountService.ListAccounts: its request has no field.
const std::set<std::string> kNoInput = {"SyncAccountService.ListAccounts"};
const std::set<std::string> kServices = {"SyncService", "SyncAccountService"};

std::string rpcOf(const Case& c) {
    const std::string method = c.name.substr(0, c.name.find(' '));
    for (const auto& [name, descriptor] : allRpcMethods())
        if (kServices.count(serviceOf(name)) && name.substr(name.find('.') + 1) == method)
            return name;
    return "(no RPC named " + method + ")";
}

TEST(SyncValidationTable, listsEveryRpcOfTheSyncServer) {
    std::set<std::string> tabled;
    for (const auto& c : cases())
        tabled.insert(rpcOf(c));
    expectEveryRpcCovered(kServices, tabled, kNoInput);
}

using SyncValidation = SyncTest;

// What a rejected request must not change on the server: its accounts, their tokens and events.
std::string serverState(rpc::Client& accounts) {
    auto list = accounts.listSyncAccounts();
    EXPECT_TRUE(list) << list.error().format();
    std::string out;
    if (list)
        for (const auto& a : list->accounts())
            out += a.learner_id() + " " + a.name() + " tokens " + std::to_string(a.active_tokens()) +
                   " events " + std::to_string(a.events()) + "\n";
    return out;
}

TEST_F(SyncValidation, everyRpcRejectsBadInputNamingTheFieldAndWritesNothing) {
    const auto account = addAccount("ana");
    auto stub = rawStub();
    Target target{*m_server.client, *stub, account.token(), account.learner_id()};
    for (const auto& c : cases()) {
        SCOPED_TRACE(c.name + " (" + rpcOf(c) + ")");
        const std::string before = serverState(*m_server.client);
        const auto got = c.call(target);
        EXPECT_EQ(got.codeName, c.expectedCode) << got.message;
        EXPECT_TRUE(messageNamesField(got.codeName, got.message, c.field, c.detail));
        EXPECT_EQ(serverState(*m_server.client), before) << "it wrote something";
    }
}

}  // namespace
}  // namespace retain::test
