#include "cli/commands.h"

#include <algorithm>
#include <cstdlib>

#include <google/protobuf/util/json_util.h>

#include <iostream>

namespace retain::cli {

std::unique_ptr<rpc::Client> Globals::connect() const {
    rpc::ClientOptions o;
    o.deadline = std::chrono::milliseconds(timeoutMs);
    o.caFile = caFile;
    std::string file = tokenFile;
    if (file.empty())
        if (const char* env = std::getenv("RETAIN_TOKEN_FILE"))
            file = env;
    if (!file.empty()) {
        auto token = rpc::tokenFromFile(file);
        if (!token) {
            std::cerr << "retainctl: " << token.error().message << '\n';
            std::exit(2);
        }
        o.token = *token;
    }
    // A bare socket path means what it says (gRPC would take it for a host name).
    std::string address = daemon.empty() ? rpc::defaultDaemonAddress() : daemon;
    if (address.rfind('/', 0) == 0 || address.rfind("./", 0) == 0 || address.rfind("../", 0) == 0)
        address = "unix:" + address;
    return std::make_unique<rpc::Client>(address, o);
}

size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string toJson(const google::protobuf::Message& m) {
    std::string out;
    google::protobuf::util::JsonPrintOptions o;
    o.add_whitespace = true;
    o.preserve_proto_field_names = true;
    o.always_print_primitive_fields = true;
    (void)google::protobuf::util::MessageToJsonString(m, &out, o);
    return out;
}

int fail(const rpc::RpcError& e) {
    std::cerr << "retainctl: " << e.format() << '\n';
    if (e.codeName == "UNAVAILABLE")
        std::cerr << "(is retaind running? start it with ./dev run or `retaind`, or pass --daemon ADDRESS)\n";
    return 1;
}

int fail(const std::string& message) {
    std::cerr << "retainctl: " << message << '\n';
    return 1;
}

std::string learnerIdOrFail(rpc::Client& client, const Globals& g, int& exitCode) {
    auto who = client.ensureLearner(g.learner);
    if (!who) {
        exitCode = fail(who.error());
        return {};
    }
    return who->id();
}

void registerCommands(CLI::App& app, Globals& g, int& exitCode) {
    auto* health = app.add_subcommand("health", "check that the daemon is up and serving");
    health->callback([&] {
        auto client = g.connect();
        auto h = client->health();
        if (!h) {
            exitCode = fail(h.error());
            return;
        }
        if (g.json)
            std::cout << "{\"serving\": " << (*h ? "true" : "false") << ", \"daemon\": \""
                      << client->address() << "\"}\n";
        else
            std::cout << (*h ? "SERVING" : "NOT_SERVING") << " (" << client->address() << ")\n";
        exitCode = *h ? 0 : 1;
    });
    registerLearnerCommands(app, g, exitCode);
    registerAdminCommands(app, g, exitCode);
    registerContentCommands(app, g, exitCode);
    registerStudyCommands(app, g, exitCode);
    registerImportCommands(app, g, exitCode);
    registerMockCommands(app, g, exitCode);
    registerSyncCommands(app, g, exitCode);
    registerAccessCommands(app, g, exitCode);
}

}  // namespace retain::cli
