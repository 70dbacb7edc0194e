#pragma once
// What SyncControlService needs from a replica daemon: its sync manager (daemon/app), behind an
// interface so that the service layer stays thin and free of client-side gRPC. Callbacks may run on
// any thread.

#include <functional>
#include <string>

#include "core/result.h"
#include "retain/v1/sync.pb.h"

namespace retain::service {

class SyncController {
public:
    using Done = std::function<void(core::Result<::retain::v1::SyncStatus>)>;
    virtual ~SyncController() = default;
    // Stores the configuration, then runs a first sync (adopting the token's learner when
    // request.learner_id is empty) and reports its outcome.
    virtual void setup(const ::retain::v1::SetupSyncRequest& request, Done done) = 0;
    virtual void syncNow(const std::string& learnerId, Done done) = 0;
    virtual void status(const std::string& learnerId, Done done) = 0;
    virtual void disable(const std::string& learnerId, Done done) = 0;
    // A study session ended: sync soon.
    virtual void sessionEnded(const std::string& learnerId) = 0;
};

}  // namespace retain::service
