#include <gtest/gtest.h>

#include "storage/event_store.h"
#include "storage/schema.h"
#include "storage/sync_state.h"
#include "storage/sync_store.h"
#include "storage/sync_token.h"
#include "support/events.h"
#include "support/temp_dir.h"

namespace retain::storage {
namespace {

using test::kT0;

class SyncStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = openSqliteSyncStore(m_dir.file("server.db"));
        ASSERT_TRUE(s) << s.error().message;
        m_store = std::move(s.value());
    }
    test::TempDir m_dir;
    std::unique_ptr<SyncStore> m_store;
};

TEST_F(SyncStoreTest, issuesARandomTokenAndKeepsOnlyItsHash) {
    auto a = m_store->addAccount("ana", "", kT0);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->token.size(), kTokenHexDigits);
    EXPECT_EQ(a->learnerId.size(), 32u);
    EXPECT_EQ(a->prefix, a->token.substr(0, kTokenPrefixDigits));
    auto b = m_store->addAccount("bo", "", kT0);
    ASSERT_TRUE(b);
    EXPECT_NE(a->token, b->token);
    // The database holds the SHA-256, never the token.
    auto db = openRetainDatabase(m_dir.file("server.db"));
    ASSERT_TRUE(db);
    auto st = db->prepare("SELECT token_hash FROM sync_tokens WHERE learner_id = ?");
    st->bind(1, a->learnerId);
    ASSERT_TRUE(*st->step());
    EXPECT_EQ(st->columnText(0), hashToken(a->token));
    EXPECT_NE(st->columnText(0), a->token);
    auto who = m_store->authenticate(a->token);
    ASSERT_TRUE(who);
    EXPECT_EQ(who->learnerId, a->learnerId);
    EXPECT_EQ(who->name, "ana");
}

TEST_F(SyncStoreTest, refusesUnknownAndRevokedTokensWithTheSameMessage) {
    auto a = m_store->addAccount("ana", "", kT0);
    ASSERT_TRUE(a);
    auto unknown = m_store->authenticate(std::string(64, 'f'));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, core::ErrorCode::Unauthenticated);
    EXPECT_FALSE(m_store->authenticate("short"));
    auto second = m_store->addAccount("ana", "", kT0);  // another token for the same account
    ASSERT_TRUE(second);
    EXPECT_EQ(second->learnerId, a->learnerId);
    EXPECT_EQ(*m_store->revokeTokens(a->learnerId, a->prefix), 1u);
    auto revoked = m_store->authenticate(a->token);
    ASSERT_FALSE(revoked);
    EXPECT_EQ(revoked.error().message, unknown.error().message);
    EXPECT_TRUE(m_store->authenticate(second->token)) << "only the named token is revoked";
    EXPECT_EQ(*m_store->revokeTokens(a->learnerId, ""), 1u);
    EXPECT_FALSE(m_store->authenticate(second->token));
    auto accounts = m_store->accounts();
    ASSERT_TRUE(accounts);
    ASSERT_EQ(accounts->size(), 1u);
    EXPECT_EQ(accounts->front().activeTokens, 0u);
}

TEST_F(SyncStoreTest, refusesANameOrIdThatBelongsToAnotherAccount) {
    auto a = m_store->addAccount("ana", std::string(32, 'a'), kT0);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->learnerId, std::string(32, 'a'));
    auto clash = m_store->addAccount("ana", std::string(32, 'b'), kT0);
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, core::ErrorCode::AlreadyExists);
    auto clashId = m_store->addAccount("other", std::string(32, 'a'), kT0);
    ASSERT_FALSE(clashId);
    EXPECT_EQ(clashId.error().code, core::ErrorCode::AlreadyExists);
}

TEST_F(SyncStoreTest, storesEachEventOnceAndPagesFromACursor) {
    auto a = m_store->addAccount("ana", std::string(32, 'a'), kT0);
    ASSERT_TRUE(a);
    test::EventMaker mine(a->learnerId, "00000000000000aa");
    test::EventMaker theirs(a->learnerId, "00000000000000bb");
    std::vector<v1::Event> events;
    for (int i = 0; i < 5; ++i) {
        events.push_back(mine.answer(kT0 + i * 1000, "1.1-fc-card1", 3));
        events.push_back(theirs.answer(kT0 + i * 1000 + 1, "1.1-fc-card2", 3));
    }
    auto first = m_store->insert(a->learnerId, events);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->accepted, 10u);
    auto again = m_store->insert(a->learnerId, events);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->accepted, 0u);
    EXPECT_EQ(again->duplicates, 10u);
    EXPECT_EQ(again->cursor, first->cursor);
    EXPECT_EQ(*m_store->replicaSequence(a->learnerId, "00000000000000aa"), 5u);
    EXPECT_EQ(*m_store->replicaSequence(a->learnerId, "00000000000000cc"), 0u);

    // Pages of 4, skipping replica aa's own events; the cursor moves past them all the same.
    uint64_t cursor = 0;
    std::vector<std::string> seen;
    int pages = 0;
    while (true) {
        auto page = m_store->read(a->learnerId, cursor, 4, "00000000000000aa");
        ASSERT_TRUE(page);
        ++pages;
        for (const auto& e : page->events)
            seen.push_back(e.id());
        cursor = page->cursor;
        if (page->done)
            break;
    }
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(cursor, first->cursor);
    ASSERT_EQ(seen.size(), 5u);
    for (const auto& id : seen)
        EXPECT_EQ(id.substr(0, 16), "00000000000000bb");
    auto accounts = m_store->accounts();
    ASSERT_TRUE(accounts);
    EXPECT_EQ(accounts->front().events, 10u);
}

TEST(SyncState, keepsAReplicasConfigurationAndCursors) {
    test::TempDir dir;
    auto db = openRetainDatabase(dir.file("r.db"));
    ASSERT_TRUE(db);
    EventStore store(std::move(db.value()));
    const std::string id(32, 'd');
    ASSERT_TRUE(store.addLearner({id, "ana", kT0}));
    auto& d = store.database();
    auto none = loadSyncConfig(d, id);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
    ReplicaSyncConfig c;
    c.learnerId = id;
    c.server = "sync.example:7443";
    c.token = std::string(64, 'e');
    c.pushedSeq = 12;
    c.pulledCursor = 40;
    c.failures = 2;
    c.lastError = "cannot reach";
    ASSERT_TRUE(saveSyncConfig(d, c));
    auto back = loadSyncConfig(d, id);
    ASSERT_TRUE(back && back->has_value());
    EXPECT_EQ((*back)->server, c.server);
    EXPECT_EQ((*back)->pushedSeq, 12);
    EXPECT_EQ((*back)->pulledCursor, 40);
    EXPECT_EQ((*back)->failures, 2u);
    EXPECT_EQ((*back)->lastError, "cannot reach");
    test::EventMaker mk(id);
    ASSERT_TRUE(store.append({mk.answer(kT0, "1.1-fc-card1", 3), mk.answer(kT0 + 1, "1.1-fc-card2", 3)}));
    EXPECT_EQ(*eventsAfter(d, id, 0), 2);
    EXPECT_EQ(*eventsAfter(d, id, *lastLocalSeq(d, id)), 0);
    ASSERT_TRUE(deleteSyncConfig(d, id));
    EXPECT_FALSE(loadSyncConfig(d, id)->has_value());
}

TEST(SyncToken, comparesInConstantTimeAndHashesWithSha256) {
    EXPECT_EQ(hashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_TRUE(constantTimeEquals("abcd", "abcd"));
    EXPECT_FALSE(constantTimeEquals("abcd", "abce"));
    EXPECT_FALSE(constantTimeEquals("abcd", "abc"));
}

}  // namespace
}  // namespace retain::storage
