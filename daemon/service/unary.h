#pragma once
// The shape of every unary handler: validate on the gRPC thread (pure and cheap), then run on the
// engine strand and finish the reactor from there. Handlers never block a gRPC thread.

#include <grpcpp/grpcpp.h>

#include "core/result.h"
#include "service/services.h"
#include "service/status.h"
#include "service/validation.h"

namespace retain::service {

template <typename Request, typename Response, typename Fn>
grpc::ServerUnaryReactor* runUnary(const ServiceContext& ctx, grpc::CallbackServerContext* call,
                                   const Request* request, Response* response, Fn fn) {
    auto* reactor = call->DefaultReactor();
    if (auto invalid = validate(*request)) {
        reactor->Finish(toStatus(*invalid));
        return reactor;
    }
    ctx.post([reactor, request, response, fn = std::move(fn)]() mutable {
        core::Result<Response> result = fn(*request);
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
