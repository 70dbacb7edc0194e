// Sync between in-process daemons: a sync server and replicas over loopback TCP.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "support/events.h"
#include "sync/sync_fixture.h"

namespace retain::test {
namespace {

using Sync = SyncTest;

TEST_F(Sync, answersOnOneReplicaAppearOnTheOtherAfterASync) {
    auto& laptop = replica("laptop");
    const auto id = laptop.client->ensureLearner("ana")->id();
    study(laptop, id, 6);
    const auto account = addAccount("ana", id);
    auto first = setup(laptop, account.token(), id);
    ASSERT_TRUE(first) << first.error().format();
    EXPECT_TRUE(first->configured());
    EXPECT_EQ(first->pending_events(), 0u);
    EXPECT_GT(first->last_pushed(), 6u);
    EXPECT_GT(first->last_sync_ms(), 0);

    // A new machine: sets up with the token alone, adopts the learner and pulls the whole history.
    auto& desktop = replica("desktop");
    auto joined = setup(desktop, account.token());
    ASSERT_TRUE(joined) << joined.error().format();
    EXPECT_EQ(joined->last_pulled(), first->last_pushed());
    EXPECT_EQ(learner(desktop, id).name(), "ana");
    EXPECT_EQ(visibleState(desktop, id), visibleState(laptop, id));

    // Reviews on the desktop come back to the laptop; nothing is duplicated.
    study(desktop, id, 4);
    auto pushed = syncNow(desktop, id);
    ASSERT_TRUE(pushed) << pushed.error().format();
    EXPECT_GT(pushed->last_pushed(), 4u);
    EXPECT_EQ(pushed->last_pulled(), 0u) << "its own events are not pulled back";
    auto pulled = syncNow(laptop, id);
    ASSERT_TRUE(pulled) << pulled.error().format();
    EXPECT_EQ(pulled->last_pulled(), pushed->last_pushed());
    EXPECT_EQ(pulled->last_pushed(), 0u) << "pulled events are not pushed back";
    EXPECT_EQ(visibleState(desktop, id), visibleState(laptop, id));
    EXPECT_EQ(serverEvents(id), learner(laptop, id).event_count());
}

TEST_F(Sync, reviewsMadeOnTwoMachinesWhileOfflineAreAllKept) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    const auto account = addAccount("ana", id);
    ASSERT_TRUE(setup(a, account.token(), id));
    auto& b = replica("b");
    ASSERT_TRUE(setup(b, account.token()));
    stopServer();
    study(a, id, 5);
    study(b, id, 7);
    auto offline = syncNow(a, id);
    ASSERT_FALSE(offline);
    EXPECT_EQ(offline.error().codeName, "UNAVAILABLE");
    startServer();
    for (auto* n : {&a, &b, &a})
        ASSERT_TRUE(syncNow(*n, id));
    const auto count = learner(a, id).event_count();
    EXPECT_EQ(learner(b, id).event_count(), count);
    EXPECT_EQ(serverEvents(id), count);
    EXPECT_EQ(visibleState(a, id), visibleState(b, id));
}

TEST_F(Sync, settingsMergeLastWriterWinsByHybridClock) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    const auto account = addAccount("ana", id);
    ASSERT_TRUE(setup(a, account.token(), id));
    auto& b = replica("b");
    ASSERT_TRUE(setup(b, account.token()));
    auto set = [&](Node& n, uint32_t minutes, int64_t atMs) {
        v1::SetClockRequest clock;
        clock.set_now_ms(atMs);
        ASSERT_TRUE(n.client->setClock(clock));
        v1::UpdateSettingsRequest r;
        r.set_learner_id(id);
        r.mutable_settings()->set_minutes_per_day(minutes);
        r.add_fields("minutes_per_day");
        ASSERT_TRUE(n.client->updateSettings(r));
    };
    set(b, 45, 1'780'000'600'000);  // later
    set(a, 30, 1'780'000'300'000);  // earlier, synced last
    ASSERT_TRUE(syncNow(b, id));
    ASSERT_TRUE(syncNow(a, id));
    ASSERT_TRUE(syncNow(b, id));
    EXPECT_EQ(learner(a, id).settings().minutes_per_day(), 45u);
    EXPECT_EQ(learner(b, id).settings().minutes_per_day(), 45u);
}

TEST_F(Sync, statusShowsPendingEventsTheLastErrorAndTheBackoff) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    auto none = status(a, id);
    EXPECT_FALSE(none.configured());
    const auto account = addAccount("ana", id);
    ASSERT_TRUE(setup(a, account.token(), id));
    study(a, id, 2);
    auto pending = status(a, id);
    EXPECT_GE(pending.pending_events(), 2u);
    stopServer();
    ASSERT_FALSE(syncNow(a, id));
    auto failed = status(a, id);
    EXPECT_TRUE(failed.configured());
    EXPECT_EQ(failed.consecutive_failures(), 1u);
    EXPECT_NE(failed.last_error().find("cannot reach the sync server"), std::string::npos)
        << failed.last_error();
    EXPECT_EQ(failed.pending_events(), pending.pending_events());
    EXPECT_GT(failed.next_attempt_ms(), failed.last_sync_ms());
    startServer();
    auto ok = syncNow(a, id);
    ASSERT_TRUE(ok) << ok.error().format();
    EXPECT_EQ(ok->pending_events(), 0u);
    EXPECT_EQ(ok->consecutive_failures(), 0u);
    EXPECT_TRUE(ok->last_error().empty());

    v1::DisableSyncRequest off;
    off.set_learner_id(id);
    auto disabled = a.client->disableSync(off);
    ASSERT_TRUE(disabled);
    EXPECT_FALSE(disabled->configured());
    EXPECT_EQ(syncNow(a, id).error().codeName, "FAILED_PRECONDITION");
}

TEST_F(Sync, aRestartedReplicaResumesFromItsSavedCursors) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    const auto account = addAccount("ana", id);
    ASSERT_TRUE(setup(a, account.token(), id));
    study(a, id, 3);
    stopReplica("a");
    auto& again = replica("a");
    auto s = status(again, id);
    EXPECT_TRUE(s.configured());
    EXPECT_GT(s.pending_events(), 0u);
    auto r = syncNow(again, id);
    ASSERT_TRUE(r) << r.error().format();
    EXPECT_EQ(r->pending_events(), 0u);
    EXPECT_EQ(serverEvents(id), learner(again, id).event_count());
    auto idle = syncNow(again, id);
    ASSERT_TRUE(idle);
    EXPECT_EQ(idle->last_pushed(), 0u);
    EXPECT_EQ(idle->last_pulled(), 0u);
}

TEST_F(Sync, aSyncServerHasNoSyncOfItsOwn) {
    v1::GetSyncStatusRequest r;
    r.set_learner_id(std::string(32, 'a'));
    auto s = m_server.client->syncStatus(r);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().codeName, "FAILED_PRECONDITION");
}

// A database copied while the daemon was stopped, then put back after more events were synced: the
// server tells the replica it is behind; it numbers new events above and pulls its own events back.
TEST_F(Sync, aReplicaWhoseDatabaseWasPutBackGetsItsOwnLaterEventsBackAndReusesNoId) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    const auto account = addAccount("ana", id);
    ASSERT_TRUE(setup(a, account.token(), id));
    study(a, id, 2);
    ASSERT_TRUE(syncNow(a, id));
    stopReplica("a");
    std::filesystem::copy_file(m_dir.file("a/retain.db"), m_dir.file("a-copy.db"));
    auto& again = replica("a");
    study(again, id, 3);  // events the copy lacks, then synced
    ASSERT_TRUE(syncNow(again, id));
    const auto before = learner(again, id).event_count();
    stopReplica("a");
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(m_dir.file("a/retain.db") + suffix);
    std::filesystem::copy_file(m_dir.file("a-copy.db"), m_dir.file("a/retain.db"));
    auto& restored = replica("a");
    ASSERT_LT(learner(restored, id).event_count(), before);
    auto back = syncNow(restored, id);
    ASSERT_TRUE(back) << back.error().format();
    EXPECT_EQ(learner(restored, id).event_count(), before) << "its own later events came back";
    study(restored, id, 2);  // new ids must not collide with the ones on the server
    ASSERT_TRUE(syncNow(restored, id));
    EXPECT_EQ(serverEvents(id), learner(restored, id).event_count());
    EXPECT_GT(serverEvents(id), before);
}

// A backup made with `retainctl admin backup` is restored as a new replica (no replica id in the copy).
TEST_F(Sync, aRestoredBackupIsANewReplicaAndLosesNothing) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    const auto account = addAccount("ana", id);
    ASSERT_TRUE(setup(a, account.token(), id));
    study(a, id, 2);
    ASSERT_TRUE(syncNow(a, id));
    const auto replicaBefore = a.client->version()->replica_id();
    v1::BackupRequest backup;
    backup.set_path(m_dir.file("a-backup.db"));
    ASSERT_TRUE(a.client->backup(backup));
    study(a, id, 3);
    ASSERT_TRUE(syncNow(a, id));
    const auto before = learner(a, id).event_count();
    stopReplica("a");
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(m_dir.file("a/retain.db") + suffix);
    std::filesystem::copy_file(m_dir.file("a-backup.db"), m_dir.file("a/retain.db"));
    auto& restored = replica("a");
    EXPECT_NE(restored.client->version()->replica_id(), replicaBefore);
    study(restored, id, 2);  // studied before the first sync: its ids are new all the same
    // The backup left the sync token behind (docs/security.md): sync asks for it again.
    auto withoutToken = syncNow(restored, id);
    ASSERT_FALSE(withoutToken);
    EXPECT_EQ(withoutToken.error().codeName, "FAILED_PRECONDITION");
    EXPECT_NE(withoutToken.error().message.find("sync setup"), std::string::npos)
        << withoutToken.error().message;
    ASSERT_TRUE(setup(restored, account.token(), id));
    ASSERT_TRUE(syncNow(restored, id));
    EXPECT_EQ(learner(restored, id).event_count(), serverEvents(id));
    EXPECT_GT(serverEvents(id), before);
}

TEST_F(Sync, theEndOfASessionTriggersABackgroundSync) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    const auto account = addAccount("ana", id);
    ASSERT_TRUE(setup(a, account.token(), id));
    // After the setup's sync the next timed one is the default interval, 300 s, away.
    const auto before = status(a, id);
    ASSERT_GT(before.last_sync_ms(), 0);
    EXPECT_EQ(before.next_attempt_ms() - before.last_sync_ms(), 300'000);
    study(a, id, 3);
    // The wait only guards against a hang; what shows that the end of the session started the sync is
    // that it ran before the timed one was due.
    v1::SyncStatus after;
    for (int i = 0; i < 600; ++i) {
        after = status(a, id);
        if (after.pending_events() == 0 && after.last_sync_ms() > before.last_sync_ms())
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_GT(after.last_sync_ms(), before.last_sync_ms()) << "no background sync after the session's end";
    EXPECT_EQ(after.pending_events(), 0u);
    EXPECT_LT(after.last_sync_ms(), before.next_attempt_ms())
        << "it was the timed sync, not the session's end";
    EXPECT_EQ(after.last_error(), "");
    EXPECT_EQ(serverEvents(id), learner(a, id).event_count());
}

// ---- retainctl ----------------------------------------------------------------------------------

class SyncCli : public SyncTest {
protected:
    struct Run {
        int status = -1;
        std::string out;
    };
    Run run(const std::string& daemon, const std::string& args) {
        const std::string cmd = std::string(RETAIN_BINARY_DIR) + "/client/cli/retainctl --daemon " + daemon +
                                " " + args + " 2>&1";
        Run r;
        FILE* p = ::popen(cmd.c_str(), "r");
        std::array<char, 4096> buf{};
        size_t n;
        while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
            r.out.append(buf.data(), n);
        const int st = ::pclose(p);
        r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        return r;
    }
};

TEST_F(SyncCli, setsUpSyncsShowsStatusAndManagesAccounts) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    const std::string server = m_server.daemon->socketAddress(), local = a.daemon->socketAddress();
    auto added = run(server, "sync-server add-learner ana --learner-id " + id + " --json");
    ASSERT_EQ(added.status, 0) << added.out;
    const auto token = nlohmann::json::parse(added.out)["token"].get<std::string>();
    auto set = run(local, "--learner ana sync setup --server " + serverAddress() + " --token " + token);
    ASSERT_EQ(set.status, 0) << set.out;
    EXPECT_NE(set.out.find("last sync:"), std::string::npos) << set.out;
    auto st = run(local, "--learner ana sync status --json");
    ASSERT_EQ(st.status, 0) << st.out;
    auto j = nlohmann::json::parse(st.out);
    EXPECT_TRUE(j["configured"].get<bool>());
    EXPECT_EQ(j["pending_events"], "0");  // uint64 prints as a JSON string
    auto list = run(server, "sync-server list");
    EXPECT_NE(list.out.find("ana  (" + id + ")  tokens=1"), std::string::npos) << list.out;
    auto revoke = run(server, "sync-server revoke ana");
    EXPECT_NE(revoke.out.find("revoked 1 token(s)"), std::string::npos) << revoke.out;
    auto now = run(local, "--learner ana sync now");
    EXPECT_EQ(now.status, 1);
    EXPECT_NE(now.out.find("UNAUTHENTICATED"), std::string::npos) << now.out;
    auto notServer = run(local, "sync-server list");
    EXPECT_EQ(notServer.status, 1);
    EXPECT_NE(notServer.out.find("not a sync server"), std::string::npos) << notServer.out;
}

// ---- Authorisation ------------------------------------------------------------------------------

using SyncAuth = SyncTest;

TEST_F(SyncAuth, aWrongTokenIsRefusedAndNothingIsConfigured) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    addAccount("ana", id);
    auto r = setup(a, std::string(64, '0'), id);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().codeName, "UNAUTHENTICATED");
    EXPECT_FALSE(status(a, id).configured());
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::HelloRequest hello;
    hello.set_protocol_version(1);
    v1::HelloResponse resp;
    EXPECT_EQ(rawStub()->Hello(&ctx, hello, &resp).error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << "no token at all";
}

TEST_F(SyncAuth, aRevokedTokenIsRefused) {
    auto& a = replica("a");
    const auto id = a.client->ensureLearner("ana")->id();
    const auto account = addAccount("ana", id);
    ASSERT_TRUE(setup(a, account.token(), id));
    v1::RevokeTokenRequest revoke;
    revoke.set_learner_id(id);
    auto revoked = m_server.client->revokeSyncToken(revoke);
    ASSERT_TRUE(revoked);
    EXPECT_EQ(revoked->revoked(), 1u);
    study(a, id, 2);
    auto r = syncNow(a, id);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().codeName, "UNAUTHENTICATED");
    EXPECT_NE(status(a, id).last_error().find("refused the token"), std::string::npos);
    EXPECT_LT(serverEvents(id), learner(a, id).event_count()) << "nothing was pushed";
}

TEST_F(SyncAuth, aTokenGivesNoAccessToAnotherLearner) {
    auto& a = replica("a");
    const auto anaId = a.client->ensureLearner("ana")->id();
    const auto boId = a.client->ensureLearner("bo")->id();
    const auto ana = addAccount("ana", anaId);
    const auto bo = addAccount("bo", boId);
    ASSERT_TRUE(setup(a, bo.token(), boId));
    study(a, boId, 3);
    ASSERT_TRUE(syncNow(a, boId));
    const auto boEvents = serverEvents(boId);
    ASSERT_GT(boEvents, 0u);

    // Through the replica: ana's token for bo's learner.
    auto r = setup(a, ana.token(), boId);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().codeName, "PERMISSION_DENIED");

    auto stub = rawStub();
    {
        grpc::ClientContext ctx;
        authorize(ctx, ana.token());
        v1::HelloRequest hello;
        hello.set_protocol_version(1);
        hello.set_learner_id(boId);
        v1::HelloResponse resp;
        EXPECT_EQ(stub->Hello(&ctx, hello, &resp).error_code(), grpc::StatusCode::PERMISSION_DENIED);
        EXPECT_EQ(resp.server_cursor(), 0u);
    }
    {
        grpc::ClientContext ctx;
        authorize(ctx, ana.token());
        v1::PullRequest pull;
        pull.set_learner_id(boId);
        auto reader = stub->Pull(&ctx, pull);
        v1::PullBatch batch;
        int events = 0;
        while (reader->Read(&batch))
            events += batch.events_size();
        EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
        EXPECT_EQ(events, 0) << "nothing leaked";
    }
    {
        grpc::ClientContext ctx;
        authorize(ctx, ana.token());
        v1::PushResponse resp;
        auto writer = stub->Push(&ctx, &resp);
        v1::PushBatch batch;
        batch.set_learner_id(boId);
        EventMaker mk(boId, "00000000000000ff");
        *batch.add_events() = mk.answer(kT0, "1.1-fc-card1", 1);
        writer->Write(batch);
        writer->WritesDone();
        EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
        EXPECT_EQ(serverEvents(boId), boEvents) << "nothing written";
    }
}

TEST_F(SyncAuth, accountsAreManagedOnlyOverTheLocalSocket) {
    // A sync server's TCP port does not serve the account service at all.
    rpc::Client overTcp(serverAddress());
    v1::AddSyncLearnerRequest r;
    r.set_name("mallory");
    auto added = overTcp.addSyncLearner(r);
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().codeName, "UNIMPLEMENTED");
    auto list = overTcp.listSyncAccounts();
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().codeName, "UNIMPLEMENTED");
}

// ---- Protocol -----------------------------------------------------------------------------------

using SyncProtocol = SyncTest;

TEST_F(SyncProtocol, anotherProtocolVersionIsRefusedWithBothVersionsNamed) {
    const auto account = addAccount("ana");
    grpc::ClientContext ctx;
    authorize(ctx, account.token());
    v1::HelloRequest hello;
    hello.set_protocol_version(7);
    v1::HelloResponse resp;
    auto st = rawStub()->Hello(&ctx, hello, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(st.error_message().find("version 7"), std::string::npos) << st.error_message();
    EXPECT_NE(st.error_message().find("version 1"), std::string::npos) << st.error_message();
}

TEST_F(SyncProtocol, aBatchWithABadEventIsRejectedWholeAndNothingOfItIsStored) {
    const auto account = addAccount("ana");
    const auto id = account.learner_id();
    EventMaker mk(id, "00000000000000aa");
    auto push = [&](const std::vector<v1::Event>& events) {
        grpc::ClientContext ctx;
        authorize(ctx, account.token());
        v1::PushResponse resp;
        auto writer = rawStub()->Push(&ctx, &resp);
        v1::PushBatch batch;
        batch.set_learner_id(id);
        for (const auto& e : events)
            *batch.add_events() = e;
        writer->Write(batch);
        writer->WritesDone();
        return writer->Finish();
    };
    auto good = [&] { return mk.answer(kT0, "1.1-fc-card1", 3); };
    struct Case {
        const char* what;
        std::function<void(v1::Event&)> spoil;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"malformed id", [](v1::Event& e) { e.set_id("not-an-id"); }, "id must be"},
        {"another learner", [](v1::Event& e) { e.set_learner_id(std::string(32, 'b')); }, "not the learner"},
        {"no payload", [](v1::Event& e) { e.clear_payload(); }, "no payload"},
        {"no clock", [](v1::Event& e) { e.set_hlc(0); }, "hlc"},
        {"bad rating", [](v1::Event& e) { e.mutable_answer()->set_rating(static_cast<v1::Rating>(9)); },
         "rating"},
        {"huge", [](v1::Event& e) { e.mutable_answer()->set_session_id(std::string(70000, 'x')); }, ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        auto bad = good();
        c.spoil(bad);
        auto st = push({good(), good(), bad});
        EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
        EXPECT_NE(st.error_message().find(c.message), std::string::npos) << st.error_message();
        EXPECT_EQ(serverEvents(id), 0u);
    }
    // Too many events in one batch.
    std::vector<v1::Event> many;
    for (int i = 0; i < 1001; ++i)
        many.push_back(good());
    EXPECT_EQ(push(many).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    // And a good batch, twice: stored once.
    std::vector<v1::Event> batch = {good(), good()};
    EXPECT_TRUE(push(batch).ok());
    EXPECT_TRUE(push(batch).ok());
    EXPECT_EQ(serverEvents(id), 2u);
}

TEST_F(SyncProtocol, aConnectionDroppedMidPushOrMidPullResumesWithoutLossOrDuplicates) {
    const auto account = addAccount("ana");
    const auto id = account.learner_id();
    EventMaker mk(id, "00000000000000aa");
    std::vector<v1::Event> events;
    std::map<std::string, std::string> pushed;  // id -> serialized event
    for (int i = 0; i < 2500; ++i) {
        events.push_back(mk.answer(kT0 + i * 1000, "1.1-fc-card" + std::to_string(1 + i % 4), 1 + i % 4));
        pushed[events.back().id()] = events.back().SerializeAsString();
    }
    ASSERT_EQ(pushed.size(), events.size()) << "the test's own ids are unique";
    auto batch = [&](size_t from, size_t to) {
        v1::PushBatch b;
        b.set_learner_id(id);
        for (size_t i = from; i < to; ++i)
            *b.add_events() = events[i];
        return b;
    };
    {  // two of three batches sent and stored, then the connection drops with the stream still open
        grpc::ClientContext ctx;
        authorize(ctx, account.token());
        v1::PushResponse resp;
        auto stub = rawStub();
        auto writer = stub->Push(&ctx, &resp);
        ASSERT_TRUE(writer->Write(batch(0, 1000)));
        ASSERT_TRUE(writer->Write(batch(1000, 2000)));
        // Observe the server holding both batches before the drop, so that the drop certainly cuts the
        // transfer: the last 500 events are never sent and the stream is never closed by the replica.
        for (int i = 0; i < 200 && serverEvents(id) < 2000; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ASSERT_EQ(serverEvents(id), 2000u) << "the server did not store the two batches sent";
        ctx.TryCancel();
        EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
    }
    EXPECT_EQ(serverEvents(id), 2000u) << "what was committed before the drop stays, nothing more";
    {  // the replica sends everything again: what is there is recognised, the rest stored
        grpc::ClientContext ctx;
        authorize(ctx, account.token());
        v1::PushResponse resp;
        auto stub = rawStub();
        auto writer = stub->Push(&ctx, &resp);
        for (size_t from = 0; from < events.size(); from += 1000)
            ASSERT_TRUE(writer->Write(batch(from, std::min(events.size(), from + 1000))));
        writer->WritesDone();
        ASSERT_TRUE(writer->Finish().ok());
        EXPECT_EQ(resp.duplicates(), 2000u);
        EXPECT_EQ(resp.accepted(), 500u);
    }
    EXPECT_EQ(serverEvents(id), events.size());

    // Pull: the connection drops after the first of four batches; the next pull resumes from that batch's
    // cursor. Every pushed event comes back exactly once, unchanged.
    std::map<std::string, int> pulled;  // id -> times received
    auto receive = [&](const v1::PullBatch& b) {
        for (const auto& e : b.events()) {
            ++pulled[e.id()];
            const auto sent = pushed.find(e.id());
            ASSERT_NE(sent, pushed.end()) << "never pushed: " << e.id();
            EXPECT_EQ(e.SerializeAsString(), sent->second) << e.id();
        }
    };
    uint64_t cursor = 0;
    {
        grpc::ClientContext ctx;
        authorize(ctx, account.token());
        v1::PullRequest req;
        req.set_learner_id(id);
        req.set_batch_events(700);
        auto stub = rawStub();
        auto reader = stub->Pull(&ctx, req);
        v1::PullBatch b;
        ASSERT_TRUE(reader->Read(&b));
        ASSERT_EQ(b.events_size(), 700);
        ASSERT_FALSE(b.done()) << "the drop must cut the transfer";
        receive(b);
        cursor = b.cursor();
        ctx.TryCancel();
        EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
    }
    EXPECT_GT(cursor, 0u);
    {
        grpc::ClientContext ctx;
        authorize(ctx, account.token());
        v1::PullRequest req;
        req.set_learner_id(id);
        req.set_after_cursor(cursor);
        auto stub = rawStub();
        auto reader = stub->Pull(&ctx, req);
        v1::PullBatch b;
        bool done = false;
        while (reader->Read(&b)) {
            receive(b);
            done = b.done();
        }
        EXPECT_TRUE(reader->Finish().ok());
        EXPECT_TRUE(done);
    }
    EXPECT_EQ(pulled.size(), events.size());
    for (const auto& [eventId, times] : pulled)
        EXPECT_EQ(times, 1) << eventId;
    std::set<std::string> pushedIds, pulledIds;
    for (const auto& [eventId, bytes] : pushed)
        pushedIds.insert(eventId);
    for (const auto& [eventId, times] : pulled)
        pulledIds.insert(eventId);
    EXPECT_EQ(pulledIds, pushedIds);
}

}  // namespace
}  // namespace retain::test
