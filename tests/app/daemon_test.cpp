#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/generic_stub.h>
#include "app/config.h"
#include "app/daemon.h"
#include "rpc/client.h"
#include "storage/schema.h"
#include "storage/sqlite.h"
#include "support/temp_dir.h"

namespace retain::test {
namespace {

namespace pb = google::protobuf;

// Minimal grpcurl: one bidirectional ServerReflectionInfo stream, one request and one response per ask().
class ReflectionClient {
public:
    explicit ReflectionClient(const std::string& address)
        : m_channel(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())), m_stub(m_channel) {
        m_call = m_stub.PrepareCall(&m_ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                    &m_cq);
        m_call->StartCall(tag(1));
        next();
    }
    ~ReflectionClient() {
        m_call->WritesDone(tag(9));
        next();
        grpc::Status status;
        m_call->Finish(&status, tag(10));
        next();
        m_cq.Shutdown();
        void* t;
        bool ok;
        while (m_cq.Next(&t, &ok)) {
        }
    }
    std::unique_ptr<pb::Message> ask(const std::string& field, const std::string& value) {
        const auto* reqType = pool().FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionRequest");
        const auto* respType =
            pool().FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionResponse");
        EXPECT_NE(reqType, nullptr);
        std::unique_ptr<pb::Message> req(
            pb::MessageFactory::generated_factory()->GetPrototype(reqType)->New());
        req->GetReflection()->SetString(req.get(), reqType->FindFieldByName(field), value);
        std::string bytes = req->SerializeAsString();
        grpc::Slice slice(bytes);
        grpc::ByteBuffer buffer(&slice, 1);
        m_call->Write(buffer, tag(2));
        next();
        grpc::ByteBuffer in;
        m_call->Read(&in, tag(3));
        next();
        std::vector<grpc::Slice> slices;
        (void)in.Dump(&slices);
        std::string out;
        for (auto& s : slices)
            out.append(reinterpret_cast<const char*>(s.begin()), s.size());
        std::unique_ptr<pb::Message> resp(
            pb::MessageFactory::generated_factory()->GetPrototype(respType)->New());
        EXPECT_TRUE(resp->ParseFromString(out));
        return resp;
    }

private:
    static const pb::DescriptorPool& pool() { return *pb::DescriptorPool::generated_pool(); }
    static void* tag(intptr_t i) { return reinterpret_cast<void*>(i); }
    void next() {
        void* t;
        bool ok;
        ASSERT_TRUE(m_cq.Next(&t, &ok));
    }
    std::shared_ptr<grpc::Channel> m_channel;
    grpc::GenericStub m_stub;
    grpc::ClientContext m_ctx;
    grpc::CompletionQueue m_cq;
    std::unique_ptr<grpc::GenericClientAsyncReaderWriter> m_call;
};

app::DaemonConfig configIn(const TempDir& dir) {
    app::DaemonConfig c;
    c.socketPath = dir.file("d.sock");
    c.dataDir = dir.file("data");
    c.contentDir = miniContentDir();
    return c;
}

TEST(Daemon, servesHealthAndReflectionListingEveryRetainService) {
    TempDir dir;
    auto d = app::Daemon::start(configIn(dir));
    ASSERT_TRUE(d) << d.error().message;
    rpc::Client client((*d)->socketAddress());
    auto health = client.health();
    ASSERT_TRUE(health) << health.error().format();
    EXPECT_TRUE(*health);

    // A generic reflection client: the reflection messages come from the descriptor pool (registered by
    // libgrpc++_reflection), the call goes through the generic stub, as grpcurl does.
    ReflectionClient reflection((*d)->socketAddress());
    auto list = reflection.ask("list_services", "*");
    std::set<std::string> names;
    const auto* lsr = list->GetDescriptor()->FindFieldByName("list_services_response");
    const auto& services = list->GetReflection()->GetMessage(*list, lsr);
    const auto* serviceField = services.GetDescriptor()->FindFieldByName("service");
    for (int i = 0; i < services.GetReflection()->FieldSize(services, serviceField); ++i) {
        const auto& s = services.GetReflection()->GetRepeatedMessage(services, serviceField, i);
        names.insert(s.GetReflection()->GetString(s, s.GetDescriptor()->FindFieldByName("name")));
    }
    for (const char* want :
         {"retain.v1.LearnerService", "retain.v1.ContentService", "retain.v1.StudyService",
          "retain.v1.ProgressService", "retain.v1.ReadinessService", "retain.v1.MockExamService",
          "retain.v1.SyncControlService", "retain.v1.AdminService", "grpc.health.v1.Health"})
        EXPECT_TRUE(names.count(want)) << want << " not listed by reflection";
    // The descriptors are there too: a generic client can resolve a method's types.
    auto file = reflection.ask("file_containing_symbol", "retain.v1.StudyService");
    const auto* fdr = file->GetDescriptor()->FindFieldByName("file_descriptor_response");
    const auto& files = file->GetReflection()->GetMessage(*file, fdr);
    EXPECT_GT(files.GetReflection()->FieldSize(
                  files, files.GetDescriptor()->FindFieldByName("file_descriptor_proto")),
              0);
}

TEST(Daemon, theSocketIsOwnerOnlyAndRemovedOnStop) {
    TempDir dir;
    auto d = app::Daemon::start(configIn(dir));
    ASSERT_TRUE(d);
    struct stat st {};
    ASSERT_EQ(::stat(dir.file("d.sock").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    (*d)->stop();
    EXPECT_FALSE(std::filesystem::exists(dir.file("d.sock")));
}

TEST(Daemon, refusesASecondDaemonOnTheSameSocket) {
    TempDir dir;
    auto first = app::Daemon::start(configIn(dir));
    ASSERT_TRUE(first);
    auto c = configIn(dir);
    c.dataDir = dir.file("other");
    auto second = app::Daemon::start(c);
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().message.find("already listening"), std::string::npos);
}

TEST(Daemon, refusesToStartWithABrokenContentPackNamingFileAndLine) {
    TempDir dir;
    namespace fs = std::filesystem;
    fs::copy(miniContentDir(), dir.file("c"), fs::copy_options::recursive);
    std::ofstream(dir.file("c/items/mini/broken.textproto"))
        << "exam: \"MINI-01\"\nitems {\n  id: \"1.1-fc-x\"\n  kind: FLASHCARD\n}\n";
    auto c = configIn(dir);
    c.contentDir = dir.file("c");
    auto d = app::Daemon::start(c);
    ASSERT_FALSE(d);
    EXPECT_NE(d.error().message.find("items/mini/broken.textproto:2:"), std::string::npos)
        << d.error().message;
    EXPECT_FALSE(fs::exists(dir.file("data/retain.db")))
        << "nothing is created for a pack that does not load";
}

TEST(Daemon, refusesAForeignDatabaseFile) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("data"));
    std::ofstream(dir.file("data/retain.db")) << "not a database";
    auto d = app::Daemon::start(configIn(dir));
    ASSERT_FALSE(d);
    EXPECT_NE(d.error().message.find("not a Retain database"), std::string::npos) << d.error().message;
}

TEST(Daemon, aDamagedEventLogIsRefusedWithTheWayOut) {
    TempDir dir;
    {
        auto d = app::Daemon::start(configIn(dir));
        ASSERT_TRUE(d) << d.error().message;
        rpc::Client client((*d)->socketAddress());
        ASSERT_TRUE(client.ensureLearner("default"));
    }
    {
        auto db = storage::Database::open(dir.file("data/retain.db"));
        ASSERT_TRUE(db);
        ASSERT_TRUE(db->exec("UPDATE events SET body = x'ffffffff0102' WHERE seq = 1"));
    }
    auto d = app::Daemon::start(configIn(dir));
    ASSERT_FALSE(d);
    EXPECT_NE(d.error().message.find("is damaged"), std::string::npos) << d.error().message;
    EXPECT_NE(d.error().message.find("retaind --salvage NEW.db"), std::string::npos) << d.error().message;
}

TEST(Daemon, servesLoopbackTcpWhenAsked) {
    TempDir dir;
    auto c = configIn(dir);
    c.listen = "127.0.0.1:0";
    auto d = app::Daemon::start(c);
    ASSERT_TRUE(d) << d.error().message;
    ASSERT_GT((*d)->tcpPort(), 0);
    const std::string address = "127.0.0.1:" + std::to_string((*d)->tcpPort());
    // Without a token: health only (other local users can reach a loopback port).
    rpc::Client anonymous(address);
    EXPECT_TRUE(anonymous.health());
    EXPECT_EQ(anonymous.version().error().codeName, "UNAUTHENTICATED");
    rpc::Client owner((*d)->socketAddress());
    v1::CreateAccessTokenRequest create;
    create.set_admin(true);
    auto token = owner.createAccessToken(create);
    ASSERT_TRUE(token) << token.error().format();
    rpc::ClientOptions o;
    o.token = token->token();
    rpc::Client client(address, o);
    auto v = client.version();
    ASSERT_TRUE(v) << v.error().format();
    EXPECT_EQ(v->schema_version(), static_cast<uint32_t>(storage::currentSchemaVersion()));
}

TEST(Daemon, refusesASocketDirectoryOwnedByAnotherUserAndLeavesItAlone) {
    TempDir dir;
    namespace fs = std::filesystem;
    fs::create_directories(dir.file("theirs"));
    ::chmod(dir.file("theirs").c_str(), 0755);
    ASSERT_EQ(::chown(dir.file("theirs").c_str(), 65534, 65534), 0) << "the tests run as root";
    auto c = configIn(dir);
    c.socketPath = dir.file("theirs/retaind.sock");
    auto d = app::Daemon::start(c);
    ASSERT_FALSE(d);
    EXPECT_NE(d.error().message.find("owned by uid 65534"), std::string::npos) << d.error().message;
    struct stat st {};
    ASSERT_EQ(::stat(dir.file("theirs").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0755u) << "not chmod-ed";
    EXPECT_EQ(st.st_uid, 65534u);
    // A client refuses a socket there too: it could be anyone's.
    rpc::Client client("unix:" + dir.file("theirs/retaind.sock"));
    auto h = client.health();
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error().codeName, "FAILED_PRECONDITION");
    EXPECT_NE(h.error().message.find("owned by uid 65534"), std::string::npos) << h.error().message;
}

TEST(Daemon, refusesASocketDirectoryOthersCanWriteWithoutChangingIt) {
    TempDir dir;
    namespace fs = std::filesystem;
    fs::create_directories(dir.file("scratch"));
    ::chmod(dir.file("scratch").c_str(), 01777);  // like /tmp
    auto c = configIn(dir);
    c.socketPath = dir.file("scratch/retaind.sock");
    auto d = app::Daemon::start(c);
    ASSERT_FALSE(d);
    EXPECT_NE(d.error().message.find("writable by other users"), std::string::npos) << d.error().message;
    struct stat st {};
    ASSERT_EQ(::stat(dir.file("scratch").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 01777u) << "a directory retaind did not create keeps its mode";
}

TEST(Daemon, createsMissingSocketDirectoriesPrivate) {
    TempDir dir;
    auto c = configIn(dir);
    c.socketPath = dir.file("run/retain-1/retain/retaind.sock");
    auto d = app::Daemon::start(c);
    ASSERT_TRUE(d) << d.error().message;
    for (const char* sub : {"run", "run/retain-1", "run/retain-1/retain"}) {
        struct stat st {};
        ASSERT_EQ(::stat(dir.file(sub).c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0700u) << sub;
    }
    rpc::Client client((*d)->socketAddress());
    EXPECT_TRUE(client.health());
}

TEST(Daemon, theDatabaseIsOwnerOnly) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("data"));
    std::ofstream(dir.file("data/retain.db")).close();  // an empty file, as if made with a loose umask
    ::chmod(dir.file("data/retain.db").c_str(), 0644);
    auto d = app::Daemon::start(configIn(dir));
    ASSERT_TRUE(d) << d.error().message;
    struct stat st {};
    ASSERT_EQ(::stat(dir.file("data/retain.db").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(DaemonConfig, loopbackIsDecidedByTheAddressNotANamesPrefix) {
    for (const char* host : {"127.0.0.1:1", "127.1.2.3:1", "[::1]:1", "localhost:1"})
        EXPECT_TRUE(app::isLoopbackHost(host)) << host;
    for (const char* host : {"127.0.0.1.example.org:1", "127.evil:1", "localhost.example.org:1", "0.0.0.0:1",
                             "[::]:1", "10.0.0.1:1", "[::ffff:127.0.0.1]:1", ":1"})
        EXPECT_FALSE(app::isLoopbackHost(host)) << host;
    app::DaemonConfig c;
    c.socketPath = "/tmp/x.sock";
    c.listen = "127.0.0.1.example.org:7443";
    ASSERT_TRUE(app::checkConfig(c)) << "a name that merely starts like loopback needs TLS";
}

TEST(DaemonConfig, refusesPlaintextOnANonLoopbackAddress) {
    app::DaemonConfig c;
    c.socketPath = "/tmp/x.sock";
    c.listen = "0.0.0.0:7443";
    auto problem = app::checkConfig(c);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find("--tls-cert"), std::string::npos);
    c.allowInsecureRemote = true;
    EXPECT_FALSE(app::checkConfig(c));
    c.allowInsecureRemote = false;
    c.listen = "[::1]:7443";
    EXPECT_FALSE(app::checkConfig(c));
    c.listen = "localhost:7443";
    EXPECT_FALSE(app::checkConfig(c));
}

TEST(DaemonConfig, parsesFlagsAndRejectsUnknownOnes) {
    const char* ok[] = {"retaind", "--socket", "/tmp/a.sock", "--data-dir", "/tmp/d", "--clock=simulated"};
    auto parsed = app::parseDaemonArgs(6, ok);
    ASSERT_TRUE(parsed.config) << parsed.message;
    EXPECT_EQ(parsed.config->socketPath, "/tmp/a.sock");
    EXPECT_TRUE(parsed.config->simulatedClock);
    const char* bad[] = {"retaind", "--colour", "blue"};
    auto rejected = app::parseDaemonArgs(3, bad);
    EXPECT_FALSE(rejected.config);
    EXPECT_EQ(rejected.exitCode, 2);
    EXPECT_NE(rejected.message.find("colour"), std::string::npos);
    const char* clock[] = {"retaind", "--clock", "fast"};
    EXPECT_FALSE(app::parseDaemonArgs(3, clock).config);
}

TEST(DaemonConfig, readsAConfigFileThatFlagsOverride) {
    TempDir dir;
    std::ofstream(dir.file("retaind.conf"))
        << "# comment\nsocket = /tmp/from-file.sock\ndata-dir = /tmp/data-from-file\n";
    const std::string cfg = dir.file("retaind.conf");
    const char* args[] = {"retaind", "--config", cfg.c_str(), "--data-dir", "/tmp/flag"};
    auto parsed = app::parseDaemonArgs(5, args);
    ASSERT_TRUE(parsed.config) << parsed.message;
    EXPECT_EQ(parsed.config->socketPath, "/tmp/from-file.sock");
    EXPECT_EQ(parsed.config->dataDir, "/tmp/flag");
}

TEST(DaemonConfig, defaultsFollowTheXdgDirectories) {
    setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);
    setenv("XDG_DATA_HOME", "/home/ana/.data", 1);
    EXPECT_EQ(app::defaultSocketPath(), "/run/user/4242/retain/retaind.sock");
    EXPECT_EQ(app::defaultDataDir(), "/home/ana/.data/retain");
    unsetenv("XDG_RUNTIME_DIR");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/bo", 1);
    EXPECT_EQ(app::defaultDataDir(), "/home/bo/.local/share/retain");
    EXPECT_NE(app::defaultSocketPath().find("/tmp/retain-"), std::string::npos);
}

}  // namespace
}  // namespace retain::test
