// Fuzz target: the sync server's Push path without the network. The input is a serialised
// retain.v1.PushBatch; it goes through the checks of PushReactor::store() (service/sync_services.cpp):
// the batch's learner, its size, core::checkForeignEvent on every event; an accepted batch is inserted
// into the SQLite sync store (storage/sync_store.h) of a database created once per process.
// Invariants: a checked batch is stored; every event counts as accepted or duplicate; the accepted
// events are read back after the previous cursor, byte for byte as the first of their id in the batch.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/event_check.h"
#include "fuzz_support.h"
#include "retain/v1/sync.pb.h"
#include "storage/sync_store.h"

using namespace retain;

namespace {

storage::SyncStore& server() {
    static const std::unique_ptr<storage::SyncStore> store = [] {
        auto opened = storage::openSqliteSyncStore(fuzz::scratchDir() + "/server.db");
        if (!opened)
            fuzz::fail("openSqliteSyncStore", opened.error().message);
        auto account = (*opened)->addAccount("fuzz", fuzz::kLearner, fuzz::kEventMs);
        if (!account)
            fuzz::fail("addAccount", account.error().message);
        return std::move(opened.value());
    }();
    return *store;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::silenceProtobufLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto& store = server();
    v1::PushBatch batch;
    if (!batch.ParseFromArray(data, static_cast<int>(size)))
        return 0;
    // PushReactor::store(), with the token's learner kLearner.
    if (batch.learner_id() != fuzz::kLearner)
        return 0;
    if (batch.events_size() > static_cast<int>(core::kMaxSyncBatchEvents))
        return 0;
    std::vector<v1::Event> events;
    events.reserve(static_cast<size_t>(batch.events_size()));
    for (auto& e : *batch.mutable_events()) {
        if (core::checkForeignEvent(e, fuzz::kLearner, fuzz::kNowMs))
            return 0;
        events.push_back(std::move(e));
    }

    auto before = store.cursor(fuzz::kLearner);
    RETAIN_FUZZ_CHECK(static_cast<bool>(before), before.error().message);
    auto outcome = store.insert(fuzz::kLearner, events);
    RETAIN_FUZZ_CHECK(static_cast<bool>(outcome), outcome.error().message);
    RETAIN_FUZZ_CHECK(outcome->accepted + outcome->duplicates == events.size(), "lost events");
    RETAIN_FUZZ_CHECK(outcome->cursor >= *before, "the cursor went back");

    // What the batch stores for each id: its first event of that id.
    std::map<std::string, std::string> firstById;
    for (const auto& e : events)
        firstById.emplace(e.id(), e.SerializeAsString());
    auto page = store.read(fuzz::kLearner, *before, static_cast<uint32_t>(events.size()) + 1, "");
    RETAIN_FUZZ_CHECK(static_cast<bool>(page), page.error().message);
    RETAIN_FUZZ_CHECK(page->done, "more events than the batch after the previous cursor");
    RETAIN_FUZZ_CHECK(page->events.size() == outcome->accepted, std::to_string(page->events.size()));
    RETAIN_FUZZ_CHECK(page->cursor == outcome->cursor, std::to_string(page->cursor));
    for (const auto& e : page->events) {
        auto it = firstById.find(e.id());
        RETAIN_FUZZ_CHECK(it != firstById.end(), "read back an event the batch did not hold: " + e.id());
        RETAIN_FUZZ_CHECK(e.SerializeAsString() == it->second, "read back another body for " + e.id());
        RETAIN_FUZZ_CHECK(!core::checkForeignEvent(e, fuzz::kLearner, fuzz::kNowMs), e.id());
        firstById.erase(it);  // stored once
    }
    return 0;
}
