#pragma once
// The sync services: SyncService and SyncAccountService on a daemon in sync-server mode, and
// SyncControlService on every daemon. Include only from services.cpp.

#include <memory>
#include <vector>

#include "service/services.h"

namespace retain::service {

void addSyncServices(const ServiceContext& context, std::vector<std::unique_ptr<grpc::Service>>& out);

}  // namespace retain::service
