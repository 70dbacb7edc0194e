#pragma once
// A replica's side of sync: for each learner with a sync configuration, push the events the server
// lacks and pull the ones this replica lacks, in the background on a timer (with exponential backoff
// and jitter after failures), soon after a study session ends, and on demand (SyncControlService).
//
// Threading: the manager's state, the engine and the database are touched only on the engine strand;
// the blocking gRPC calls to the server run on the manager's own worker thread, which hands each
// batch to the strand and waits for it (the strand never waits for the worker). One sync at a time.
// Include only from daemon/app (it pulls in Boost.Asio).

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <string>

#include "service/sync_controller.h"

namespace retain::engine {
class Engine;
}

namespace retain::app {

using EngineStrand = boost::asio::strand<boost::asio::io_context::executor_type>;

class SyncManager final : public service::SyncController {
public:
    SyncManager(engine::Engine& engine, EngineStrand strand, std::string softwareVersion);
    ~SyncManager() override;
    // Loads the configured learners and starts the background timer.
    void start();
    // Cancels a running sync (it resumes from its cursors next time) and waits for the worker.
    // Call while the io_context still runs.
    void stop();

    void setup(const ::retain::v1::SetupSyncRequest& request, Done done) override;
    void syncNow(const std::string& learnerId, Done done) override;
    void status(const std::string& learnerId, Done done) override;
    void disable(const std::string& learnerId, Done done) override;
    void sessionEnded(const std::string& learnerId) override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace retain::app
