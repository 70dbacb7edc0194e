#pragma once
// In-process sync setups: one daemon in sync-server mode (unix socket for accounts, loopback TCP for
// sync) and replica daemons, each in its own directory, with typed clients.

#include <gtest/gtest.h>

#include <grpcpp/grpcpp.h>
#include <map>
#include <memory>

#include "app/daemon.h"
#include "retain/v1/sync.grpc.pb.h"
#include "rpc/client.h"
#include "support/temp_dir.h"

namespace retain::test {

struct Node {
    std::unique_ptr<app::Daemon> daemon;
    std::unique_ptr<rpc::Client> client;
};

class SyncTest : public ::testing::Test {
protected:
    void SetUp() override { startServer(); }

    void startServer() {
        app::DaemonConfig c;
        c.socketPath = m_dir.file("server.sock");
        c.dataDir = m_dir.file("server");
        c.contentDir = miniContentDir();
        c.syncServer = true;
        c.listen = "127.0.0.1:" + std::to_string(m_serverPort);
        auto d = app::Daemon::start(c);
        ASSERT_TRUE(d) << d.error().message;
        m_server.daemon = std::move(d.value());
        m_serverPort = m_server.daemon->tcpPort();
        m_server.client = std::make_unique<rpc::Client>(m_server.daemon->socketAddress());
    }
    void stopServer() { m_server = {}; }
    std::string serverAddress() const { return "127.0.0.1:" + std::to_string(m_serverPort); }

    // Starts (or restarts) replica `name` on its own data directory.
    Node& replica(const std::string& name) {
        auto& n = m_replicas[name];
        if (!n.daemon) {
            app::DaemonConfig c;
            c.socketPath = m_dir.file(name + ".sock");
            c.dataDir = m_dir.file(name);
            c.contentDir = miniContentDir();
            c.simulatedClock = true;
            c.simulatedStartMs = 1'780'000'000'000;
            auto d = app::Daemon::start(c);
            EXPECT_TRUE(d) << d.error().message;
            if (d) {
                n.daemon = std::move(d.value());
                n.client = std::make_unique<rpc::Client>(n.daemon->socketAddress());
            }
        }
        return n;
    }
    void stopReplica(const std::string& name) { m_replicas[name] = {}; }

    v1::AddSyncLearnerResponse addAccount(const std::string& name, const std::string& learnerId = "") {
        v1::AddSyncLearnerRequest r;
        r.set_name(name);
        r.set_learner_id(learnerId);
        auto a = m_server.client->addSyncLearner(r);
        EXPECT_TRUE(a) << a.error().format();
        return a ? *a : v1::AddSyncLearnerResponse();
    }

    rpc::Reply<v1::SyncStatus> setup(Node& n, const std::string& token, const std::string& learnerId = "") {
        v1::SetupSyncRequest r;
        r.set_learner_id(learnerId);
        r.set_server(serverAddress());
        r.set_token(token);
        return n.client->setupSync(r);
    }
    rpc::Reply<v1::SyncStatus> syncNow(Node& n, const std::string& learnerId) {
        v1::SyncNowRequest r;
        r.set_learner_id(learnerId);
        return n.client->syncNow(r);
    }
    v1::SyncStatus status(Node& n, const std::string& learnerId) {
        v1::GetSyncStatusRequest r;
        r.set_learner_id(learnerId);
        auto s = n.client->syncStatus(r);
        EXPECT_TRUE(s) << s.error().format();
        return s ? *s : v1::SyncStatus();
    }

    // Studies `count` items in a daily session (flashcards GOOD, questions their first option).
    void study(Node& n, const std::string& learnerId, int count) {
        v1::StartSessionRequest s;
        s.set_learner_id(learnerId);
        s.set_mode(v1::DAILY_REVIEW);
        auto session = n.client->startSession(s);
        ASSERT_TRUE(session) << session.error().format();
        for (int i = 0; i < count; ++i) {
            v1::NextItemRequest nr;
            nr.set_learner_id(learnerId);
            nr.set_session_id(session->id());
            auto next = n.client->nextItem(nr);
            ASSERT_TRUE(next) << next.error().format();
            if (next->finished())
                break;
            v1::AnswerRequest a;
            a.set_learner_id(learnerId);
            a.set_session_id(session->id());
            a.set_item_id(next->item().id());
            a.set_response_ms(8000);
            if (next->item().kind() == v1::FLASHCARD)
                a.set_rating(v1::GOOD);
            else
                for (uint32_t k = 0; k < std::max<uint32_t>(1, next->item().choose()); ++k)
                    a.add_chosen_options(next->item().option_index(static_cast<int>(k)));
            auto r = n.client->answer(a);
            ASSERT_TRUE(r) << r.error().format();
        }
        v1::EndSessionRequest e;
        e.set_learner_id(learnerId);
        e.set_session_id(session->id());
        ASSERT_TRUE(n.client->endSession(e));
    }

    v1::Learner learner(Node& n, const std::string& id) {
        v1::GetLearnerRequest r;
        r.set_learner(id);
        auto l = n.client->getLearner(r);
        EXPECT_TRUE(l) << l.error().format();
        return l ? *l : v1::Learner();
    }

    // What a learner sees, for comparing replicas: item memory (review history), due forecast, mastery.
    std::string visibleState(Node& n, const std::string& id) {
        std::string out;
        v1::GetDueForecastRequest f;
        f.set_learner_id(id);
        f.set_days(30);
        auto forecast = n.client->dueForecast(f);
        EXPECT_TRUE(forecast);
        if (forecast)
            out += forecast->SerializeAsString();
        v1::GetMasteryRequest m;
        m.set_learner_id(id);
        auto mastery = n.client->mastery(m);
        EXPECT_TRUE(mastery);
        if (mastery)
            out += mastery->SerializeAsString();
        v1::GetReviewHistoryRequest h;
        h.set_learner_id(id);
        auto history = n.client->reviewHistory(h);
        EXPECT_TRUE(history);
        if (history)
            out += history->SerializeAsString();
        auto l = learner(n, id);
        out += l.settings().SerializeAsString() + std::to_string(l.event_count());
        return out;
    }

    // A raw SyncService stub on the server's TCP port, and a context carrying a token.
    std::unique_ptr<v1::SyncService::Stub> rawStub() {
        return v1::SyncService::NewStub(
            grpc::CreateChannel(serverAddress(), grpc::InsecureChannelCredentials()));
    }
    static void authorize(grpc::ClientContext& ctx, const std::string& token) {
        ctx.AddMetadata("authorization", "Bearer " + token);
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    }
    uint64_t serverEvents(const std::string& learnerId) {
        auto list = m_server.client->listSyncAccounts();
        EXPECT_TRUE(list);
        for (const auto& a : list->accounts())
            if (a.learner_id() == learnerId)
                return a.events();
        return 0;
    }

    TempDir m_dir;
    int m_serverPort = 0;
    Node m_server;
    std::map<std::string, Node> m_replicas;
};

}  // namespace retain::test
