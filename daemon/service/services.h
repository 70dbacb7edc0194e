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

namespace retain::service {

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
};

// All retain.v1 services a local daemon serves (later parts of the API answer UNIMPLEMENTED).
std::vector<std::unique_ptr<grpc::Service>> makeServices(const ServiceContext& context);

}  // namespace retain::service
