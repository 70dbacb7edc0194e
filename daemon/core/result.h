#pragma once
// Result<T>: a value or an Error. The core never throws across its boundary; the service layer maps
// Error::code to a gRPC status in exactly one place (daemon/service/status.cpp).

#include <string>
#include <utility>
#include <variant>

namespace retain::core {

enum class ErrorCode {
    InvalidArgument,     // the caller sent something malformed or out of range
    NotFound,            // unknown learner, item, session, ...
    AlreadyExists,       // a name or id is taken
    FailedPrecondition,  // valid request, wrong state (e.g. session already ended)
    PermissionDenied,    // authenticated but not allowed
    Unauthenticated,     // missing, unknown or revoked credentials
    ResourceExhausted,   // a size limit was exceeded
    DataLoss,            // the database or a file is corrupt or foreign
    Unavailable,         // a peer could not be reached
    Internal,            // a bug or an I/O failure
};

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

inline Error invalidArgument(std::string m) {
    return {ErrorCode::InvalidArgument, std::move(m)};
}
inline Error notFound(std::string m) {
    return {ErrorCode::NotFound, std::move(m)};
}
inline Error failedPrecondition(std::string m) {
    return {ErrorCode::FailedPrecondition, std::move(m)};
}
inline Error internalError(std::string m) {
    return {ErrorCode::Internal, std::move(m)};
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : m_v(std::move(error)) {}  // NOLINT(google-explicit-constructor)
    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

// Result<void>: success or an Error.
struct Ok {};
using Status = Result<Ok>;
inline Status okStatus() {
    return Ok{};
}

}  // namespace retain::core
