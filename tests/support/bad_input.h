#pragma once
// Shared by the bad-input tables (tests/service/validation_test.cpp, tests/sync/sync_validation_test.cpp):
// every RPC the protocol defines, read from the generated descriptors, so that a table missing an RPC fails;
// and the contract of a rejected request's message, checked exactly rather than by substring.

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string>

namespace retain::test {

// "Service.Method" -> descriptor, for every RPC of every service in every proto/retain/v1/*.proto. The
// list of files comes from the source tree, the methods from the descriptors compiled into this binary:
// a new .proto file or a new rpc is seen without editing any list here.
inline std::map<std::string, const google::protobuf::MethodDescriptor*> allRpcMethods() {
    namespace fs = std::filesystem;
    std::map<std::string, const google::protobuf::MethodDescriptor*> out;
    const fs::path dir = fs::path(RETAIN_TEST_DATA_DIR) / ".." / ".." / "proto" / "retain" / "v1";
    int files = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".proto")
            continue;
        ++files;
        const std::string name = "retain/v1/" + entry.path().filename().string();
        const auto* file = google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
        EXPECT_NE(file, nullptr) << name << ": its generated code is not linked into this test";
        if (!file)
            continue;
        for (int s = 0; s < file->service_count(); ++s) {
            const auto* service = file->service(s);
            for (int m = 0; m < service->method_count(); ++m)
                out[std::string(service->name()) + "." + std::string(service->method(m)->name())] =
                    service->method(m);
        }
    }
    EXPECT_GT(files, 5) << "no .proto files under " << dir;
    return out;
}

inline std::string serviceOf(const std::string& serviceDotMethod) {
    return serviceDotMethod.substr(0, serviceDotMethod.find('.'));
}

// Checks a bad-input table against the protocol: every RPC of `services` has at least one case (`tabled`,
// "Service.Method") or is listed in `noInput`, whose request messages must really have no field; and
// every name in the table or the list is an RPC of `services` (no typo, no stale entry).
inline void expectEveryRpcCovered(const std::set<std::string>& services, const std::set<std::string>& tabled,
                                  const std::set<std::string>& noInput) {
    const auto methods = allRpcMethods();
    for (const auto& service : services) {
        bool seen = false;
        for (const auto& [name, method] : methods)
            seen = seen || serviceOf(name) == service;
        EXPECT_TRUE(seen) << "no service " << service << " in proto/retain/v1";
    }
    for (const auto& [name, method] : methods) {
        if (!services.count(serviceOf(name)))
            continue;
        if (noInput.count(name)) {
            EXPECT_EQ(method->input_type()->field_count(), 0)
                << name << " is listed as taking no input, but " << method->input_type()->full_name()
                << " has fields now: give it bad-input cases";
            continue;
        }
        EXPECT_TRUE(tabled.count(name)) << name << " has no bad-input case: add one (or, for a request "
                                        << "without fields, list it as taking no input)";
    }
    for (const auto* set : {&tabled, &noInput})
        for (const auto& name : *set)
            EXPECT_TRUE(methods.count(name) && services.count(serviceOf(name)))
                << name << " is not an RPC of the services this table covers";
}

// True when `message` names `field` as a whole name, not as a piece of a longer one: '_' and digits are
// part of a name, and so are '.' and '[' joining name parts. So "learner" is not named by "learner_id",
// "date" not by "to_date" or "settings.exam_date", "settings" not by "settings.exam_date", "reviews" not by
// "reviews[0].rating"; a sentence's full stop after a name does not join it.
inline bool namesField(const std::string& message, const std::string& field) {
    auto isNameChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (size_t at = message.find(field); !field.empty() && at != std::string::npos;
         at = message.find(field, at + 1)) {
        const size_t end = at + field.size();
        const bool joinedBefore =
            at > 0 &&
            (isNameChar(message[at - 1]) ||
             (message[at - 1] == '.' && at > 1 && (isNameChar(message[at - 2]) || message[at - 2] == ']')));
        const bool joinedAfter =
            end < message.size() &&
            (isNameChar(message[end]) || ((message[end] == '.' || message[end] == '[') &&
                                          end + 1 < message.size() && isNameChar(message[end + 1])));
        if (!joinedBefore && !joinedAfter)
            return true;
    }
    return false;
}

// The message contract of a rejected request. INVALID_ARGUMENT: the message starts with the field, in the
// format of daemon/service/validation.cpp's bad(): "settings.exam_date: 2025-01-01 is in the past". Other
// codes (NOT_FOUND, FAILED_PRECONDITION, ...): the message names the field, or the kind of thing that was
// not found ("learner \"...\" not found"), as a whole name. `detail`, when given, must appear as well.
inline ::testing::AssertionResult messageNamesField(const std::string& codeName, const std::string& message,
                                                    const std::string& field,
                                                    const std::string& detail = {}) {
    if (codeName == "INVALID_ARGUMENT" ? message.rfind(field + ": ", 0) != 0 : !namesField(message, field))
        return ::testing::AssertionFailure()
               << "message \"" << message << "\" does not name the field "
               << (codeName == "INVALID_ARGUMENT" ? "as its prefix \"" + field + ": \""
                                                  : "\"" + field + "\"");
    if (!detail.empty() && message.find(detail) == std::string::npos)
        return ::testing::AssertionFailure()
               << "message \"" << message << "\" does not say \"" << detail << "\"";
    return ::testing::AssertionSuccess();
}

}  // namespace retain::test
