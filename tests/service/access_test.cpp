// Deny by default (docs/security.md): every RPC of every retain.v1 service, called over TCP with no token,
// a malformed one, an unknown one, another learner's, the learner's own and an admin token, and over the
// owner's unix socket. The expected access of each method is written out here, independently of the
// daemon's Policy table, and the test fails when a method of the protos is missing from it.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>

#include "app/daemon.h"
#include "retain/v1/sync.grpc.pb.h"
#include "rpc/client.h"
#include "support/temp_dir.h"

namespace retain::test {
namespace {

namespace pb = google::protobuf;

enum class Need { Authenticated, OwnLearner, OwnLearnerOrNone, LearnerList, Admin, Owner, NotOnTcp };

// The access each method needs: the specification this test holds the daemon to.
const std::map<std::string, Need>& expectedAccess() {
    static const std::map<std::string, Need> m = {
        {"LearnerService.CreateLearner", Need::Admin},
        {"LearnerService.GetLearner", Need::OwnLearner},
        {"LearnerService.ListLearners", Need::LearnerList},
        {"LearnerService.UpdateSettings", Need::OwnLearner},
        {"LearnerService.OptimizeParameters", Need::OwnLearner},
        {"ContentService.GetBlueprint", Need::Authenticated},
        {"ContentService.ListBlueprints", Need::Authenticated},
        {"ContentService.SearchItems", Need::OwnLearnerOrNone},
        {"ContentService.GetItem", Need::OwnLearnerOrNone},
        {"ContentService.SetSuspended", Need::OwnLearner},
        {"StudyService.StartSession", Need::OwnLearner},
        {"StudyService.NextItem", Need::OwnLearner},
        {"StudyService.Answer", Need::OwnLearner},
        {"StudyService.Undo", Need::OwnLearner},
        {"StudyService.EndSession", Need::OwnLearner},
        {"StudyService.GetSessionSummary", Need::OwnLearner},
        {"StudyService.ImportReviews", Need::OwnLearner},
        {"ProgressService.GetMastery", Need::OwnLearner},
        {"ProgressService.GetDueForecast", Need::OwnLearner},
        {"ProgressService.GetReviewHistory", Need::OwnLearner},
        {"ProgressService.GetRetention", Need::OwnLearner},
        {"ProgressService.GetToday", Need::OwnLearner},
        {"ReadinessService.GetReadiness", Need::OwnLearner},
        {"ReadinessService.GetReadinessHistory", Need::OwnLearner},
        {"MockExamService.StartMock", Need::OwnLearner},
        {"MockExamService.GetMock", Need::OwnLearner},
        {"MockExamService.AnswerMock", Need::OwnLearner},
        {"MockExamService.FlagQuestion", Need::OwnLearner},
        {"MockExamService.PauseMock", Need::OwnLearner},
        {"MockExamService.SubmitMock", Need::OwnLearner},
        {"MockExamService.GetMockReport", Need::OwnLearner},
        {"MockExamService.ListMocks", Need::OwnLearner},
        {"AdminService.GetVersion", Need::Authenticated},
        {"AdminService.Backup", Need::Admin},
        {"AdminService.RebuildDerivedState", Need::Admin},
        {"AdminService.ReloadContent", Need::Admin},
        {"AdminService.SetClock", Need::Admin},
        {"AdminService.CreateAccessToken", Need::Owner},
        {"AdminService.ListAccessTokens", Need::Owner},
        {"AdminService.RevokeAccessToken", Need::Owner},
        {"SyncControlService.SetupSync", Need::Admin},
        {"SyncControlService.SyncNow", Need::OwnLearner},
        {"SyncControlService.GetSyncStatus", Need::OwnLearner},
        {"SyncControlService.DisableSync", Need::OwnLearner},
        // Served only by a sync server (SyncService: sync tokens; accounts: its unix socket).
        {"SyncService.Hello", Need::NotOnTcp},
        {"SyncService.Push", Need::NotOnTcp},
        {"SyncService.Pull", Need::NotOnTcp},
        {"SyncAccountService.AddLearner", Need::NotOnTcp},
        {"SyncAccountService.RevokeToken", Need::NotOnTcp},
        {"SyncAccountService.ListAccounts", Need::NotOnTcp},
    };
    return m;
}

const std::vector<std::string> kServices = {
    "LearnerService",  "ContentService", "StudyService",       "ProgressService", "ReadinessService",
    "MockExamService", "AdminService",   "SyncControlService", "SyncService",     "SyncAccountService"};

const pb::ServiceDescriptor* service(const std::string& name) {
    return pb::DescriptorPool::generated_pool()->FindServiceByName("retain.v1." + name);
}

// One unary call by method name with a request built from its descriptor; returns the status.
grpc::Status callMethod(const std::shared_ptr<grpc::Channel>& channel, const pb::MethodDescriptor& method,
                        const pb::Message& request, const std::string& authorization) {
    grpc::GenericStub stub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (!authorization.empty())
        ctx.AddMetadata("authorization", authorization);
    const std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer in(&slice, 1), out;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    stub.UnaryCall(&ctx, "/" + method.service()->full_name() + "/" + method.name(), grpc::StubOptions(), &in,
                   &out, [&](grpc::Status s) {
                       std::lock_guard lock(mu);
                       status = std::move(s);
                       done = true;
                       cv.notify_one();
                   });
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done; });
    return status;
}

// A request about `learner`: every field that names a learner is set to it; nothing else is.
std::unique_ptr<pb::Message> requestAbout(const pb::MethodDescriptor& method, const std::string& learner) {
    static pb::DynamicMessageFactory factory;
    std::unique_ptr<pb::Message> m(factory.GetPrototype(method.input_type())->New());
    for (const char* name : {"learner_id", "learner"}) {
        const auto* f = method.input_type()->FindFieldByName(name);
        if (f && f->type() == pb::FieldDescriptor::TYPE_STRING && !f->is_repeated())
            m->GetReflection()->SetString(m.get(), f, learner);
    }
    return m;
}

bool refused(grpc::StatusCode c) {
    return c == grpc::StatusCode::UNAUTHENTICATED || c == grpc::StatusCode::PERMISSION_DENIED ||
           c == grpc::StatusCode::UNIMPLEMENTED;
}

class Access : public ::testing::Test {
protected:
    void SetUp() override {
        app::DaemonConfig c;
        c.socketPath = m_dir.file("d.sock");
        c.dataDir = m_dir.file("data");
        c.contentDir = miniContentDir();
        c.simulatedClock = true;
        c.simulatedStartMs = 1'780'000'000'000;
        c.listen = "127.0.0.1:0";  // plaintext loopback: any local user can connect, so it must authenticate
        auto d = app::Daemon::start(c);
        ASSERT_TRUE(d) << d.error().message;
        m_daemon = std::move(d.value());
        m_owner = std::make_unique<rpc::Client>(m_daemon->socketAddress());
        m_tcp = "127.0.0.1:" + std::to_string(m_daemon->tcpPort());
        m_ana = m_owner->ensureLearner("ana")->id();
        m_ben = m_owner->ensureLearner("ben")->id();
        m_anaToken = token(false, m_ana);
        m_benToken = token(false, m_ben);
        m_adminToken = token(true, "");
        m_channel = grpc::CreateChannel(m_tcp, grpc::InsecureChannelCredentials());
    }

    std::string token(bool admin, const std::string& learner) {
        v1::CreateAccessTokenRequest r;
        r.set_admin(admin);
        r.set_learner(learner);
        r.set_label("test");
        auto t = m_owner->createAccessToken(r);
        EXPECT_TRUE(t) << t.error().format();
        return t ? t->token() : std::string();
    }

    TempDir m_dir;
    std::unique_ptr<app::Daemon> m_daemon;
    std::unique_ptr<rpc::Client> m_owner;
    std::string m_tcp, m_ana, m_ben, m_anaToken, m_benToken, m_adminToken;
    std::shared_ptr<grpc::Channel> m_channel;
};

TEST(AccessTable, namesEveryMethodOfEveryService) {
    size_t methods = 0;
    for (const auto& name : kServices) {
        const auto* s = service(name);
        ASSERT_NE(s, nullptr) << name;
        for (int i = 0; i < s->method_count(); ++i, ++methods)
            EXPECT_TRUE(expectedAccess().count(name + "." + s->method(i)->name()))
                << name << "." << s->method(i)->name()
                << " has no row in expectedAccess(): decide who may call it, here and in service/access.h";
    }
    EXPECT_EQ(methods, expectedAccess().size()) << "a row names a method the protos do not have";
}

TEST_F(Access, everyCallOverTcpIsDecidedByItsCredentials) {
    const std::string bearer = "Bearer ";
    const std::string unknown(64, 'a');
    int checked = 0;
    for (const auto& name : kServices) {
        const auto* s = service(name);
        for (int i = 0; i < s->method_count(); ++i) {
            const auto& method = *s->method(i);
            const std::string key = name + "." + method.name();
            const Need need = expectedAccess().at(key);
            auto aboutAna = requestAbout(method, m_ana);
            auto code = [&](const std::string& auth, const pb::Message& req) {
                return callMethod(m_channel, method, req, auth).error_code();
            };
            SCOPED_TRACE(key);
            if (need == Need::NotOnTcp) {
                EXPECT_EQ(code(bearer + m_adminToken, *aboutAna), grpc::StatusCode::UNIMPLEMENTED);
                ++checked;
                continue;
            }
            // No credentials, a malformed header, an unknown token: UNAUTHENTICATED, whatever the call.
            EXPECT_EQ(code("", *aboutAna), grpc::StatusCode::UNAUTHENTICATED);
            EXPECT_EQ(code("Bearer not-a-token", *aboutAna), grpc::StatusCode::UNAUTHENTICATED);
            EXPECT_EQ(code(bearer + unknown, *aboutAna), grpc::StatusCode::UNAUTHENTICATED);
            EXPECT_EQ(code(m_anaToken, *aboutAna), grpc::StatusCode::UNAUTHENTICATED) << "no Bearer scheme";

            const auto other = code(bearer + m_benToken, *aboutAna);
            const auto own = code(bearer + m_anaToken, *aboutAna);
            const auto admin = code(bearer + m_adminToken, *aboutAna);
            switch (need) {
                case Need::Authenticated:
                case Need::LearnerList:
                    EXPECT_FALSE(refused(other)) << other;
                    EXPECT_FALSE(refused(own)) << own;
                    EXPECT_FALSE(refused(admin)) << admin;
                    break;
                case Need::OwnLearner:
                case Need::OwnLearnerOrNone:
                    EXPECT_EQ(other, grpc::StatusCode::PERMISSION_DENIED);
                    EXPECT_FALSE(refused(own)) << own;
                    EXPECT_FALSE(refused(admin)) << admin;
                    if (need == Need::OwnLearnerOrNone) {
                        auto aboutNobody = requestAbout(method, "");
                        EXPECT_FALSE(refused(code(bearer + m_benToken, *aboutNobody)));
                    } else {
                        // An empty learner is not a loophole.
                        auto aboutNobody = requestAbout(method, "");
                        EXPECT_EQ(code(bearer + m_benToken, *aboutNobody),
                                  grpc::StatusCode::PERMISSION_DENIED);
                    }
                    break;
                case Need::Admin:
                    EXPECT_EQ(other, grpc::StatusCode::PERMISSION_DENIED);
                    EXPECT_EQ(own, grpc::StatusCode::PERMISSION_DENIED);
                    EXPECT_FALSE(refused(admin)) << admin;
                    break;
                case Need::Owner:
                    EXPECT_EQ(other, grpc::StatusCode::PERMISSION_DENIED);
                    EXPECT_EQ(own, grpc::StatusCode::PERMISSION_DENIED);
                    EXPECT_EQ(admin, grpc::StatusCode::PERMISSION_DENIED);
                    break;
                case Need::NotOnTcp:
                    break;
            }
            ++checked;
        }
    }
    EXPECT_EQ(checked, static_cast<int>(expectedAccess().size()));
}

TEST_F(Access, theOwnersSocketMayCallEverything) {
    auto channel = grpc::CreateChannel(m_daemon->socketAddress(), grpc::InsecureChannelCredentials());
    for (const auto& name : kServices) {
        const auto* s = service(name);
        for (int i = 0; i < s->method_count(); ++i) {
            const auto& method = *s->method(i);
            const std::string key = name + "." + method.name();
            if (expectedAccess().at(key) == Need::NotOnTcp)
                continue;  // a local daemon is not a sync server
            auto req = requestAbout(method, m_ana);
            const auto st = callMethod(channel, method, *req, "");
            EXPECT_FALSE(refused(st.error_code()))
                << key << ": " << st.error_code() << " " << st.error_message();
        }
    }
}

TEST_F(Access, aLearnerTokenListsOnlyItsOwnLearner) {
    rpc::ClientOptions o;
    o.token = m_benToken;
    rpc::Client ben(m_tcp, o);
    auto list = ben.listLearners();
    ASSERT_TRUE(list) << list.error().format();
    ASSERT_EQ(list->learners_size(), 1);
    EXPECT_EQ(list->learners(0).id(), m_ben);
    // By name too.
    v1::GetLearnerRequest byName;
    byName.set_learner("ben");
    EXPECT_TRUE(ben.getLearner(byName));
    byName.set_learner("ana");
    EXPECT_EQ(ben.getLearner(byName).error().codeName, "PERMISSION_DENIED");

    o.token = m_adminToken;
    rpc::Client admin(m_tcp, o);
    EXPECT_EQ(admin.listLearners()->learners_size(), 2);
}

TEST_F(Access, aRevokedTokenIsRefusedAtOnceAndTokensSurviveARestart) {
    rpc::ClientOptions o;
    o.token = m_anaToken;
    rpc::Client ana(m_tcp, o);
    v1::GetTodayRequest today;
    today.set_learner_id(m_ana);
    ASSERT_TRUE(ana.today(today));

    auto listed = m_owner->listAccessTokens();
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->tokens_size(), 3);
    for (const auto& t : listed->tokens())
        EXPECT_EQ(t.prefix().size(), 8u);

    v1::RevokeAccessTokenRequest revoke;
    revoke.set_prefix(m_anaToken.substr(0, 8));
    auto revoked = m_owner->revokeAccessToken(revoke);
    ASSERT_TRUE(revoked) << revoked.error().format();
    EXPECT_EQ(revoked->revoked(), 1u);
    EXPECT_EQ(ana.today(today).error().codeName, "UNAUTHENTICATED");

    // Ben's token is kept in the database (hashed) and still works after a restart.
    const auto config = m_daemon->config();
    m_owner.reset();
    m_daemon.reset();
    auto d = app::Daemon::start(config);
    ASSERT_TRUE(d) << d.error().message;
    m_daemon = std::move(d.value());
    o.token = m_benToken;
    rpc::Client ben("127.0.0.1:" + std::to_string(m_daemon->tcpPort()), o);
    v1::GetTodayRequest benToday;
    benToday.set_learner_id(m_ben);
    EXPECT_TRUE(ben.today(benToday));
    o.token = m_anaToken;
    rpc::Client anaAgain("127.0.0.1:" + std::to_string(m_daemon->tcpPort()), o);
    EXPECT_EQ(anaAgain.today(today).error().codeName, "UNAUTHENTICATED");
}

TEST_F(Access, reflectionIsServedOnTheOwnersSocketOnly) {
    auto reflectionStatus = [](const std::shared_ptr<grpc::Channel>& channel) {
        grpc::GenericStub generic(channel);
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        grpc::CompletionQueue cq;
        auto call =
            generic.PrepareCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
        void* tag = nullptr;
        bool ok = false;
        call->StartCall(reinterpret_cast<void*>(1));
        cq.Next(&tag, &ok);
        call->WritesDone(reinterpret_cast<void*>(2));
        cq.Next(&tag, &ok);
        grpc::Status status;
        call->Finish(&status, reinterpret_cast<void*>(3));
        while (cq.Next(&tag, &ok) && tag != reinterpret_cast<void*>(3)) {
        }
        cq.Shutdown();
        while (cq.Next(&tag, &ok)) {
        }
        return status.error_code();
    };
    EXPECT_EQ(reflectionStatus(m_channel), grpc::StatusCode::UNIMPLEMENTED);
    auto local = grpc::CreateChannel(m_daemon->socketAddress(), grpc::InsecureChannelCredentials());
    EXPECT_EQ(reflectionStatus(local), grpc::StatusCode::OK);
}

TEST_F(Access, errorsQuoteAtMostAShortPrefixOfWhatWasSent) {
    // 1 MB strings in requests: errors must not carry them back (they would not fit in a header).
    const std::string huge(1 << 20, 'x');
    v1::UpdateSettingsRequest settings;
    settings.set_learner_id(m_ana);
    settings.mutable_settings()->set_time_zone(huge);
    settings.add_fields("time_zone");
    auto reply = m_owner->updateSettings(settings);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().codeName, "INVALID_ARGUMENT");
    EXPECT_LE(reply.error().message.size(), 600u);
    EXPECT_NE(reply.error().message.find("time_zone"), std::string::npos) << reply.error().message;

    v1::BackupRequest backup;
    backup.set_path("/" + huge);
    auto b = m_owner->backup(backup);
    ASSERT_FALSE(b);
    EXPECT_LE(b.error().message.size(), 600u);
    EXPECT_NE(b.error().message.find("path"), std::string::npos) << b.error().message;

    v1::GetReadinessRequest readiness;
    readiness.set_learner_id(m_ana);
    readiness.set_date(huge);
    auto rd = m_owner->readiness(readiness);
    ASSERT_FALSE(rd);
    EXPECT_LE(rd.error().message.size(), 600u);
    // The channel is still usable afterwards.
    EXPECT_TRUE(m_owner->listLearners());
}

}  // namespace
}  // namespace retain::test

namespace retain::test {
namespace {

TEST(SyncServerAccess, itsTcpPortServesSyncAndHealthAndNothingElse) {
    TempDir dir;
    app::DaemonConfig c;
    c.socketPath = dir.file("s.sock");
    c.dataDir = dir.file("data");
    c.contentDir = miniContentDir();
    c.syncServer = true;
    c.listen = "127.0.0.1:0";
    auto d = app::Daemon::start(c);
    ASSERT_TRUE(d) << d.error().message;
    rpc::Client owner((*d)->socketAddress());
    v1::AddSyncLearnerRequest add;
    add.set_name("ana");
    auto account = owner.addSyncLearner(add);
    ASSERT_TRUE(account) << account.error().format();
    const std::string tcp = "127.0.0.1:" + std::to_string((*d)->tcpPort());
    auto channel = grpc::CreateChannel(tcp, grpc::InsecureChannelCredentials());

    for (const auto& name : kServices) {
        if (name == "SyncService")
            continue;
        const auto* s = service(name);
        for (int i = 0; i < s->method_count(); ++i) {
            auto req = requestAbout(*s->method(i), account->learner_id());
            EXPECT_EQ(callMethod(channel, *s->method(i), *req, "Bearer " + account->token()).error_code(),
                      grpc::StatusCode::UNIMPLEMENTED)
                << name << "." << s->method(i)->name();
        }
    }
    rpc::Client tcpClient(tcp);
    EXPECT_TRUE(tcpClient.health());

    auto stub = v1::SyncService::NewStub(channel);
    v1::HelloRequest hello;
    hello.set_protocol_version(1);
    v1::HelloResponse response;
    {
        grpc::ClientContext ctx;
        EXPECT_EQ(stub->Hello(&ctx, hello, &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
    }
    {
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization", "Bearer " + account->token());
        const auto st = stub->Hello(&ctx, hello, &response);
        EXPECT_TRUE(st.ok()) << st.error_message();
        EXPECT_EQ(response.learner_id(), account->learner_id());
    }
    // The accounts are the operator's, over the server's own socket.
    EXPECT_TRUE(owner.listSyncAccounts());
}

}  // namespace
}  // namespace retain::test
