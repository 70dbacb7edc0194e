#pragma once
// One replica's exchanges with a sync server, on SyncManager's worker thread: Hello, then Push of the
// events after the push cursor (in streams of up to 10,000 events, the cursor saved after each), then
// Pull after the pull cursor (each batch stored, folded and its cursor saved before the next). The engine
// and the database are touched only on the engine strand, to which each step is handed and awaited; the
// strand never waits for the worker. Include only from daemon/app.

#include <cstdint>
#include <memory>
#include <string>

#include "app/sync_manager.h"
#include "core/result.h"
#include "storage/sync_state.h"

namespace retain::app {

struct SyncCounts {
    uint32_t pushed = 0;  // events the server stored now
    uint32_t pulled = 0;  // events this replica stored now
};

// Whose token a configuration carries, as the server says.
struct SyncPeer {
    std::string learnerId;
    std::string learnerName;
};

class SyncSession {
public:
    SyncSession(engine::Engine& engine, EngineStrand strand, std::string softwareVersion);
    ~SyncSession();
    // Hello with `config`'s server and token (SetupSync, before anything is stored).
    core::Result<SyncPeer> identify(const storage::ReplicaSyncConfig& config);
    // One complete sync of a configured learner.
    core::Result<SyncCounts> syncOnce(const std::string& learnerId);
    // Cancels the call in flight and every later one (shutdown). Thread-safe.
    void cancel();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace retain::app
