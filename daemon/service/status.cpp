#include "service/status.h"

namespace retain::service {

grpc::Status toStatus(const core::Error& e) {
    using core::ErrorCode;
    grpc::StatusCode code = grpc::StatusCode::INTERNAL;
    switch (e.code) {
        case ErrorCode::InvalidArgument:
            code = grpc::StatusCode::INVALID_ARGUMENT;
            break;
        case ErrorCode::NotFound:
            code = grpc::StatusCode::NOT_FOUND;
            break;
        case ErrorCode::AlreadyExists:
            code = grpc::StatusCode::ALREADY_EXISTS;
            break;
        case ErrorCode::FailedPrecondition:
            code = grpc::StatusCode::FAILED_PRECONDITION;
            break;
        case ErrorCode::PermissionDenied:
            code = grpc::StatusCode::PERMISSION_DENIED;
            break;
        case ErrorCode::Unauthenticated:
            code = grpc::StatusCode::UNAUTHENTICATED;
            break;
        case ErrorCode::ResourceExhausted:
            code = grpc::StatusCode::RESOURCE_EXHAUSTED;
            break;
        case ErrorCode::DataLoss:
            code = grpc::StatusCode::DATA_LOSS;
            break;
        case ErrorCode::Unavailable:
            code = grpc::StatusCode::UNAVAILABLE;
            break;
        case ErrorCode::Internal:
            code = grpc::StatusCode::INTERNAL;
            break;
    }
    // A message travels in a response header: never let it grow with what a caller sent. Messages quote
    // request fields only by short prefixes; this is the backstop.
    constexpr size_t kMaxMessage = 512;
    if (e.message.size() <= kMaxMessage)
        return {code, e.message};
    size_t cut = kMaxMessage;
    while (cut > 0 && (static_cast<unsigned char>(e.message[cut]) & 0xC0) == 0x80)
        --cut;  // not in the middle of a UTF-8 sequence
    return {code, e.message.substr(0, cut) + "…"};
}

}  // namespace retain::service
