#pragma once
// The gRPC services of a daemon. Include only from daemon/app: it pulls in <grpcpp/...>.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "retain/v1/learner.pb.h"
#include "service/access.h"

#include <grpcpp/impl/service_type.h>

namespace retain::core {
class SimulatedClock;
}
namespace retain::engine {
class Engine;
struct AccessGrant;
}  // namespace retain::engine
namespace retain::storage {
class SyncStore;
}

namespace retain::service {

class SyncController;

// What the services need from the daemon: the engine and the strand that serialises all access to it.
struct ServiceContext {
    engine::Engine* engine = nullptr;
    // The listener these services answer on, and the access tokens TCP callers authenticate with.
    Transport transport = Transport::OwnerSocket;
    AccessControl* access = nullptr;
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

// The retain.v1 services of one listener: everything on the owner's socket; over TCP, a sync server
// serves SyncService only and a local daemon everything but SyncAccountService, each call authorised by
// its Policy (access.h).
std::vector<std::unique_ptr<grpc::Service>> makeServices(const ServiceContext& context);

// The AccessControl entry of an access token the engine issued or loaded.
AccessControl::Entry accessEntry(const engine::AccessGrant& grant);

}  // namespace retain::service
