// Event sequences. A replica numbers its events "<replica id>-<sequence>" and, after a restart, continues
// from the highest sequence of its own events in the log (EventStore::lastOwnSequence): reading the number
// wrong would reuse ids, and the event store drops an event whose id it already holds. Readers resume
// after a local sequence number, and the sync server keeps each replica's highest sequence.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/event_store.h"
#include "storage/schema.h"
#include "storage/sync_store.h"
#include "support/events.h"
#include "support/temp_dir.h"

namespace retain::storage {
namespace {

TEST(EventSequence, theLastOwnSequenceIsTheHighestNumberOfThisReplicasEvents) {
    test::TempDir dir;
    auto db = openRetainDatabase(dir.file("r.db"));
    ASSERT_TRUE(db);
    EventStore store(std::move(db.value()));
    const std::string learner(32, 'c');
    ASSERT_TRUE(store.addLearner({learner, "bo", 1}));
    EXPECT_EQ(*store.lastOwnSequence("00000000000000aa"), 0u);

    // This replica's events 1..12 (the EventMaker numbers from 1), another replica's up to 250.
    test::EventMaker own(learner, "00000000000000aa");
    test::EventMaker other(learner, "00000000000000bb");
    std::vector<v1::Event> events;
    for (int i = 0; i < 12; ++i)
        events.push_back(own.answer(test::kT0 + i, "x", 3));
    for (int i = 0; i < 250; ++i)
        events.push_back(other.answer(test::kT0 + i, "y", 3));
    ASSERT_EQ(events[11].id(), "00000000000000aa-12");
    ASSERT_EQ(events.back().id(), "00000000000000bb-250");
    ASSERT_TRUE(store.append(events));

    EXPECT_EQ(*store.lastOwnSequence("00000000000000aa"), 12u);
    EXPECT_EQ(*store.lastOwnSequence("00000000000000bb"), 250u);
    EXPECT_EQ(*store.lastOwnSequence("00000000000000cc"), 0u);
}

TEST(EventSequence, readingAfterALocalSequenceStartsWithTheNextEvent) {
    // A fresh log numbers its rows 1, 2, 3, ...; a reader that has seen up to 2 (a replica pushing to its
    // sync server, resuming) gets 3 and 4 with a limit of 2, then 5.
    test::TempDir dir;
    auto db = openRetainDatabase(dir.file("r.db"));
    ASSERT_TRUE(db);
    EventStore store(std::move(db.value()));
    const std::string learner(32, 'c');
    ASSERT_TRUE(store.addLearner({learner, "bo", 1}));
    test::EventMaker mk(learner, "00000000000000aa");
    std::vector<v1::Event> events;
    for (int i = 0; i < 5; ++i)
        events.push_back(mk.answer(test::kT0 + i, "x", 3));
    ASSERT_TRUE(store.append(events));

    std::vector<int64_t> seqs;
    std::vector<std::string> ids;
    const auto collect = [&](v1::Event&& e, int64_t seq) {
        seqs.push_back(seq);
        ids.push_back(e.id());
    };
    ASSERT_TRUE(store.forEachEvent(learner, collect, 2, 2));
    EXPECT_EQ(seqs, (std::vector<int64_t>{3, 4}));
    EXPECT_EQ(ids, (std::vector<std::string>{"00000000000000aa-3", "00000000000000aa-4"}));
    seqs.clear();
    ids.clear();
    ASSERT_TRUE(store.forEachEvent(learner, collect, 4));
    EXPECT_EQ(seqs, (std::vector<int64_t>{5}));
    seqs.clear();
    ASSERT_TRUE(store.forEachEvent(learner, collect, 5));
    EXPECT_TRUE(seqs.empty());
}

TEST(EventSequence, theSyncServerKeepsEachReplicasHighestSequenceEvenForBatchesOutOfOrder) {
    // The server records, per replica, the highest sequence it holds (a replica that lost its database
    // resumes numbering after it). A batch need not be sorted, and an old batch may come again.
    test::TempDir dir;
    auto opened = openSqliteSyncStore(dir.file("server.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    auto& store = *opened.value();
    auto account = store.addAccount("ana", std::string(32, 'a'), test::kT0);
    ASSERT_TRUE(account);
    const std::string& learner = account->learnerId;
    test::EventMaker mk(learner, "00000000000000aa");
    std::vector<v1::Event> events;  // sequences 1..9
    for (int i = 0; i < 9; ++i)
        events.push_back(mk.answer(test::kT0 + i, "1.1-fc-card1", 3));

    ASSERT_TRUE(store.insert(learner, {events[4], events[8], events[6]}));  // 5, 9, 7
    EXPECT_EQ(*store.replicaSequence(learner, "00000000000000aa"), 9u);
    ASSERT_TRUE(store.insert(learner, {events[0], events[1], events[2]}));  // 1..3, pushed late
    EXPECT_EQ(*store.replicaSequence(learner, "00000000000000aa"), 9u);
    ASSERT_TRUE(store.insert(learner, {events[4]}));  // 5 again: a duplicate
    EXPECT_EQ(*store.replicaSequence(learner, "00000000000000aa"), 9u);
}

}  // namespace
}  // namespace retain::storage
