#pragma once
// retainctl's command tree. Each command prints text for people or, with --json, one JSON document,
// and sets a non-zero exit status on failure (2 for usage, 1 for errors reported by the daemon).

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "rpc/client.h"

namespace google::protobuf {
class Message;
}

namespace retain::cli {

struct Globals {
    std::string daemon;
    std::string learner;
    std::string caFile;
    std::string tokenFile;  // access token for a TCP daemon address
    bool json = false;
    int timeoutMs = 10000;

    std::unique_ptr<rpc::Client> connect() const;
};

void registerCommands(CLI::App& app, Globals& globals, int& exitCode);

// Shared helpers for the command files.
std::string toJson(const google::protobuf::Message& message);
// Levenshtein distance, for "did you mean".
size_t editDistance(const std::string& a, const std::string& b);
// Prints an RPC failure ("retainctl: NOT_FOUND: ...") and returns 1.
int fail(const rpc::RpcError& error);
int fail(const std::string& message);

// Prints a reply: its JSON with --json, else `text(value)`. On failure prints the error and sets the exit
// status. Returns whether the call succeeded.
template <typename T, typename Text>
bool emit(const rpc::Reply<T>& reply, const Globals& g, int& exitCode, Text text) {
    if (!reply) {
        exitCode = fail(reply.error());
        return false;
    }
    if (g.json)
        std::cout << toJson(*reply) << '\n';
    else
        text(*reply);
    return true;
}

// The id of --learner (the "default" learner is created on first use); empty after reporting an error.
std::string learnerIdOrFail(rpc::Client& client, const Globals& g, int& exitCode);

void registerLearnerCommands(CLI::App& app, Globals& g, int& exitCode);
void registerAdminCommands(CLI::App& app, Globals& g, int& exitCode);
void registerContentCommands(CLI::App& app, Globals& g, int& exitCode);
void registerStudyCommands(CLI::App& app, Globals& g, int& exitCode);
void registerImportCommands(CLI::App& app, Globals& g, int& exitCode);
void registerMockCommands(CLI::App& app, Globals& g, int& exitCode);
void registerSyncCommands(CLI::App& app, Globals& g, int& exitCode);
void registerAccessCommands(CLI::App& app, Globals& g, int& exitCode);

}  // namespace retain::cli
