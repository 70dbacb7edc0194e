#pragma once
// The gRPC services of a daemon. Include only from daemon/app: it pulls in <grpcpp/...>.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "retain/v1/learner.pb.h"

#include <grpcpp/impl/service_type.h>

namespace retain::core {
class SimulatedClock;
}
namespace retain::engine {
class Engine;
}
namespace retain::storage {
class SyncStore;
}

namespace retain::service {

class SyncController;

// What the services need from the daemon: the engine and the strand that serialises all access to it.
struct ServiceContext {
    engine::Engine* engine = nullptr;
    // Runs a task on the engine strand (never inline on a gRPC thread).
    std::function<void(std::function<void()>)> post;
    // Set only when the daemon runs with --clock=simulated.
    core::SimulatedClock* simulatedClock = nullptr;
    // Fits personal FSRS parameters for a learner off the strand and reports on the strand.
    std::function<void(const std::string& learnerId,
                       std::function<void(core::Result<::retain::v1::OptimizationReport>)> done)>
        optimize;

    // Sync. A daemon in sync-server mode has the store and a worker pool for sync calls (never the
    // strand: a server's sync traffic does not touch the engine); a replica has the controller.
    storage::SyncStore* syncStore = nullptr;
    std::function<void(std::function<void()>)> postSync;
    SyncController* syncController = nullptr;
    // Called on the strand after a study session ended.
    std::function<void(const std::string& learnerId)> sessionEnded;
};

// All retain.v1 services a local daemon serves (later parts of the API answer UNIMPLEMENTED).
std::vector<std::unique_ptr<grpc::Service>> makeServices(const ServiceContext& context);

}  // namespace retain::service
