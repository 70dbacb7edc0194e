#pragma once
// The one place where core errors become gRPC statuses.

#include <grpcpp/support/status.h>

#include "core/result.h"

namespace retain::service {

grpc::Status toStatus(const core::Error& error);

}  // namespace retain::service
