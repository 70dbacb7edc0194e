// Fuzz target: request validation (service/validation.h) and the access policy (service/access.h) of
// every RPC that has them, without gRPC. The first input byte picks the request type (requests.h), the
// rest is parsed as that message. Invariants: validation never crashes and refuses with a short
// INVALID_ARGUMENT that starts with the field, also when any one string field is 1 KiB longer
// (stretch.h); the owner may do everything, an admin token everything but the owner's calls, a learner
// token only its own learner's calls.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "requests.h"
#include "service/access.h"
#include "service/validation.h"
#include "stretch.h"

using namespace retain;
using service::Access;
using service::Principal;
using service::Role;

namespace {

void checkMessage(const core::Error& error, core::ErrorCode code) {
    RETAIN_FUZZ_CHECK(error.code == code, error.message);
    RETAIN_FUZZ_CHECK(!error.message.empty(), "an error without a message");
    RETAIN_FUZZ_CHECK(error.message.size() <= fuzz::kMaxMessageBytes, error.message.substr(0, 200));
}

template <typename Request>
void checkValidation(const Request& request) {
    if constexpr (requires { service::validate(request); }) {
        if (auto invalid = service::validate(request)) {
            checkMessage(*invalid, core::ErrorCode::InvalidArgument);
            const auto colon = invalid->message.find(": ");
            RETAIN_FUZZ_CHECK(colon != std::string::npos && colon > 0, invalid->message);
            RETAIN_FUZZ_CHECK(invalid->message.substr(0, colon).find(' ') == std::string::npos,
                              invalid->message);
        }
    }
}

template <typename Request>
void checkAccess(const Request& request) {
    using Policy = service::Policy<Request>;
    const Principal owner{Role::Owner, "", "", ""};
    const Principal admin{Role::Admin, "", "", "0123abcd"};
    const Principal learner{Role::Learner, fuzz::kLearner, "ana", "4567cdef"};

    auto denied = service::authorize(owner, request);
    RETAIN_FUZZ_CHECK(!denied, denied->message);

    denied = service::authorize(admin, request);
    RETAIN_FUZZ_CHECK(denied.has_value() == (Policy::kAccess == Access::Owner), "admin");
    if (denied)
        checkMessage(*denied, core::ErrorCode::PermissionDenied);

    const std::string* about = Policy::learner(request);
    const bool own = about && (*about == learner.learnerId || *about == learner.learnerName);
    bool allowed = false;
    switch (Policy::kAccess) {
        case Access::Authenticated:
        case Access::LearnerList:
            allowed = true;
            break;
        case Access::OwnLearner:
            allowed = own;
            break;
        case Access::OwnLearnerOrNone:
            allowed = own || (about && about->empty());
            break;
        case Access::Admin:
        case Access::Owner:
            allowed = false;
            break;
    }
    denied = service::authorize(learner, request);
    RETAIN_FUZZ_CHECK(denied.has_value() != allowed,
                      about ? "learner token about " + *about : "learner token");
    if (denied)
        checkMessage(*denied, core::ErrorCode::PermissionDenied);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fuzz::silenceProtobufLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    fuzz::withRequestType(data[0] % fuzz::kRequestCount, [&](auto request) {
        if (!request.ParseFromArray(data + 1, static_cast<int>(size - 1)))
            return;
        checkValidation(request);
        checkAccess(request);
        fuzz::forEachStretched(request, [](const auto& stretched) { checkValidation(stretched); });
    });
    return 0;
}
