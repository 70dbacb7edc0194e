#pragma once
// The shape of every unary handler: validate on the gRPC thread (pure and cheap), then run on the
// engine strand and finish the reactor from there. Handlers never block a gRPC thread.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <string>

#include "core/result.h"
#include "service/services.h"
#include "service/status.h"
#include "service/validation.h"

namespace retain::service {

// The "authorization" metadata of a call (empty when absent), at most 256 bytes of it.
inline std::string authorizationOf(const grpc::CallbackServerContext* call) {
    const auto& md = call->client_metadata();
    auto it = md.find("authorization");
    if (it == md.end())
        return {};
    return std::string(it->second.data(), std::min<size_t>(it->second.size(), 256));
}

// Authenticates the caller and checks the request's Policy: the principal, or the error to finish with.
template <typename Request>
core::Result<Principal> admit(const ServiceContext& ctx, const grpc::CallbackServerContext* call,
                              const Request& request) {
    if (!ctx.access)
        return core::Error{core::ErrorCode::Internal, "no access control configured"};
    auto who = ctx.access->authenticate(ctx.transport, authorizationOf(call));
    if (!who)
        return who.error();
    if (auto denied = authorize(*who, request))
        return *denied;
    return who;
}

// Authenticate, authorise, validate, then run `fn(request, principal)` on the strand.
template <typename Request, typename Response, typename Fn>
grpc::ServerUnaryReactor* runUnary(const ServiceContext& ctx, grpc::CallbackServerContext* call,
                                   const Request* request, Response* response, Fn fn) {
    auto* reactor = call->DefaultReactor();
    auto who = admit(ctx, call, *request);
    if (!who) {
        reactor->Finish(toStatus(who.error()));
        return reactor;
    }
    if (auto invalid = validate(*request)) {
        reactor->Finish(toStatus(*invalid));
        return reactor;
    }
    ctx.post([reactor, request, response, who = std::move(who.value()), fn = std::move(fn)]() mutable {
        core::Result<Response> result = fn(*request, who);
        if (result) {
            *response = std::move(result.value());
            reactor->Finish(grpc::Status::OK);
        } else {
            reactor->Finish(toStatus(result.error()));
        }
    });
    return reactor;
}

}  // namespace retain::service
