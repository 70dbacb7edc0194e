#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "storage/event_store.h"
#include "storage/salvage.h"
#include "storage/schema.h"
#include "support/events.h"
#include "support/temp_dir.h"

namespace retain::storage {
namespace {

using test::TempDir;

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The schema SQLite reports, normalised: one statement per line, sorted.
std::string schemaOf(Database& db) {
    auto st = db.prepare(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY name");
    std::string out;
    while (*st->step())
        out += st->columnText(0) + ";\n";
    return out;
}

TEST(Schema, createsANewDatabaseAtTheCurrentVersionInWalMode) {
    TempDir dir;
    auto db = openRetainDatabase(dir.file("r.db"));
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ(*schemaVersion(*db), currentSchemaVersion());
    auto mode = db->prepare("PRAGMA journal_mode");
    ASSERT_TRUE(*mode->step());
    EXPECT_EQ(mode->columnText(0), "wal");
    auto sync = db->prepare("PRAGMA synchronous");
    ASSERT_TRUE(*sync->step());
    EXPECT_EQ(sync->columnInt(0), 2);  // FULL
}

TEST(Schema, everyReleasedVersionStillHasTheSchemaItShipped) {
    // Golden schemas: editing a released migration instead of adding a new one fails here.
    for (const auto& m : migrations()) {
        TempDir dir;
        auto db = openRetainDatabase(dir.file("r.db"), m.version);
        ASSERT_TRUE(db);
        const std::string golden =
            std::string(RETAIN_TEST_DATA_DIR) + "/db/schema_v" + std::to_string(m.version) + ".sql";
        ASSERT_TRUE(std::filesystem::exists(golden))
            << "missing golden schema " << golden
            << " (create it from the migration when adding a version):\n"
            << schemaOf(*db);
        EXPECT_EQ(schemaOf(*db), readBytes(golden)) << "schema v" << m.version << " changed";
    }
}

TEST(Schema, migratesFromEveryEarlierVersionKeepingTheLog) {
    for (const auto& m : migrations()) {
        if (m.version == currentSchemaVersion())
            continue;
        TempDir dir;
        const auto path = dir.file("r.db");
        test::EventMaker mk(std::string(32, 'b'));
        {
            auto db = openRetainDatabase(path, m.version);
            ASSERT_TRUE(db);
            EventStore store(std::move(db.value()));
            ASSERT_TRUE(store.addLearner({mk.learner(), "ana", 1}));
            ASSERT_TRUE(store.append(
                {mk.answer(test::kT0, "1.1-fc-card1", 3), mk.setting(test::kT0, "minutes_per_day", "30")}));
        }
        auto db = openRetainDatabase(path);
        ASSERT_TRUE(db) << "from v" << m.version << ": " << db.error().message;
        EXPECT_EQ(*schemaVersion(*db), currentSchemaVersion());
        EventStore store(std::move(db.value()));
        int n = 0;
        ASSERT_TRUE(store.forEachEvent(mk.learner(), [&](v1::Event&& e, int64_t) {
            ++n;
            EXPECT_EQ(e.learner_id(), mk.learner());
        }));
        EXPECT_EQ(n, 2) << "from v" << m.version;
        EXPECT_EQ(store.learners()->front().name, "ana");
    }
}

TEST(Schema, refusesAFileThatIsNotSqliteAndLeavesItAlone) {
    TempDir dir;
    const auto path = dir.file("notes.db");
    std::ofstream(path) << "these are my notes, not a database\n";
    const auto before = readBytes(path);
    auto db = openRetainDatabase(path);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().code, core::ErrorCode::DataLoss);
    EXPECT_NE(db.error().message.find("is not a Retain database"), std::string::npos) << db.error().message;
    EXPECT_EQ(readBytes(path), before);
    EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(Schema, refusesAnotherApplicationsSqliteDatabaseAndLeavesItAlone) {
    TempDir dir;
    const auto path = dir.file("other.db");
    {
        auto db = Database::open(path);
        ASSERT_TRUE(db->exec("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')"));
    }
    const auto before = readBytes(path);
    auto db = openRetainDatabase(path);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error().message.find("not a Retain database"), std::string::npos);
    EXPECT_EQ(readBytes(path), before);
}

TEST(Schema, refusesADatabaseFromANewerRetainAndLeavesItAlone) {
    TempDir dir;
    const auto path = dir.file("future.db");
    {
        auto db = openRetainDatabase(path);
        ASSERT_TRUE(db);
        ASSERT_TRUE(db->exec("PRAGMA user_version=" + std::to_string(currentSchemaVersion() + 1)));
        ASSERT_TRUE(db->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
    const auto before = readBytes(path);
    auto db = openRetainDatabase(path);
    ASSERT_FALSE(db);
    EXPECT_EQ(db.error().code, core::ErrorCode::FailedPrecondition);
    EXPECT_NE(db.error().message.find("newer Retain"), std::string::npos);
    EXPECT_EQ(readBytes(path), before);
}

TEST(EventStore, appendIsIdempotentPerEventId) {
    TempDir dir;
    auto db = openRetainDatabase(dir.file("r.db"));
    EventStore store(std::move(db.value()));
    test::EventMaker mk(std::string(32, 'c'));
    ASSERT_TRUE(store.addLearner({mk.learner(), "bo", 1}));
    const auto a = mk.answer(test::kT0, "x", 3), b = mk.answer(test::kT0 + 1, "y", 1);
    auto first = store.append({a, b});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->inserted, 2u);
    auto again = store.append({b, a, mk.answer(test::kT0 + 2, "z", 4)});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->inserted, 1u);
    EXPECT_EQ(again->duplicates, 2u);
    EXPECT_EQ(*store.eventCount(mk.learner()), 3);
}

TEST(EventStore, refusesADuplicateLearnerName) {
    TempDir dir;
    EventStore store(std::move(openRetainDatabase(dir.file("r.db")).value()));
    ASSERT_TRUE(store.addLearner({std::string(32, 'd'), "cy", 1}));
    auto again = store.addLearner({std::string(32, 'e'), "cy", 2});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::AlreadyExists);
}

TEST(EventStore, backupIsAReadableRetainDatabase) {
    TempDir dir;
    EventStore store(std::move(openRetainDatabase(dir.file("r.db")).value()));
    test::EventMaker mk(std::string(32, 'f'));
    ASSERT_TRUE(store.addLearner({mk.learner(), "di", 1}));
    ASSERT_TRUE(store.append({mk.answer(test::kT0, "x", 3)}));
    auto bytes = store.backupTo(dir.file("copy.db"));
    ASSERT_TRUE(bytes) << bytes.error().message;
    EXPECT_GT(*bytes, 0u);
    EXPECT_FALSE(store.backupTo(dir.file("copy.db")));  // never overwrites
    EventStore copy(std::move(openRetainDatabase(dir.file("copy.db")).value()));
    EXPECT_EQ(*copy.eventCount(mk.learner()), 1);
}

TEST(EventStore, aBackupIsOwnerOnlyAndLeavesTheSecretsBehind) {
    TempDir dir;
    EventStore store(std::move(openRetainDatabase(dir.file("r.db")).value()));
    test::EventMaker mk(std::string(32, 'f'));
    ASSERT_TRUE(store.addLearner({mk.learner(), "di", 1}));
    ASSERT_TRUE(store.database().exec("INSERT INTO sync_config (learner_id, server, token) VALUES ('" +
                                      mk.learner() + "', 'h:1', '" + std::string(64, 'a') + "')"));
    ASSERT_TRUE(
        store.database().exec("INSERT INTO access_tokens (token_hash, prefix, learner_id, created_ms) "
                              "VALUES ('" +
                              std::string(64, 'b') + "', 'bbbbbbbb', NULL, 1)"));
    ASSERT_TRUE(store.backupTo(dir.file("copy.db")));
    struct stat st {};
    ASSERT_EQ(::stat(dir.file("copy.db").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const std::string bytes = readBytes(dir.file("copy.db"));
    EXPECT_EQ(bytes.find(std::string(64, 'a')), std::string::npos) << "the sync token stays behind";
    EXPECT_EQ(bytes.find(std::string(64, 'b')), std::string::npos) << "access-token hashes stay behind";
    auto copy = openRetainDatabase(dir.file("copy.db"));
    ASSERT_TRUE(copy);
    auto st2 = copy->prepare("SELECT server, token FROM sync_config");
    ASSERT_TRUE(*st2->step());
    EXPECT_EQ(st2->columnText(0), "h:1") << "the rest of the sync configuration is kept";
    EXPECT_EQ(st2->columnText(1), "");
}

TEST(EventStore, aBackupIntoAMissingDirectorySaysSoAndWritesNothing) {
    TempDir dir;
    EventStore store(std::move(openRetainDatabase(dir.file("r.db")).value()));
    auto r = store.backupTo(dir.file("nowhere/copy.db"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::FailedPrecondition);
    EXPECT_NE(r.error().message.find("does not exist"), std::string::npos) << r.error().message;
    EXPECT_FALSE(std::filesystem::exists(dir.file("nowhere")));
}

}  // namespace
}  // namespace retain::storage

namespace retain::storage {
namespace {

TEST(Salvage, copiesEveryReadableEventAndNamesTheOnesLost) {
    test::TempDir dir;
    test::EventMaker mk(std::string(32, 'e'));
    {
        EventStore store(std::move(openRetainDatabase(dir.file("r.db")).value()));
        ASSERT_TRUE(store.addLearner({mk.learner(), "eve", 1}));
        std::vector<v1::Event> events;
        for (int i = 0; i < 10; ++i)
            events.push_back(mk.answer(test::kT0 + i * 1000, "1.1-fc-card" + std::to_string(i), 3));
        ASSERT_TRUE(store.append(events));
        // One body damaged on disk (as a bad sector or a stray write would).
        ASSERT_TRUE(store.database().exec("UPDATE events SET body = x'ffffffff0102' WHERE seq = 4"));
        EXPECT_FALSE(store.forEachEvent(mk.learner(), [&](v1::Event&&, int64_t) {})) << "a fold stops there";
    }
    auto report = salvageDatabase(dir.file("r.db"), dir.file("new.db"));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->learners, 1u);
    EXPECT_EQ(report->eventsCopied, 9u);
    EXPECT_EQ(report->eventsLost, 1u);
    ASSERT_EQ(report->losses.size(), 1u);
    EXPECT_NE(report->losses[0].find("seq 4"), std::string::npos) << report->losses[0];
    EventStore copy(std::move(openRetainDatabase(dir.file("new.db")).value()));
    int n = 0;
    EXPECT_TRUE(copy.forEachEvent(mk.learner(), [&](v1::Event&&, int64_t) { ++n; }));
    EXPECT_EQ(n, 9);
    auto replica = copy.database().prepare("SELECT count(*) FROM meta WHERE key = 'replica_id'");
    ASSERT_TRUE(*replica->step());
    EXPECT_EQ(replica->columnInt(0), 0) << "a new replica";
    EXPECT_FALSE(salvageDatabase(dir.file("r.db"), dir.file("new.db"))) << "never over an existing file";
}

}  // namespace
}  // namespace retain::storage
